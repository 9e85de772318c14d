"""Wagtail 8's v3 API (OpenAPI 3.1) at /api/v3/, with its docs at /api/v3/docs/."""

from wagtail.api.v3.urls import api as v3_api

__all__ = ["v3_api"]
