"""The partner API's URLs: /api/hadaf/v1/ with openapi.json and docs/ (participation/partners)."""

from .api import api

urlpatterns = [*api.urls[0]]
# The instance namespace Ninja reverses its docs and schema URLs under.
app_name = api.urls_namespace
