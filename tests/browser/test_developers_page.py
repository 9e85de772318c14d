"""The developers' page in a real browser, on a phone: right to left in Persian with code
left to right, long commands scrolling inside their box rather than the page, axe clean.

Screenshots are saved under test-artifacts/screenshots/.
"""

import pytest
from wagtail.models import Locale

from tests.browser.fixtures import run_axe, save_screenshot
from tests.browser.test_draft_pages import PHONE, fits_the_screen, open_at
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def developers_site(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    survey = SurveyCampaignPageFactory(parent=calls, slug="culture-survey")
    english = Locale.objects.get_or_create(language_code="en")[0]
    home_page.copy_for_translation(english).save_revision().publish()
    return live_server, survey


def test_the_developers_page_on_a_phone(developers_site, make_page):
    live_server, survey = developers_site
    browser_page, outside = make_page(**PHONE)

    open_at(browser_page, live_server.url + "/developers/api/")
    assert browser_page.locator("html").get_attribute("dir") == "rtl"
    code = browser_page.locator("pre.dev-code code").first
    assert code.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert "/api/v2/pages/?type=pages.SurveyCampaignPage" in code.inner_text()
    # The long command scrolls inside its box; the page itself never scrolls sideways.
    box = browser_page.locator("pre.dev-code").first
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "developers-api-390")

    open_at(browser_page, live_server.url + "/en/developers/api/")
    assert browser_page.locator("html").get_attribute("dir") == "ltr"
    assert browser_page.locator("h1").inner_text() == "For developers: the Hadaf API"
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "developers-api-en-390")
    assert outside.urls == []
