"""A double click on a phone sends a form once, and the person sees the thank-you.

Without static/js/survey.js's and draft.js's guard, Chromium sends the form twice: the
server stores one response either way, but the second answer ("already received")
replaces the thank-you on screen.
"""

import pytest

from participation.drafts.models import ClauseComment
from participation.submissions.models import Submission
from tests.browser.test_survey import name, sign_in
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft
from tests.participation.factories import C, R, SurveyCampaignPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def no_fill_time_minimum(settings):
    # The browser fills the form in faster than a person could.
    settings.HADAF_MIN_FILL_SECONDS = 0


@pytest.fixture
def calls(transactional_db, live_server, home_page):
    return CallIndexPageFactory(parent=home_page)


def double_click(page, selector):
    """Two clicks on ``selector`` a moment apart, as a person's double click lands: the
    second while the first sending is already on its way."""
    page.locator(selector).first.evaluate(
        "button => { button.click(); setTimeout(() => button.click(), 60); }"
    )


def posts_of(page):
    """The POST requests the page sends from now on."""
    sent = []
    page.on(
        "request", lambda request: sent.append(request.url) if request.method == "POST" else None
    )
    return sent


def test_a_double_clicked_survey_submit_sends_once_and_thanks(calls, live_server, make_page):
    survey = SurveyCampaignPageFactory(parent=calls)
    page, _outside = make_page(**PHONE)
    sign_in(page, live_server, UserFactory())
    page.goto(live_server.url + survey.url)
    page.locator(f"#id_{name('major')}").fill("علوم اجتماعی")
    page.locator(f'input[name="{name("attended")}"][value="{C["yes"]}"]').check()
    page.locator(f"#id_{name('story')}").fill("جشنوارهٔ تئاتر دانشجویی")
    page.locator(f"#id_{name('hours')}").fill("۱۲")
    page.locator(f"#id_{name('last_event')}").fill("۱۴۰۵/۰۹/۰۳")
    page.locator('button[value="next"]').click()
    page.wait_for_load_state("networkidle")
    page.locator(f'input[name="{name("interests")}"][value="{C["books"]}"]').check()
    page.locator(f'input[name="{name("satisfied")}"][value="4"]').check()
    page.locator(f'input[name="{name("recommend")}"][value="9"]').check()
    for choice, rank in (("dorms", "2"), ("food", "1"), ("culture", "3")):
        page.locator(f"#id_{name('priorities', C[choice])}").select_option(rank)
    page.locator(f'input[name="{name("statements", R["varied"])}"][value="5"]').check()
    page.locator(f'input[name="{name("statements", R["timing"])}"][value="3"]').check()
    page.locator(f"#id_{name('consent')}").check()

    posts = posts_of(page)
    double_click(page, 'button[value="submit"]')
    page.wait_for_url(lambda url: "thanks=1" in url)
    page.wait_for_load_state("networkidle")

    assert page.locator("#survey-thanks").is_visible()
    assert len(posts) == 1
    assert Submission.objects.count() == 1


def test_a_double_clicked_comment_is_sent_once(calls, live_server, make_page):
    draft = add_draft(calls)
    page, _outside = make_page(**PHONE)
    sign_in(page, live_server, UserFactory())
    page.goto(f"{live_server.url}{draft.url}clause/{CLAUSE_A}/")
    page.locator('input[name="stance"][value="agree"]').check()
    page.locator('textarea[name="body"]').fill("این بند روشن است.")

    posts = posts_of(page)
    double_click(page, ".comment-form button[type=submit]")
    page.wait_for_url(lambda url: "#c-" in url)
    page.wait_for_load_state("networkidle")

    assert len(posts) == 1
    assert ClauseComment.objects.count() == 1
    # It lands on its own comment, with no "already commented" error.
    assert "#c-" in page.url
    assert page.locator("[data-error-summary]").count() == 0
