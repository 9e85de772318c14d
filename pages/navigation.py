"""Navigation built from the page tree, for the active language.

The menu is the live, public, "show in menus" children of the current locale's
home page; the language switcher points at the page's translation when there is
a live one, otherwise at a notice that the page exists only in its own language.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from .untranslated import untranslated_url


@dataclass(frozen=True)
class Link:
    """One navigation link; ``current`` is its ``aria-current`` value ("page", "true" or "")."""

    title: str
    url: str
    current: str = ""


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher."""

    code: str
    name: str
    url: str
    current: bool = False
    bidi: bool = False


@dataclass
class Navigation:
    """Everything base.html needs to draw the header and breadcrumbs."""

    home_url: str = "/"
    menu: list = field(default_factory=list)
    breadcrumbs: list = field(default_factory=list)
    languages: list = field(default_factory=list)


def language_root_url(language_code):
    """The URL of a language's home, with its prefix (``/`` or ``/en/``)."""
    with translation.override(language_code):
        return reverse("wagtail_serve", args=("",))


def locale_home(request):
    """The site's root page in the active locale (the default root if untranslated)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized.specific


def menu_links(request, home, page=None):
    """Links to the home page's children that editors put in menus."""
    children = home.get_children().live().public().in_menu()
    return [
        Link(title=child.title, url=child.get_url(request), current=_current(child, page))
        for child in children
    ]


def _current(item, page):
    """``aria-current`` for a menu item: the page itself, one of its sections, or neither."""
    if page is None:
        return ""
    if item.pk == page.pk:
        return "page"
    return "true" if page.url_path.startswith(item.url_path) else ""


def breadcrumb_links(request, home, page):
    """Ancestors of ``page`` from the home page down, then the page itself (current)."""
    if page is None or home is None or page.pk == home.pk or not page.is_descendant_of(home):
        return []
    ancestors = page.get_ancestors().filter(depth__gt=home.depth)
    links = [Link(title=_("Home"), url=home.get_url(request))]
    links += [Link(title=ancestor.title, url=ancestor.get_url(request)) for ancestor in ancestors]
    links.append(Link(title=page.title, url=page.get_url(request), current="page"))
    return links


def translated_url(request, page, language_code):
    """Where the switcher sends a reader of ``page`` (or of a non-page view) in another language."""
    if page is not None:
        locale = Locale.objects.filter(language_code=language_code).first()
        target = page.get_translation_or_none(locale) if locale else None
        if target is not None and target.live:
            return target.get_url(request)
        if page.live and page.depth > 2:
            return untranslated_url(page, language_code)
        return language_root_url(language_code)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return language_root_url(language_code)
    if match.url_name == "wagtail_serve":
        return language_root_url(language_code)
    return translate_url(request.path, language_code)


def language_links(request, page=None):
    """One link per configured language; the active one is marked current."""
    active = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        current = code == active
        url = request.path if current else translated_url(request, page, code)
        links.append(
            LanguageLink(
                code=code, name=info["name_local"], url=url, current=current, bidi=info["bidi"]
            )
        )
    return links


def build(request, page=None):
    """The navigation for ``request`` showing ``page`` (``None`` outside the page tree).

    Args:
        request: the current request; decides the site and, through the URL, the language.
        page: the Wagtail page being served, if any.

    Returns:
        Navigation: home URL, menu links, breadcrumbs and language links.
    """
    if not isinstance(page, Page):
        page = None
    home = locale_home(request)
    if home is None:
        return Navigation(
            home_url=language_root_url(translation.get_language()),
            languages=language_links(request, page),
        )
    return Navigation(
        home_url=home.get_url(request) or language_root_url(translation.get_language()),
        menu=menu_links(request, home, page),
        breadcrumbs=breadcrumb_links(request, home, page),
        languages=language_links(request, page),
    )
