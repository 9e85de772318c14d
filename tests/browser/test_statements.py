"""The statements block on a 375 px phone: vote through every statement, by keyboard too.

Screenshots are saved under test-artifacts/screenshots/ for a person to look at.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from participation.opinions.models import Statement, StatementVote
from tests.browser.fixtures import run_axe, save_screenshot
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
TEXTS = [
    "برنامه‌های فرهنگی دانشگاه باید عصرها برگزار شوند.",
    "تشکل‌های دانشجویی باید بودجهٔ مستقل داشته باشند.",
    "کتابخانهٔ دانشکده باید شب‌ها باز بماند.",
]


def sign_in(browser_page, live_server, user):
    client = Client()
    client.force_login(user)
    browser_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_participant_votes_through_every_statement_on_a_phone(
    transactional_db, live_server, home_page, make_page
):
    survey = SurveyCampaignPageFactory(parent=CallIndexPageFactory(parent=home_page))
    for text in TEXTS:
        Statement.objects.create(call_key=survey.call_key, text=text, seeded_by_editor=True)
    participant = UserFactory(role="student")
    page, outside = make_page(**PHONE)
    sign_in(page, live_server, participant)
    url = live_server.url + reverse("opinions:statements", args=[survey.call_key])

    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert "۰" in page.locator("#statements-progress").inner_text()
    save_screenshot(page, "statements-phone")
    assert run_axe(page) == []

    # The first vote by mouse, the others by keyboard (Tab to the button, Enter).
    with page.expect_navigation():
        page.get_by_role("button", name="موافقم").click()
    for _ in TEXTS[1:]:
        page.get_by_role("button", name="نظری ندارم").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "به همهٔ گزاره‌ها رأی داده‌اید" in page.content()
    assert sorted(StatementVote.objects.values_list("value", flat=True)) == [0, 0, 1]
    assert outside.urls == []


def test_a_participant_votes_through_the_block_on_the_call_page_on_a_phone(
    transactional_db, live_server, home_page, make_page
):
    survey = SurveyCampaignPageFactory(parent=CallIndexPageFactory(parent=home_page))
    survey.body = [
        (
            "statements",
            {
                "heading": "نظر شما دربارهٔ این گزاره‌ها چیست؟",
                "intro": "با هر گزاره موافق یا مخالف باشید، یا از آن بگذرید.",
                "statements": TEXTS,
                "participants_may_add": True,
            },
        )
    ]
    survey.save_revision().publish()  # seeds the statements
    participant = UserFactory(role="student")
    page, outside = make_page(**PHONE)
    sign_in(page, live_server, participant)
    call_url = live_server.url + survey.url

    page.goto(call_url)
    block = page.locator("#statements")
    assert block.get_by_role("heading", name="نظر شما دربارهٔ این گزاره‌ها چیست؟").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert "۰" in page.locator("#statements-progress").inner_text()
    block.scroll_into_view_if_needed()
    save_screenshot(page, "statements-block-phone")
    assert run_axe(page) == []

    # A mouse click, then the keyboard: Tab to the button, Enter. Each vote comes back to
    # the call page's block with the next statement.
    with page.expect_navigation():
        block.get_by_role("button", name="مخالفم").click()
    assert page.url.split("#")[0] == call_url
    assert "۱" in page.locator("#statements-progress").inner_text()
    for _ in TEXTS[1:]:
        block.get_by_role("button", name="موافقم").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.split("#")[0] == call_url
    assert "به همهٔ گزاره‌ها رأی داده‌اید" in block.inner_text()
    assert sorted(StatementVote.objects.values_list("value", flat=True)) == [-1, 1, 1]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert outside.urls == []
