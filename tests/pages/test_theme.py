"""The theme: base template landmarks, navigation, language switcher and the stylesheet."""

import re

import pytest
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from tests.helpers import PROJECT_ROOT
from tests.pages.factories import CallIndexPageFactory, StandardPageFactory

STYLESHEET = PROJECT_ROOT / "static/css/hadaf.css"
TEMPLATES = PROJECT_ROOT / "templates"


def css_without_comments():
    return re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)


def translate_to_english(page):
    """Publish an English copy of ``page`` the way wagtail-localize does."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translated, _ = source.create_or_update_translation(english, publish=False, fallback=True)
    translated.get_latest_revision().publish()
    return translated


@pytest.fixture
def site_tree(home_page):
    """Home with two menu sections, a page left out of menus and a nested page."""
    calls = CallIndexPageFactory(parent=home_page)
    about = StandardPageFactory(parent=home_page, slug="about", show_in_menus=True)
    StandardPageFactory(parent=home_page, slug="hidden", title="صفحهٔ پنهان")
    StandardPageFactory(
        parent=home_page, slug="draft", title="پیش‌نویس", show_in_menus=True, live=False
    )
    guide = StandardPageFactory(parent=about, slug="guide", title="راهنما")
    return {"home": home_page, "calls": calls, "about": about, "guide": guide}


# ---- Base template ----------------------------------------------------------------------


def test_lang_and_dir_follow_the_language(client, site_tree):
    assert '<html lang="fa" dir="rtl">' in client.get("/about/").content.decode()
    assert '<html lang="en" dir="ltr">' in client.get("/en/about/").content.decode()


def test_skip_link_targets_main(client, site_tree):
    html = client.get("/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html


def test_menu_lists_live_menu_children_of_home(client, site_tree):
    html = client.get("/").content.decode()
    menu = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]*)"', menu) == ["/calls/", "/about/"]
    assert "صفحهٔ پنهان" not in menu and "پیش‌نویس" not in menu


def test_menu_marks_the_current_section(client, site_tree):
    html = client.get("/about/guide/").content.decode()
    menu = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/about/" aria-current="true">' in menu
    html = client.get("/about/").content.decode()
    assert '<a href="/about/" aria-current="page">' in html


def test_breadcrumbs_lead_from_home_to_the_current_page(client, site_tree):
    html = client.get("/about/guide/").content.decode()
    crumbs = html.split('<nav class="breadcrumbs container" aria-label="', 1)[1]
    crumbs = crumbs.split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]*)"', crumbs) == ["/", "/about/", "/about/guide/"]
    assert '<a href="/about/guide/" aria-current="page">راهنما</a>' in crumbs
    assert crumbs.count("aria-current") == 1
    assert "<ol" in crumbs


def test_home_page_has_no_breadcrumbs(client, site_tree):
    assert 'class="breadcrumbs' not in client.get("/").content.decode()


def test_language_switcher_goes_to_the_translation(client, site_tree):
    translate_to_english(site_tree["home"])
    translate_to_english(site_tree["about"])
    html = client.get("/about/").content.decode()
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/about/" lang="en" hreflang="en" dir="ltr">English</a>' in switcher
    assert 'href="/about/" lang="fa" aria-current="true">فارسی</a>' in switcher
    english = client.get("/en/about/").content.decode()
    assert 'href="/about/" lang="fa" hreflang="fa" dir="rtl">فارسی</a>' in english


def test_language_switcher_says_when_a_page_is_not_translated(client, site_tree):
    guide = site_tree["guide"]
    html = client.get("/about/guide/").content.decode()
    notice_url = f"/en/untranslated/{guide.pk}/"
    assert f'href="{notice_url}" lang="en" hreflang="en"' in html
    notice = client.get(notice_url)
    assert notice.status_code == 200
    text = notice.content.decode()
    # In English and in Persian, with the way to the page and to the English home.
    assert f"“{guide.title}” exists only in Persian." in text
    with translation.override("fa"):
        persian = translation.gettext("“%(title)s” exists only in Persian.") % {
            "title": guide.title
        }
    assert persian in text and persian != f"“{guide.title}” exists only in Persian."
    assert 'href="/about/guide/"' in text and 'href="/en/"' in text
    assert client.get("/en/untranslated/999999/").status_code == 404


def test_english_menu_comes_from_the_english_home(client, site_tree):
    translate_to_english(site_tree["home"])
    about = translate_to_english(site_tree["about"])
    about.title = "About"
    about.save_revision().publish()
    html = client.get("/en/").content.decode()
    menu = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]*)"', menu) == ["/en/about/"]


def test_site_name_links_to_the_language_home(client, site_tree):
    translate_to_english(site_tree["home"])
    assert '<a class="brand" href="/en/">' in client.get("/en/").content.decode()
    assert '<a class="brand" href="/">' in client.get("/about/").content.decode()


# ---- Stylesheet and fonts -------------------------------------------------------------------


def test_vazirmatn_is_self_hosted_with_swap():
    css = css_without_comments()
    faces = re.findall(r"@font-face\s*{(.*?)}", css, flags=re.S)
    assert faces, "no @font-face"
    for face in faces:
        assert 'font-family: "Vazirmatn"' in face
        assert "font-display: swap" in face
        for url in re.findall(r'url\("([^"]+)"\)', face):
            assert (STYLESHEET.parent / url).resolve().is_file(), url
    assert any("font-weight: 100 900" in face for face in faces)
    assert "font-family: var(--font-body)" in css
    assert '"Vazirmatn", Tahoma, "Segoe UI", system-ui, sans-serif' in css


def test_font_licence_ships_with_the_font():
    assert (PROJECT_ROOT / "static/vendor/vazirmatn/OFL.txt").is_file()


def test_nothing_is_loaded_from_another_site():
    files = [STYLESHEET, *TEMPLATES.rglob("*.html")]
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in files
        if re.search(r"https?://|//fonts\.|@import", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_stylesheet_uses_logical_properties_only():
    css = css_without_comments()
    physical = re.findall(r"[^;{}]*\b(?:left|right)\b[^;{}]*", css)
    assert physical == []
    assert not re.search(r"\b(?:margin|padding|border)-(?:top|bottom)\b", css)
    assert not re.search(r"(?<![-\w])(?:top|bottom|width|height)\s*:", css)


def test_stylesheet_has_focus_styles_print_and_generous_persian_line_height():
    css = css_without_comments()
    assert ":focus-visible" in css
    assert "@media print" in css
    body = re.search(r"\nbody\s*{(.*?)}", css, flags=re.S).group(1)
    line_height = float(re.search(r"line-height:\s*([\d.]+)", body).group(1))
    assert 1.8 <= line_height <= 2


def test_the_untranslated_notice_never_shows_an_unpublished_page(client, site_tree):
    guide = site_tree["guide"]
    guide.unpublish()
    assert client.get(f"/en/untranslated/{guide.pk}/").status_code == 404
