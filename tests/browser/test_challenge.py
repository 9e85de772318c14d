"""The fallback challenge in a real browser, on a phone: a person whose campus address went
over its limit answers the question in Persian and their comment goes through unchanged.

Screenshots are saved under test-artifacts/screenshots/.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from participation.drafts.models import ClauseComment
from participation.protection import challenge, limits
from tests.browser.fixtures import run_axe, save_screenshot
from tests.browser.test_draft_pages import PHONE, Draft, fits_the_screen, open_at, sign_in
from tests.helpers.challenge import answer_of_token
from tests.pages.factories import CallIndexPageFactory, RegulationDraftPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_campus(settings, monkeypatch, transactional_db, live_server, home_page):
    """A draft open for comments, on an address whose soft limit is one comment a day (a
    minute's window could roll over between the two comments on a slow machine)."""
    settings.HADAF_RATE_LIMITS = True
    scope = limits.Scope(
        "comment",
        (limits.Rule(limits.ACCOUNT, "5/m"), limits.Rule(limits.IP, "1/d", soft=True)),
        honeypot=True,
        fill_time=True,
    )
    monkeypatch.setitem(limits.SCOPES, "comment", scope)
    calls = CallIndexPageFactory(parent=home_page)
    return live_server, Draft(RegulationDraftPageFactory(parent=calls))


def comment(page, text):
    page.locator('input[name="stance"][value="oppose"]').check()
    page.locator("#id_body").fill(text)
    page.locator('.comment-form button[type="submit"]').click()
    page.wait_for_load_state("networkidle")


def sum_asked(page):
    """The answer, found as only the server can (from the token's keyed hash)."""
    return answer_of_token(page.locator('input[name="challenge_token"]').get_attribute("value"))


def number_words(text):
    return [word for word in re.split(r"[\s?؟:،,]+", text) if word in challenge.ACCEPTED_WORDS]


def test_a_person_over_the_address_limit_answers_and_the_comment_goes_through(
    busy_campus, make_page
):
    live_server, draft = busy_campus
    neighbour, person = UserFactory(), UserFactory(first_name="سارا", last_name="رضایی")
    page, outside = make_page(**PHONE)

    # Someone else on the same address used the day's share.
    sign_in(page, live_server, neighbour)
    open_at(page, draft.clause_url(live_server, draft.article_1))
    comment(page, "نظر همسایه")
    page.context.clear_cookies()

    sign_in(page, live_server, person)
    open_at(page, draft.clause_url(live_server, draft.article_1))
    comment(page, "این ماده نهاد ناظر را مشخص نمی‌کند.")

    with translation.override("fa"):
        assert page.locator("h1").inner_text() == gettext("One more step")  # «یک گام دیگر»
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    # The sum is a picture; nothing of it is in the page's text.
    assert page.locator("img.challenge-picture").is_visible()
    assert not number_words(page.locator("main form").inner_text())
    assert fits_the_screen(page)
    assert run_axe(page) == []
    save_screenshot(page, "challenge-390")
    assert not ClauseComment.objects.filter(author=person).exists()

    # Someone who cannot see it asks for the question in words.
    page.locator('button[name="challenge_mode"]').click()
    page.wait_for_load_state("networkidle")
    label = page.locator('label[for="challenge-answer"]').inner_text()
    assert len(number_words(label)) == 2, label
    assert run_axe(page) == []
    save_screenshot(page, "challenge-words-390")

    # A wrong answer asks again, the comment still kept.
    page.locator("#challenge-answer").fill(str(sum_asked(page) + 1))
    page.locator('main button[type="submit"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#challenge-answer").get_attribute("aria-invalid") == "true"
    assert run_axe(page) == []

    persian_digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    page.locator("#challenge-answer").fill(str(sum_asked(page)).translate(persian_digits))
    page.locator('main button[type="submit"]').first.click()
    page.wait_for_load_state("networkidle")

    stored = ClauseComment.objects.get(author=person)
    assert stored.body == "این ماده نهاد ناظر را مشخص نمی‌کند."
    assert page.locator(f"#c-{stored.uuid}").is_visible()
    assert outside.urls == []
