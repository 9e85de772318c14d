"""The read API for other university sites: Wagtail API v2 at /api/v2/.

Pages (every type, with its StreamField content), images and documents, read-only.
The headless-API issue grows this (call fields, aggregates, v3/OpenAPI, partner keys).

The viewsets below only add what Wagtail's leave out for listings: the related rows
each item shows (locale, a page type's ``api_select_related``, tags), fetched with the
list, so a listing costs the same number of queries for 3 items or 50.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import TagsField
from wagtail.api.v2.views import PagesAPIViewSet as BasePagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as BaseDocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet as BaseImagesAPIViewSet


class PagesAPIViewSet(BasePagesAPIViewSet):
    def get_queryset(self):
        queryset = super().get_queryset()
        related = getattr(queryset.model, "api_select_related", ())
        return queryset.select_related("locale", *related)


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


class ImagesAPIViewSet(BaseImagesAPIViewSet):
    base_serializer_class = ImageListSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class DocumentsAPIViewSet(BaseDocumentsAPIViewSet):
    base_serializer_class = DocumentListSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
