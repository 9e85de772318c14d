"""Wagtail 8's v3 API (OpenAPI 3.1) at /api/v3/, with its docs at /api/v3/docs/.

Read-only for anonymous callers and partner sites: its write operations need a Wagtail
API token of an editor (``BearerTokenAuth``), which neither has; a partner's OAuth
token is not one. Anonymous reads see live, public pages only and documents outside
restricted collections (tests/site/test_v3_api.py).

Two project choices on top of Wagtail's:

* The docs page is Ninja's Swagger UI served from Ninja's own static files ("ninja" in
  INSTALLED_APPS), with the online validator badge off: nothing is fetched from elsewhere.
* A listing refuses a query parameter that is neither declared nor a filterable field
  (400, as /api/v2/ does), where Wagtail's v3 silently ignores it: a misspelt filter
  must not return everything as if it had matched.
* Every endpoint's query goes through ``site.api_input.check_query`` first, as /api/v2/'s
  does: control characters (NUL) are a 400 and ``?search=`` keeps only words, so no input
  reaches the database as an error. The 400 is Wagtail's problem+json with our
  ``message`` and ``code`` added, in the reader's language.
* An unexpected error is never described in the response, even under DEBUG (Wagtail's
  handler puts the exception's text, e.g. a database error, in ``detail``).
"""

import functools
import logging

from django.conf import settings
from django.http import JsonResponse
from django.urls import URLPattern
from django.utils import translation
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from wagtail.api.v3.errors import DEFAULT_PROBLEM_TYPE, PROBLEM_JSON, problem_response
from wagtail.api.v3.schemas.params import APIFieldFilterSchema
from wagtail.api.v3.urls import api as v3_api

from .api_input import APIInputError, check_query

logger = logging.getLogger(__name__)

v3_api.docs = Swagger(settings={"validatorUrl": None})

# Query parameters a listing declares outside the filter schemas it names.
LISTING_PARAMETERS = {"limit", "offset", "rich_text_format"}
_filterable_fields = APIFieldFilterSchema.get_validated_fields


def _refuse_unknown_filters(self, queryset):
    fields = _filterable_fields(self, queryset)
    unknown = set(self.raw_params) - self.ignore_fields - LISTING_PARAMETERS - set(fields)
    if unknown:
        raise HttpError(400, f"query parameter is not supported: {', '.join(sorted(unknown))}")
    return fields


APIFieldFilterSchema.get_validated_fields = _refuse_unknown_filters


def input_error_response(error):
    """A refused query as problem+json, with the v2 API's ``message`` and ``code``."""
    body = {
        "type": DEFAULT_PROBLEM_TYPE,
        "title": "Bad Request",
        "status": 400,
        "detail": str(error.message),
        **error.as_json(),
    }
    return JsonResponse(body, status=400, content_type=PROBLEM_JSON)


def _checked_query(view):
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            try:
                check_query(request)
            except APIInputError as error:
                return input_error_response(error)
        return view(request, *args, **kwargs)

    return checked


_ninja_urls = v3_api._get_urls


def _checked_urls():
    return [
        URLPattern(url.pattern, _checked_query(url.callback), url.default_args, url.name)
        if isinstance(url, URLPattern)
        else url
        for url in _ninja_urls()
    ]


v3_api._get_urls = _checked_urls


@v3_api.exception_handler(Exception)
def _unexpected_error(request, exc):
    if not settings.DEBUG:
        raise exc
    logger.exception("Error in the v3 API", exc_info=exc)
    return problem_response(status=500, detail="Server error; see the server log.")


__all__ = ["v3_api"]
