"""Refused attempts at someone else's objects, logged to ``hadaf.security``.

The public side answers 404 through :func:`refuse`; the admin
answers 403 (or 404 for an id outside the call in the URL) through these helpers, with
the same log line, so changing ids in an admin URL leaves a trace too.
"""

import logging
from typing import NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

security_log = logging.getLogger("hadaf.security")

_Found = TypeVar("_Found", bound=Model)


def log_refusal(request: HttpRequest, what: str, **details: object) -> None:
    """One warning line: what was refused, to whom, from where, and the ids asked for."""
    user = getattr(request, "user", None)
    security_log.warning(
        "refused %s: user=%s ip=%s path=%s %s",
        what,
        user.pk if user is not None and user.is_authenticated else "anonymous",
        request.META.get("REMOTE_ADDR", ""),
        request.path,
        " ".join(f"{key}={value}" for key, value in details.items()),
    )


def refuse(request: HttpRequest, what: str, **details: object) -> NoReturn:
    """Log a refused attempt and answer 404 (never confirm that the thing exists)."""
    log_refusal(request, what, **details)
    raise Http404(what)


def deny(request: HttpRequest, what: str, **details: object) -> PermissionDenied:
    """Log and return a :class:`PermissionDenied` for the caller to raise (403)."""
    log_refusal(request, what, **details)
    return PermissionDenied(what)


def get_or_refuse(
    request: HttpRequest, queryset: QuerySet[_Found], what: str, **lookup: object
) -> _Found:
    """The one object of ``queryset`` matching ``lookup``; else log and raise 404."""
    found = queryset.filter(**lookup).first()
    if found is None:
        log_refusal(request, what, **lookup)
        raise Http404(what)
    return found
