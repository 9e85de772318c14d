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
"""

from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from wagtail.api.v3.schemas.params import APIFieldFilterSchema
from wagtail.api.v3.urls import api as v3_api

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

__all__ = ["v3_api"]
