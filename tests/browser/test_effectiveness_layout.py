"""The effectiveness dashboard on a 375 px phone, right to left: the public summary and the
editors' screen are no wider than the screen (wide tables scroll inside their own box), with
long university names and call titles, hidden small counts and "did we hear you?" scores."""

import datetime

import pytest
from django.utils import timezone

from participation.choices import Role, SubmissionStatus
from participation.impact import effectiveness
from participation.impact.models import HeardAnswer
from participation.submissions.models import Submission
from tests.browser.fixtures import save_screenshot
from tests.browser.test_admin_persian import signed_in, superuser
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

PHONE = 375
LONG_UNIVERSITY = "دانشگاه علوم پزشکی و خدمات بهداشتی درمانی شهید بهشتی (پردیس بین‌المللی کیش)"
LONG_TITLE = (
    "نظرسنجی سراسری دربارهٔ برنامه‌های فرهنگی، هنری و اجتماعی تشکل‌های دانشجویی "
    "دانشگاه‌های سراسر کشور در سال تحصیلی ۱۴۰۴–۱۴۰۵"
)


@pytest.fixture
def counted(transactional_db, live_server, home_page):
    now = timezone.now()
    calls = CallIndexPageFactory(parent=home_page, slug="effectiveness-calls")
    survey = SurveyCampaignPageFactory(
        parent=calls,
        title=LONG_TITLE,
        opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=10),
        outcome_published_at=now - datetime.timedelta(days=3),
    )
    rows = [(LONG_UNIVERSITY, 12), ("دانشگاه تهران", 7), ("دانشگاه یزد", 2)]
    Submission.objects.bulk_create(
        Submission(
            call=survey,
            call_key=survey.call_key,
            language="fa",
            status=SubmissionStatus.SUBMITTED,
            respondent_role=[Role.STUDENT, Role.FACULTY, Role.STAFF][index % 3],
            respondent_university=university,
            submitted_at=now - datetime.timedelta(days=20),
        )
        for university, number in rows
        for index in range(number)
    )
    for index in range(6):
        HeardAnswer.objects.create(
            call=survey,
            call_key=survey.call_key,
            person=UserFactory(email=f"heard-phone-{index}@university.test"),
            score=1 + index % 5,
            language="fa",
        )
    effectiveness.refresh()
    return live_server


def _fits(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    save_screenshot(page, name)
    assert page.evaluate("document.documentElement.dir") == "rtl", url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE + 1, f"{url} is {width} px wide at {PHONE} px"
    # Every figure's text is inside the screen (a table may scroll inside its own box).
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll('.effectiveness__figure, h1, h2, h3, p')]
            .filter((element) => !element.closest('.block-table'))
            .filter((element) => {
                const box = element.getBoundingClientRect();
                return box.width > 0 && (box.left < -1 || box.right > width + 1);
            })
            .map((element) => element.textContent.trim().slice(0, 60))""",
        PHONE,
    )
    assert outside == [], (url, outside)


def test_the_public_summary_and_the_editors_screen_fit_a_phone(counted, make_page):
    live_server = counted
    page, _outside = make_page(width=PHONE)
    _fits(page, live_server.url + "/commitments/effectiveness/", "effectiveness-public-375")
    assert page.get_by_text("کمتر از ۵").first.is_visible()
    editor_page, _outside = signed_in(make_page, live_server, superuser(), width=PHONE)
    _fits(editor_page, live_server.url + "/admin/effectiveness/", "effectiveness-admin-375")
    assert editor_page.get_by_text(LONG_UNIVERSITY).first.count() == 1
