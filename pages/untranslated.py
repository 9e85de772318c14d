"""Where the language switcher sends a reader of a page that has no translation.

Rather than dropping them on the other language's home page (where the call they were
reading is nowhere to be found), they are told, in both languages, that the page exists
only in its own language, with a link to it and to the home page of the language they
chose.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page


def untranslated_url(page, language_code):
    """The notice's address for ``page`` in ``language_code`` (``/en/untranslated/12/``)."""
    with translation.override(language_code):
        return reverse("untranslated", args=[page.pk])


def untranslated(request, page_id):
    """The notice for live, public page ``page_id``; a translated page redirects nowhere
    else: its translation is linked instead."""
    page = Page.objects.live().public().filter(pk=page_id).select_related("locale").first()
    if page is None:
        raise Http404
    page = page.specific
    language = translation.get_language()
    translated = page.get_translations().live().filter(locale__language_code=language).first()
    context = {
        "page": page,
        "source_language": page.locale.language_code,
        "source_language_name": page.locale.get_display_name(),
        "translation": translated,
        "home_url": reverse("wagtail_serve", args=("",)),
    }
    response = TemplateResponse(request, "pages/untranslated.html", context)
    response["X-Robots-Tag"] = "noindex"  # A notice, not content of its own.
    return response
