"""The faculty promotion report: contributions listed, points totalled, faculty only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from participation.choices import IncentiveKind, SubmissionStatus
from participation.drafts import services as draft_services
from participation.drafts.choices import DecisionOutcome
from participation.drafts.models import ClauseDecision
from participation.ideas.models import IdeaAuthor
from participation.incentives import promotion, services
from participation.submissions.models import Submission
from tests.participation.drafts.factories import CLAUSE_A, add_draft, comment_on
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.ideas.factories import add_idea_call, draft_idea, submitted_idea
from tests.people.factories import UserFactory

from .conftest import SURVEY_TITLE, pdf_text, presentation_forms, readable, without_zwnj

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "پیش‌نویس آیین‌نامه تشکل‌ها"
IDEA_TITLE = "شب‌های شعر خوابگاه"


@pytest.fixture
def contributions(faculty, survey, calls, editor, issue, student):
    """A faculty member's record: points, a certificate, a response, a comment, an idea."""
    certificate = issue(faculty, call_page=survey)
    services.award(
        faculty,
        IncentiveKind.PROMOTION_POINTS,
        call_page=survey,
        reason="مشارکت در نظرسنجی",
        source="submission:1",
        points="2.5",
    )
    revoked = issue(faculty, kind=IncentiveKind.PROMOTION_POINTS, reason="امتیاز باطل", points=4)
    services.revoke(revoked, editor, "دلیل")

    Submission.objects.create(
        call=survey, call_key=survey.translation_key, participant=faculty, language="fa"
    )
    withdrawn = SurveyCampaignPageFactory(parent=calls, title="نظرسنجی پس‌گرفته")
    Submission.objects.create(
        call=withdrawn,
        call_key=withdrawn.translation_key,
        participant=faculty,
        language="fa",
        status=SubmissionStatus.WITHDRAWN,
    )

    draft = add_draft(calls)
    comment = comment_on(draft, faculty)
    decision = draft_services.record_decision(
        draft,
        editor,
        round_number=comment.round_number,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.ACCEPTED,
        reason="پذیرفته شد",
    )
    ClauseDecision.objects.filter(pk=decision.pk).update(notified_at=decision.decided_at)

    idea_call = add_idea_call(calls)
    submitted_idea(idea_call, faculty, title=IDEA_TITLE)
    draft_idea(idea_call, faculty, title="پیش‌نویس ایده")  # a draft: not listed
    others = submitted_idea(idea_call, student, title="ایدهٔ دیگران")
    IdeaAuthor.objects.create(idea=others, person=faculty, email=faculty.email)  # invited only
    return certificate


def test_the_report_lists_the_eligible_contributions(faculty, contributions):
    report = promotion.build_report(faculty)

    assert [line.points for line in report.points] == [Decimal("2.5")]
    assert report.total_points == Decimal("2.5")  # the revoked award does not count
    assert [line.code for line in report.certificates] == [contributions.display_code]
    assert report.certificates[0].url.endswith(f"/certificates/{contributions.display_code}/")
    assert [line.call_title for line in report.submissions] == [SURVEY_TITLE]
    [comment] = report.comments
    assert comment.call_title == DRAFT_TITLE
    assert comment.title.startswith("نظر دربارهٔ ")
    assert comment.outcome == "پذیرفته شد"
    [idea] = report.ideas
    assert idea.title == IDEA_TITLE
    assert idea.call_title == "فراخوان ایده‌های فرهنگی"
    assert idea.outcome
    assert report.university == "دانشگاه تهران"


def test_undecided_or_unannounced_decisions_are_not_shown(faculty, contributions):
    ClauseDecision.objects.update(notified_at=None)
    [comment] = promotion.build_report(faculty).comments
    assert comment.outcome == ""


def test_the_report_costs_a_fixed_number_of_queries(
    faculty, contributions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        promotion.build_report(faculty)


def test_faculty_download_the_report_as_a_persian_pdf(client, faculty, contributions):
    client.force_login(faculty)
    response = client.get(reverse("incentives:promotion_report"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert presentation_forms(text) == []
    assert "مریم احمدی" in text
    readable_text = readable(text)
    for expected in (
        "گزارش فعالیت‌ها برای ارتقا",
        SURVEY_TITLE,
        DRAFT_TITLE,
        IDEA_TITLE,
        "جمع امتیاز ارتقا: ۲٫۵",
        "وضعیت دانشگاهی تأیید نشده است",
    ):
        assert without_zwnj(expected) in readable_text, expected
    assert contributions.display_code in text
    assert "امتیاز باطل" not in readable_text
    assert "پیش‌نویس ایده" not in text


def test_others_are_told_the_report_is_for_faculty(client, student):
    client.force_login(student)
    response = client.get(reverse("incentives:promotion_report"))
    assert response.status_code == 403
    assert "گزارش ارتقا ویژهٔ اعضای هیئت علمی است" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("incentives:promotion_report"))
    assert response.status_code == 302


def test_an_empty_report_still_renders(client, university):
    newcomer = UserFactory(role="faculty", first_name="سارا", last_name="کریمی")
    client.force_login(newcomer)
    response = client.get(reverse("incentives:promotion_report"))
    assert response.status_code == 200
    text = readable(pdf_text(response.content))
    assert without_zwnj("هنوز گواهی‌ای صادر نشده است") in text
    assert "جمع امتیاز ارتقا: ۰" in text
