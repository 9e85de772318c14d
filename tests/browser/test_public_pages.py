"""Every public template in a real browser: RTL, Vazirmatn, accessibility, no outside requests.

Screenshots at phone (375 px) and desktop (1280 px) widths are saved under
test-artifacts/screenshots/ for a person to look at.
"""

import pytest

from tests.browser.fixtures import run_axe, save_screenshot, used_font_families

PUBLIC_PAGES = [
    # (name, path, expected direction)
    ("home", "/", "rtl"),
    ("call-index", "/calls/", "rtl"),
    ("news-index", "/news/", "rtl"),
    ("news-page", "/news/launch/", "rtl"),
    ("standard-page", "/about/", "rtl"),
    ("search", "/search/?q=%D9%81%D8%B1%D9%87%D9%86%DA%AF", "rtl"),
    ("not-found", "/no-such-page/", "rtl"),
    ("home-en", "/en/", "ltr"),
    ("standard-page-en", "/en/about/", "ltr"),
]


@pytest.mark.parametrize("width", [375, 1280])
def test_public_pages(seeded_site, make_page, width):
    """Every public page at one width; one seeded site for all of them (seeding is slow)."""
    page, outside = make_page(width=width)
    for name, path, direction in PUBLIC_PAGES:
        page.goto(seeded_site.url + path)
        page.wait_for_load_state("networkidle")

        html = page.locator("html")
        assert html.get_attribute("dir") == direction, name
        assert html.get_attribute("lang") == ("fa" if direction == "rtl" else "en"), name
        # Nothing scrolls sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
        assert "Vazirmatn" in used_font_families(page, "h1"), name
        assert run_axe(page) == [], name
        save_screenshot(page, f"{name}-{width}")
    assert outside.urls == []


def test_language_switch_goes_to_the_translated_page(seeded_site, make_page):
    page, outside = make_page()
    page.goto(seeded_site.url + "/about/")
    page.locator('a[hreflang="en"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == seeded_site.url + "/en/about/"
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.locator('a[hreflang="fa"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == seeded_site.url + "/about/"
    assert outside.urls == []


def test_search_finds_persian_text_typed_with_arabic_letters(seeded_site, make_page):
    page, outside = make_page(width=375)
    page.goto(seeded_site.url + "/")
    # «دانشگاهیان» typed with an Arabic yeh, as on an Arabic keyboard, in the header's search box.
    page.locator("#site-search-query").fill("دانشگاهيان")
    page.locator("#site-search-query").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("main a").filter(has_text="همیاری").count() >= 1
    assert outside.urls == []
