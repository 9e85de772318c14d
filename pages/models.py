"""Page types. Thin: fields, panels and tree rules; behaviour lives in modules beside them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock


class ContentPage(Page):
    """Shared fields of pages made of an introduction and a block body."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    class Meta:
        abstract = True


class HomePage(ContentPage):
    """The site root for one language."""

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(ContentPage):
    """A plain content page: about, guides, announcements."""

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
