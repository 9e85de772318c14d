"""The page editor's «Show only if»: the earlier question and its answers are picked, not
typed, and what is picked is saved as block and choice ids."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pages.models import SurveyCampaignPage
from participation.questions.schema import read_questions
from tests.browser.fixtures import save_screenshot
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import UserFactory

GROUP = "a0000000-0000-4000-8000-000000000001"
REASON = "a0000000-0000-4000-8000-000000000002"
NEVER, ONCE, OFTEN = (f"b0000000-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))


@pytest.fixture
def survey(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی شرط‌ها",
        slug="conditions",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
        questions=[
            {
                "type": "single_choice",
                "id": GROUP,
                "value": {
                    "label": "چند بار شرکت کرده‌اید؟",
                    "code": "frequency",
                    "required": True,
                    "choices": [
                        {"type": "item", "value": {"label": "هرگز"}, "id": NEVER},
                        {"type": "item", "value": {"label": "۱ تا ۳ بار"}, "id": ONCE},
                        {"type": "item", "value": {"label": "بیش از ۳ بار"}, "id": OFTEN},
                    ],
                },
            },
            {"type": "short_text", "id": REASON, "value": {"label": "چرا؟", "code": "why"}},
        ],
    )
    calls.add_child(instance=page)
    return page


def test_an_editor_picks_the_condition_from_the_earlier_question(survey, live_server, make_page):
    page, _outside = make_page(width=1280, height=900)
    client = Client()
    client.force_login(UserFactory(email="picker@ministry.test", is_superuser=True, is_staff=True))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/pages/{survey.pk}/edit/")
    page.wait_for_load_state("networkidle")

    picker = page.locator('select[id$="-value-show_if-question-picker"]').nth(1)
    picker.wait_for(state="attached")
    # Only the earlier question is offered, by its label; no text box for ids is shown.
    options = picker.locator("option").all_inner_texts()
    assert "چند بار شرکت کرده‌اید؟" in options and "چرا؟" not in options
    assert page.locator('input[data-condition-picker][type="text"]').count() == 0

    # The questions are on their own tab, and blocks of a saved page start collapsed.
    picker.evaluate(
        """select => {
            const tab = select.closest('[role="tabpanel"]');
            if (tab) { document.querySelector(`[aria-controls="${tab.id}"]`).click(); }
            const toggle = select.closest('[data-panel]').querySelector('[data-panel-toggle]');
            if (toggle.getAttribute('aria-expanded') === 'false') { toggle.click(); }
        }"""
    )
    picker.select_option(GROUP)
    group = page.locator(".condition-picker__answers").nth(1)
    group.get_by_label("هرگز").check()
    group.get_by_label("۱ تا ۳ بار").check()
    save_screenshot(page, "admin-condition-picker")
    # Save as a draft (the form's default action).
    with page.expect_navigation():
        page.locator("#page-edit-form").evaluate("form => form.requestSubmit()")
    page.wait_for_load_state("networkidle")

    latest = SurveyCampaignPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    [_, reason] = read_questions(latest.questions).questions
    assert reason.condition.question_id == GROUP
    assert reason.condition.answers == (NEVER, ONCE)
