"""The effectiveness dashboard: figures counted right on a small known dataset, the
editors' screen refused to others, the XLSX export, and a query count that does not grow."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participation.choices import OrganizationKind, Role, SubmissionStatus
from participation.drafts.choices import ModerationState
from participation.drafts.models import ClauseComment, ClauseDecision
from participation.ideas.choices import IdeaKind, IdeaStatus
from participation.ideas.models import Idea
from participation.impact import effectiveness, services
from participation.impact.choices import CommitmentStatus
from participation.impact.models import FigureScope
from participation.people.models import Organization
from participation.submissions.models import Submission
from tests.participation.drafts.factories import CLAUSE_A
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

from .conftest import decision_ref, make

pytestmark = pytest.mark.django_db

TEHRAN = "دانشگاه تهران"
SHIRAZ = "دانشگاه شیراز"


def _submission(survey, university, role, status=SubmissionStatus.SUBMITTED):
    return Submission.objects.create(
        call=survey,
        call_key=survey.call_key,
        language="fa",
        status=status,
        respondent_role=role,
        respondent_university=university,
    )


@pytest.fixture
def known(calls, draft, comment, decision, idea, idea_page, editor, university):
    """A known dataset.

    Draft: two top-level comments on clause A (Tehran faculty ×1, Shiraz student ×1), a
    reply and a removed comment (neither counted); the clause's decision accepted and its
    notice sent; a commitment citing the decision, done 5 days after the outcome.
    Ideas: the winner (Tehran faculty), one submitted on behalf of Tehran's cultural deputy,
    one draft. Survey: three submitted (two Tehran students, one Shiraz staff), one withdrawn.
    """
    shiraz = type(university).objects.create(name=SHIRAZ)
    commenter = comment.author
    commenter.university = university
    commenter.role = Role.FACULTY
    commenter.save()
    comment.author_role = Role.FACULTY
    comment.save()
    student = UserFactory(email="student@shiraz.test", university=shiraz, role=Role.STUDENT)
    ClauseComment.objects.create(
        call=draft,
        call_key=draft.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        body="موافقم.",
        author=student,
        author_role=Role.STUDENT,
        language="fa",
    )
    ClauseComment.objects.create(
        call=draft,
        call_key=draft.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        body="پاسخ",
        author=student,
        parent=comment,
        kind="reply",
        language="fa",
    )
    ClauseComment.objects.create(
        call=draft,
        call_key=draft.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        kind="new_clause",
        body="حذف‌شده",
        author=commenter,
        language="fa",
        moderation_state=ModerationState.REMOVED,
    )
    ClauseDecision.objects.filter(pk=decision.pk).update(notified_at=timezone.now())
    author = idea.created_by
    author.university = university
    author.role = Role.FACULTY
    author.save()
    deputy = Organization.objects.create(
        name="معاونت فرهنگی دانشگاه تهران",
        kind=OrganizationKind.CULTURAL_DEPUTY,
        university=university,
    )
    for status, organization in ((IdeaStatus.SUBMITTED, deputy), (IdeaStatus.DRAFT, None)):
        Idea.objects.create(
            call=idea_page,
            call_key=idea_page.call_key,
            language="fa",
            kind=IdeaKind.IDEA,
            title="ایدهٔ دیگر",
            summary="خلاصه",
            status=status,
            created_by=author,
            organization=organization,
            submitted_at=timezone.now() if status != IdeaStatus.DRAFT else None,
        )
    now = timezone.now()
    survey = SurveyCampaignPageFactory(
        parent=calls,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=10),
        outcome_published_at=now - datetime.timedelta(days=6),
    )
    _submission(survey, TEHRAN, Role.STUDENT)
    _submission(survey, TEHRAN, Role.STUDENT)
    _submission(survey, SHIRAZ, Role.STAFF)
    _submission(survey, SHIRAZ, Role.STAFF, status=SubmissionStatus.WITHDRAWN)
    commitment = make(editor, draft, refs=[decision_ref(decision)])
    commitment.status = CommitmentStatus.DONE
    outcome_day = timezone.localtime(draft.outcome_published_at).date()
    # Done five days after the outcome (updates cannot be dated in the future: recorded then).
    done_day = outcome_day + datetime.timedelta(days=5)
    with time_machine.travel(datetime.datetime.combine(done_day, datetime.time(12), datetime.UTC)):
        services.change_commitment(editor, commitment, date=done_day, tell=False)
    make(editor, draft, title="دومی", status=CommitmentStatus.PLANNED)
    return {"draft": draft, "idea_page": idea_page, "survey": survey}


def rows(scope=FigureScope.EDITORS):
    board = effectiveness.dashboard(scope)
    return board


def test_figures_are_counted_right_on_a_known_dataset(known):
    effectiveness.refresh()
    board = effectiveness.dashboard()
    total = board.total
    # 2 comments + 2 submitted ideas + 3 submitted survey responses.
    assert total.contributions == 7
    assert total.started == 2 + 3 + 4  # comments, every idea incl. the draft, every submission
    assert total.withdrawn == 1
    assert total.answerable == 4
    assert total.decided == 3  # both comments (their clause is decided) and the winner
    assert total.accepted == 3
    assert total.committed == 2  # both comments, through their clause's decision
    assert total.done == 2
    assert total.told == 3
    assert total.organization_contributions == 1
    assert total.commitments == 2 and total.commitments_done == 1
    assert total.days_to_done == 5
    kinds = {row.key: row for row in board.kinds}
    assert kinds["survey"].contributions == 3 and kinds["survey"].withdrawn == 1
    assert kinds["draft"].contributions == 2 and kinds["draft"].people == 2
    assert kinds["idea"].contributions == 2 and kinds["idea"].accepted == 1
    assert kinds["draft"].days_to_outcome == 1.0
    assert kinds["survey"].days_to_outcome == 4.0
    universities = {row.key: row for row in board.universities}
    tehran = universities[TEHRAN]
    # Tehran: 2 survey responses, 1 comment, the winner, the deputy's idea.
    assert tehran.contributions == 5
    assert tehran.organization_contributions == 1
    assert tehran.decided == 2 and tehran.accepted == 2
    assert universities[SHIRAZ].contributions == 2
    roles = {row.key: row.contributions for row in board.roles}
    assert roles == {"student": 3, "faculty": 2, "staff": 1, "organization": 1}
    calls = {row.key: row for row in board.calls}
    assert calls[str(known["draft"].call_key)].commitments == 2
    assert calls[str(known["survey"].call_key)].contributions == 3
    assert sum(row.contributions for row in board.months) == 7


def test_the_public_summary_shows_live_calls_only_in_persian(client, known):
    survey = known["survey"]
    survey.unpublish()
    effectiveness.refresh()
    public = effectiveness.dashboard(FigureScope.PUBLIC)
    assert public.total.contributions == 4  # the survey's three responses left out
    assert str(survey.call_key) not in {row.key for row in public.calls}
    response = client.get(reverse("impact:effectiveness"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "اثربخشی" in html and "۴" in html
    assert survey.title not in html
    assert "effectiveness-table-universities" in html


def test_editors_see_the_dashboard_others_are_refused(client, known, editor):
    effectiveness.refresh()
    url = reverse("impact_effectiveness")
    someone = UserFactory(email="someone@university.test", is_staff=True)
    someone.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client.force_login(someone)
    assert client.get(url).status_code in (302, 403)
    assert client.get(reverse("impact_effectiveness_xlsx")).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert known["survey"].title in response.content.decode()  # every call, live or not
    assert client.post(url).status_code == 302


def test_the_xlsx_opens_and_has_the_figures(client, known, editor):
    from openpyxl import load_workbook

    effectiveness.refresh()
    client.force_login(editor)
    response = client.get(reverse("impact_effectiveness_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = workbook.worksheets[0]
    header = [cell.value for cell in summary[1]]
    values = dict(zip(header, [cell.value for cell in summary[2]], strict=True))
    assert values["مشارکت‌ها"] == 7
    assert values["تعهدها"] == 2
    assert values["میانهٔ روز از نتیجه تا انجام"] == 5
    calls = workbook.worksheets[1]
    titles = {row[0].value: row for row in calls.iter_rows(min_row=2)}
    assert known["draft"].title in titles


def _grow(known, times):
    """``times`` more survey responses and ideas, spread over universities."""
    survey, idea_page = known["survey"], known["idea_page"]
    Submission.objects.bulk_create(
        Submission(
            call=survey,
            call_key=survey.call_key,
            language="fa",
            respondent_role=Role.STUDENT,
            respondent_university=f"دانشگاه {index % 7}",
        )
        for index in range(times)
    )
    Idea.objects.bulk_create(
        Idea(
            call=idea_page,
            call_key=idea_page.call_key,
            language="fa",
            kind=IdeaKind.IDEA,
            title=f"ایده {index}",
            summary="خلاصه",
            status=IdeaStatus.NOT_SELECTED,
            submitted_at=timezone.now(),
        )
        for index in range(times)
    )


def _queries(client, url):
    client.get(url)  # warm: the site, the menus and the translations are cached once
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_data(client, known, editor):
    client.force_login(editor)
    url = reverse("impact_effectiveness")
    public = reverse("impact:effectiveness")
    effectiveness.refresh()
    small = (_queries(client, url), _queries(client, public))
    _grow(known, 300)
    effectiveness.refresh()
    assert effectiveness.dashboard().total.contributions == 7 + 600
    assert (_queries(client, url), _queries(client, public)) == small
    assert small[1] <= 12, small
