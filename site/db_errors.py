"""A lost database connection answers 503 with a clear page, and the next request reconnects.

When PostgreSQL restarts, or a connection is cut, psycopg raises ``OperationalError`` or
``InterfaceError`` (Django's wrappers) in whatever touches the database next. Without
this middleware the visitor gets the generic 500 page and the worker keeps the broken
connection until the end of the request. Here:

* a view's error reaches :meth:`DatabaseUnavailableMiddleware.process_exception`;
* an error raised elsewhere (another middleware saving the session, loading the user…)
  has already been turned into a 500 response by Django's handler, which sends
  ``got_request_exception`` first: :func:`remember_database_error` marks the request, and
  the middleware, first in ``MIDDLEWARE``, replaces that 500 with the 503.

Either way the broken connections are closed (what was not committed is rolled back
by the server when the connection goes), so the next request opens a fresh one;
``CONN_HEALTH_CHECKS`` catches a connection that died between requests.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger("hadaf.db_errors")

TEMPLATE = "503.html"
# Long enough for PostgreSQL to come back from a restart, short enough to be worth waiting.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
_MARK = "_hadaf_database_error"


# SQLSTATE classes of a lost server: connection exceptions (08), and operator intervention
# (57P: admin shutdown, crash shutdown, cannot connect now — what a restart looks like).
UNAVAILABLE_SQLSTATES = ("08", "57P")
# SQLite's OperationalErrors for a database it cannot use right now; others (a syntax
# error, a missing table) are bugs and stay 500s.
SQLITE_UNAVAILABLE = ("database is locked", "disk i/o error", "unable to open database")


def is_database_unavailable(error):
    """Whether ``error`` means the database could not be reached or the connection broke."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    if type(cause).__module__.startswith("psycopg"):
        # psycopg's own errors without a SQLSTATE: connecting failed, or the connection was
        # lost or closed under us.
        return True
    return str(error).lower().startswith(SQLITE_UNAVAILABLE)


def discard_broken_connections():
    """Close every connection that saw an error or no longer answers.

    Closing a connection inside a transaction makes the server roll it back, so no
    half-written submission stays behind; an ``atomic`` block still open is marked
    for rollback by ``close()`` itself.
    """
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        try:
            broken = connection.errors_occurred or not connection.is_usable()
        except Exception:  # noqa: BLE001 - a connection that cannot even be asked is broken
            broken = True
        if not broken:
            continue
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a dead socket may fail; it is gone anyway
            logger.debug("Closing the broken %s connection failed.", connection.alias)
            connection.connection = None


def is_api_request(request):
    return request.path.startswith("/api/")


def unavailable_response(request):
    """The 503 answer: JSON for the APIs, otherwise a page that needs no database."""
    message = gettext(
        "The service is temporarily unavailable. Nothing was saved; please try again in a moment."
    )
    if is_api_request(request):
        response = JsonResponse({"error": message}, status=503)
    else:
        html = render_to_string(TEMPLATE, {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never kept by the page cache or a proxy: the next request must try again.
    response["Cache-Control"] = "no-store"
    return response


def remember_database_error(sender, request=None, **kwargs):
    """``got_request_exception`` receiver: mark a request whose error was a lost database."""
    error = sys.exc_info()[1]
    if request is not None and is_database_unavailable(error):
        setattr(request, _MARK, True)


got_request_exception.connect(remember_database_error, dispatch_uid="hadaf.db_errors")


class DatabaseUnavailableMiddleware:
    """First in ``MIDDLEWARE``: a lost database connection becomes a 503, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            discard_broken_connections()
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable while serving %s: %s",
            request.path,
            exception,
            exc_info=exception,
        )
        discard_broken_connections()
        return unavailable_response(request)
