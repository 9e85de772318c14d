"""The read API for other university sites: Wagtail API v2 at /api/v2/.

Pages (every type, with its StreamField content), images and documents, read-only; only
live pages without view restrictions. Call pages add their kind, state, dates (ISO 8601
and Jalali), audience, form schema, outcome and published aggregates (``pages.api_fields``),
every page its other language versions. Besides Wagtail's filters: ``?state=`` (calls in
these states now, ``site.api_input``). Anonymous reads are cacheable (``site.api_cache``).

The viewsets also fetch what Wagtail fetches per item with the list instead (locale, a
page type's ``api_select_related``, tags, translations, results), so a listing costs the
same number of queries for 3 items or 50.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import TagsField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.api.v2.views import PagesAPIViewSet as BasePagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as BaseDocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet as BaseImagesAPIViewSet

from pages.api_fields import ListingData
from participation.impact import api as commitment_api
from participation.impact.models import Commitment

from . import api_cache
from .api_input import (
    STATE_PARAMETER,
    APIInputError,
    CallStateFilter,
    CappedPagination,
    CheckedFieldsFilter,
    check_query,
    error_json,
    invalid_filter_value,
)


class ReadAPIMixin:
    """What every endpoint here shares: JSON errors, capped pages, reader caching.

    No DRF authentication: everything served is public, and not opening the session
    keeps anonymous responses free of ``Vary: Cookie`` (``api_cache`` looks at the
    session cookie itself to mark signed-in reads private).
    """

    pagination_class = CappedPagination
    authentication_classes = []
    permission_classes = [AllowAny]

    def dispatch(self, request, *args, **kwargs):
        def render():
            response = super(ReadAPIMixin, self).dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

        # The API has no language prefix, so refusals speak the reader's Accept-Language
        # (Persian by default). The data does not change: labels are in each page's own
        # language, which keeps the kept copies one per URL.
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            return api_cache.serve(request, render)

    def initial(self, request, *args, **kwargs):
        # Before Wagtail reads the query: control characters and search operators refused
        # or dropped here would otherwise reach the database (a 500, not a 400).
        check_query(request._request)
        super().initial(request, *args, **kwargs)

    def get_renderer_context(self):
        # Compact JSON: Wagtail indents by 4, which doubles the size and runs Python's slow
        # JSON encoder instead of the C one (most of a long listing's time).
        context = super().get_renderer_context()
        context["indent"] = None
        return context

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            return Response(error_json(exc), status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, ValidationError):
            # A filter value the database field cannot take, found when the query runs.
            return Response(invalid_filter_value().as_json(), status=status.HTTP_400_BAD_REQUEST)
        response = super().handle_exception(exc)
        if response.status_code == status.HTTP_404_NOT_FOUND:
            response.data = {"message": str(_("Not found.")), "code": "not_found"}
        return response

    def check_query_parameters(self, queryset):
        try:
            super().check_query_parameters(queryset)
        except BadRequestError as exc:
            allowed = set(self.get_available_fields(queryset.model, db_fields_only=True))
            unknown = sorted(set(self.request.GET) - allowed - self.known_query_parameters)
            raise APIInputError(
                _("Unknown query parameter: %(names)s. See the API documentation for filters.")
                % {"names": ", ".join(unknown)},
                "unknown_parameter",
                parameters=unknown,
            ) from exc

    def get_serializer_class(self):
        try:
            return super().get_serializer_class()
        except APIInputError:
            raise
        except BadRequestError as exc:
            raise APIInputError(
                _("Unknown or malformed “fields”: %(detail)s") % {"detail": str(exc)},
                "invalid_fields",
            ) from exc


class PagesAPIViewSet(ReadAPIMixin, BasePagesAPIViewSet):
    filter_backends = [
        CheckedFieldsFilter,
        *BasePagesAPIViewSet.filter_backends[1:-1],
        CallStateFilter,
        BasePagesAPIViewSet.filter_backends[-1],  # search, which must come last
    ]
    known_query_parameters = BasePagesAPIViewSet.known_query_parameters.union([STATE_PARAMETER])

    def get_queryset(self):
        try:
            queryset = super().get_queryset()
        except BadRequestError as exc:
            raise APIInputError(
                _("Unknown page type. Use app_label.ModelName, e.g. pages.SurveyCampaignPage."),
                "invalid_type",
            ) from exc
        related = getattr(queryset.model, "api_select_related", ())
        return queryset.select_related("locale", *related)

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        pages = list(self.paginate_queryset(queryset))
        self.listing_data = ListingData(pages, request)
        serializer = self.get_serializer(pages, many=True)
        return self.get_paginated_response(serializer.data)

    def detail_view(self, request, pk):
        self.listing_data = ListingData([self.get_object()], request)
        return super().detail_view(request, pk)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["listing_data"] = getattr(self, "listing_data", None)
        return context


class PrefetchedTagsField(TagsField):
    """Tag names from the prefetched tags (Wagtail's field queries once per item)."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class PrefetchedTagsMixin:
    def build_property_field(self, field_name, model_class):
        field_class, kwargs = super().build_property_field(field_name, model_class)
        if field_class is TagsField:
            return PrefetchedTagsField, kwargs
        return field_class, kwargs


class ImageListSerializer(PrefetchedTagsMixin, ImageSerializer):
    pass


class DocumentListSerializer(PrefetchedTagsMixin, DocumentSerializer):
    pass


class ImagesAPIViewSet(ReadAPIMixin, BaseImagesAPIViewSet):
    base_serializer_class = ImageListSerializer
    filter_backends = [CheckedFieldsFilter, *BaseImagesAPIViewSet.filter_backends[1:]]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class DocumentsAPIViewSet(ReadAPIMixin, BaseDocumentsAPIViewSet):
    base_serializer_class = DocumentListSerializer
    filter_backends = [CheckedFieldsFilter, *BaseDocumentsAPIViewSet.filter_backends[1:]]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class CommitmentsAPIViewSet(ReadAPIMixin, BaseAPIViewSet):
    """``/api/v2/commitments/``: what the ministry committed to after each call, with the
    contributions that led to it, milestones and dated updates (commitments of live calls).

    Filters: ``?status=``, ``?call_kind=``, ``?call_key=``, ``?responsible_unit=``; the
    cited contributions are described for the whole page at once (constant queries).
    """

    model = Commitment
    name = "commitments"
    filter_backends = [CheckedFieldsFilter, OrderingFilter]
    body_fields = [
        *BaseAPIViewSet.body_fields,
        "title",
        "description",
        "status",
        APIField("status_label", serializer=commitment_api.StatusLabelField()),
        "status_reason",
        "progress",
        "responsible_unit",
        APIField("university", serializer=commitment_api.UniversityField()),
        "due_date",
        APIField("due_date_jalali", serializer=commitment_api.DueDateJalaliField()),
        "call_kind",
        "call_key",
        APIField("call", serializer=commitment_api.CallField()),
        APIField("sources", serializer=commitment_api.SourcesField()),
        APIField("milestones", serializer=commitment_api.MilestonesField()),
        APIField("updates", serializer=commitment_api.UpdatesField()),
        "created_at",
        "updated_at",
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "status",
        "status_label",
        "progress",
        "responsible_unit",
        "due_date",
        "due_date_jalali",
        "call",
        "sources",
        "updated_at",
    ]

    def get_queryset(self):
        return Commitment.objects.public().for_listing().order_by("-created_at", "-pk")

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        commitments = commitment_api.prepare(self.paginate_queryset(queryset))
        serializer = self.get_serializer(commitments, many=True)
        return self.get_paginated_response(serializer.data)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("commitments", CommitmentsAPIViewSet)
