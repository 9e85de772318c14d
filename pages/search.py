"""Site search: live public pages of the active language, matched with Persian folding.

Pages index ``ContentPage.search_text`` (their text passed through
:func:`participation.persian.normalize_for_search`), so the query is folded the same way here and
Arabic letters, diacritics, any digits or a space for a half space still find the page.
"""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from wagtail.models import Locale, Page
from wagtail.rich_text import get_text_for_indexing

from participation.persian import normalize_for_search

RESULTS_PER_PAGE = 10
SNIPPET_WORDS = 30


def search_pages(query, locale=None):
    """Search live public pages of one locale.

    Args:
        query: The text typed by the visitor, folded here.
        locale: A ``Locale``; the active language's when omitted.

    Returns:
        Search results (sliceable, countable) of specific pages, best match first; no pages
        when the folded query is empty.
    """
    folded = normalize_for_search(query)
    pages = Page.objects.live().public().filter(locale=locale or Locale.get_active())
    if not folded:
        return pages.none()
    return pages.specific().search(folded, operator="and")


def snippet(page):
    """Plain text shown under a result: the search description, else the introduction."""
    text = page.search_description or get_text_for_indexing(getattr(page, "intro", "") or "")
    return Truncator(text).words(SNIPPET_WORDS)


def search(request):
    """Render ``search/search_results.html`` for ``?q=…&page=…``, ten results a page."""
    query = request.GET.get("q", "").strip()
    results = search_pages(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = list(page_obj.object_list)
    for result in page_obj.object_list:
        result.search_snippet = snippet(result)
    return TemplateResponse(
        request,
        "search/search_results.html",
        {
            "search_query": query,
            "page_obj": page_obj,
            "paginator": paginator,
            "results": page_obj.object_list,
        },
    )
