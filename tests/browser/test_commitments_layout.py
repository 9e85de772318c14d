"""The commitments tracker on a 375 px phone: nothing wider than the screen, filters usable."""

import datetime

import pytest
from django.utils import timezone

from participation.drafts import outline
from participation.drafts.choices import DecisionOutcome
from participation.drafts.models import ClauseComment, ClauseDecision, DraftRound
from participation.impact import services
from participation.impact.choices import CommitmentStatus
from participation.impact.models import Milestone
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft
from tests.participation.impact.conftest import decision_ref, make
from tests.people.factories import EditorFactory, UniversityFactory, UserFactory

PHONE = 375
LONG_TITLE = (
    "ایجاد سامانهٔ یکپارچهٔ ثبت، پیگیری و گزارش‌دهی برنامه‌های فرهنگی مشترک تشکل‌های "
    "دانشجویی دانشگاه‌های سراسر کشور با امکان ارزیابی اثربخشی"
)


@pytest.fixture
def tracker(transactional_db, live_server, home_page):
    now = timezone.now()
    calls = CallIndexPageFactory(parent=home_page, slug="phone-calls")
    draft = add_draft(
        calls,
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now - datetime.timedelta(days=2),
        outcome_published_at=now - datetime.timedelta(days=1),
    )
    DraftRound.objects.create(
        call_key=draft.call_key, number=1, closed_at=now, text=outline.snapshot(draft.draft_text)
    )
    ClauseComment.objects.create(
        call=draft,
        call_key=draft.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        body="نظر",
        author=UserFactory(email="phone-commenter@ut.ac.ir"),
        language="fa",
    )
    decision = ClauseDecision.objects.create(
        call_key=draft.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.PARTLY_ACCEPTED,
        reason="بخشی از پیشنهاد پذیرفته شد.",
    )
    editor = EditorFactory(email="phone-editor@ministry.test")
    university = UniversityFactory(name="دانشگاه صنعتی امیرکبیر (پلی‌تکنیک تهران)")
    commitment = make(
        editor,
        draft,
        refs=[decision_ref(decision)],
        title=LONG_TITLE,
        responsible_unit="اداره کل فعالیت‌های فرهنگی و اجتماعی دانشجویان",
        university=university,
        due_date=datetime.date(2026, 9, 22),
    )
    Milestone.objects.create(commitment=commitment, title="اجرای آزمایشی", date=now.date())
    commitment.status = CommitmentStatus.DROPPED
    services.change_commitment(editor, commitment, reason="بودجه " * 40, tell=False)
    return live_server, commitment


def test_the_tracker_and_a_commitment_fit_a_phone(tracker, make_page):
    live_server, commitment = tracker
    page, _ = make_page(width=PHONE)
    for path in ("/commitments/", f"/commitments/{commitment.pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE + 1, path
        assert page.evaluate("document.documentElement.dir") == "rtl"
    page.goto(live_server.url + "/commitments/")
    page.select_option("#filter-kind", "draft")
    page.get_by_role("button", name="پالایش").click()
    page.wait_for_load_state("networkidle")
    assert "kind=draft" in page.url
    assert page.locator(".commitment").count() == 1
