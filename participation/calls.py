"""Call pages by their kind, for the participation code, which does not import ``pages``.

The call page classes (survey, regulation draft, idea call) are declared in
``pages.models``, the layer above participation (issue 18: ``site`` → ``pages`` →
participation features → this kernel). Participation code that needs one — to query
every draft, to connect a signal to a draft's publication, to tell whether an admin
page is an idea call — names the :class:`~participation.choices.CallKind` and asks
here: each call page class states its kind in ``call_kind`` (``CallPageMixin``), and
Wagtail knows every page class.
"""

import functools
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from wagtail.models import Page, get_page_models

from .choices import AnonymityMode, CallKind


@functools.cache
def call_page_model(kind: CallKind) -> type[Page]:
    """The page class of the calls of ``kind`` (a :class:`~participation.choices.CallKind`).

    Ask once the app registry is ready (in a function, a view, ``AppConfig.ready``), not
    while modules are imported: the page classes may not be declared yet.

    Raises:
        LookupError: no page class declares ``kind``.
    """
    for model in get_page_models():
        if getattr(model, "call_kind", None) == kind:
            return model
    raise LookupError(f"No page class declares call_kind = {kind!r}.")


def is_call_of_kind(page: Page, kind: CallKind) -> bool:
    """Whether ``page`` (a plain or specific page) is a call of ``kind``."""
    specific_class = page.specific_class
    return specific_class is not None and getattr(specific_class, "call_kind", None) == kind


def live_calls_by_key(model: type[Page], call_keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, Page]:
    """The live ``model`` page of each call key, in the active language where it has one.

    One query however many keys: what a list citing many calls' contributions reads.
    """
    keys = set(call_keys)
    if not keys:
        return {}
    language = translation.get_language() or settings.LANGUAGE_CODE
    found: dict[uuid.UUID, Page] = {}
    for page in model.objects.live().filter(translation_key__in=keys).select_related("locale"):
        key = page.translation_key
        if key not in found or page.locale.language_code == language:
            found[key] = page
    return found


def traceable(queryset: QuerySet, model: type[Page], field: str = "call_key") -> QuerySet:
    """``queryset`` without the rows of calls whose contributors may not be traced.

    A contribution is traced back to its person (to tell them, or to show them what became
    of it) only in a live call of ``model`` that is not anonymous-verified in any of its
    language versions. ``field`` names the rows' call key. Subqueries: no query of its own.
    """
    pages = model.objects.all()
    return queryset.filter(**{f"{field}__in": pages.live().values("translation_key")}).exclude(
        **{
            f"{field}__in": pages.filter(anonymity=AnonymityMode.ANONYMOUS_VERIFIED).values(
                "translation_key"
            )
        }
    )
