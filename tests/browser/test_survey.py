"""A student answers a two-step survey on a phone, in a real browser."""

import pytest
from django.conf import settings
from django.test import Client

from participation.submissions.models import Submission
from tests.browser.fixtures import run_axe, save_screenshot
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import C, Q, R, SurveyCampaignPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser


def name(key, sub=None):
    return f"q_{Q[key]}" + (f"__{sub}" if sub else "")


@pytest.fixture
def survey_site(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    survey = SurveyCampaignPageFactory(
        parent=calls,
        body=[
            ("paragraph", "<p>پاسخ به پرسش‌ها حدود پنج دقیقه زمان می‌برد.</p>"),
            ("participation_form", {"heading": "در این نظرسنجی شرکت کنید", "intro": ""}),
        ],
    )
    return live_server, survey


def sign_in(browser_page, live_server, user):
    """Give the browser the session cookie of a signed-in test client."""
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


def test_a_student_answers_a_multi_step_survey_on_a_phone(survey_site, make_page):
    live_server, survey = survey_site
    page, outside = make_page(width=375, height=800)
    sign_in(page, live_server, UserFactory())
    page.goto(live_server.url + survey.url)
    page.wait_for_load_state("networkidle")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("progress.survey-progress__bar").get_attribute("value") == "1"
    assert "۱" in page.locator(".survey-progress__label").inner_text()
    assert run_axe(page) == []
    save_screenshot(page, "survey-step-1-375")

    # Sending the step empty shows the error summary, linked to the fields.
    page.get_by_role("button", name="Next step").or_(
        page.locator('button[value="next"]')
    ).first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#survey-errors").is_visible()
    assert page.locator(f"#id_{name('major')}").get_attribute("aria-invalid") == "true"
    assert run_axe(page) == []
    save_screenshot(page, "survey-step-1-errors-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 376

    page.locator(f"#id_{name('major')}").fill("علوم اجتماعی")
    page.locator(f'input[name="{name("attended")}"][value="{C["yes"]}"]').check()
    page.locator(f"#id_{name('story')}").fill("جشنوارهٔ تئاتر دانشجویی")
    page.locator(f"#id_{name('hours')}").fill("۱۲")
    page.locator(f"#id_{name('last_event')}").fill("۱۴۰۵/۰۹/۰۳")
    page.locator('button[value="next"]').click()
    page.wait_for_load_state("networkidle")

    assert page.locator("progress.survey-progress__bar").get_attribute("value") == "2"
    for choice in ("theatre", "books"):
        page.locator(f'input[name="{name("interests")}"][value="{C[choice]}"]').check()
    page.locator(f'input[name="{name("satisfied")}"][value="4"]').check()
    page.locator(f'input[name="{name("recommend")}"][value="9"]').check()
    for choice, rank in (("dorms", "2"), ("food", "1"), ("culture", "3")):
        page.locator(f"#id_{name('priorities', C[choice])}").select_option(rank)
    page.locator(f'input[name="{name("statements", R["varied"])}"][value="5"]').check()
    page.locator(f'input[name="{name("statements", R["timing"])}"][value="3"]').check()
    page.locator(f"#id_{name('consent')}").check()
    assert run_axe(page) == []
    save_screenshot(page, "survey-step-2-375")
    page.locator('button[value="submit"]').click()
    page.wait_for_load_state("networkidle")

    assert page.locator("#survey-thanks").is_visible()
    save_screenshot(page, "survey-thanks-375")
    assert run_axe(page) == []
    assert outside.urls == []
    submission = Submission.objects.get()
    assert submission.answers.get(question_id=Q["hours"]).number == 12
    assert submission.answers.filter(question_id=Q["interests"]).count() == 2
