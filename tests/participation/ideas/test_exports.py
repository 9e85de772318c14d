"""The XLSX export of an idea call: its submissions and the jury's scores."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import PageLogEntry

from participation.ideas import exports, jury, services, workflow
from participation.ideas.choices import AssignmentStatus, IdeaKind, IdeaStatus
from participation.ideas.models import IdeaAnswer, IdeaAttachment, JuryMember, ReviewAssignment
from participation.jalali import jalali_text
from participation.persian import to_latin_digits
from participation.results.exports import XLSX_CONTENT_TYPE
from tests.people.factories import UserFactory

from .factories import (
    CRITERION_FEASIBILITY,
    CRITERION_IMPACT,
    CRITERION_NOVELTY,
    QUESTION_TEAM,
    THEME_MEDIA,
    draft_idea,
    idea_fields,
    submitted_idea,
)

pytestmark = pytest.mark.django_db

S = IdeaStatus
JALALI = r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}"


@pytest.fixture
def call_with_submissions(idea_call, author, organization, universities, editor):
    """Two submitted ideas (one by a team, on behalf of an organization), a draft, reviews."""
    team = services.start_idea(
        idea_call,
        author,
        fields=idea_fields(title="=1+1", summary="+98 21 1234", kind=IdeaKind.EXPERIENCE),
        organization=organization,
    )
    coauthor = UserFactory(
        email="coauthor@shirazu.ac.ir",
        first_name="علی",
        last_name="رضایی",
        university=universities[1],
    )
    invited = services.invite_coauthor(team, idea_call, author, coauthor.email)
    services.respond_to_invitation(invited, coauthor, accept=True)
    IdeaAnswer.objects.create(idea=team, question_id=QUESTION_TEAM, text="@everyone گروه فیلم")
    for name in ("a.pdf", "b.png"):
        IdeaAttachment.objects.create(
            idea=team,
            file=f"ideas/test/{name}",
            original_name=name,
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
    team = services.submit_idea(team, idea_call, author)
    solo_author = UserFactory(email="solo@tabrizu.ac.ir", university=universities[2])
    solo = submitted_idea(
        idea_call, solo_author, title='=HYPERLINK("http://evil","x")', category=THEME_MEDIA
    )
    draft_idea(idea_call, solo_author, title="پیش‌نویس")
    workflow.move(team, S.IN_REVIEW, actor=editor, notify=False)
    workflow.move(solo, S.INELIGIBLE, actor=editor, reason="-خارج از موضوع", notify=False)

    juror = UserFactory(email="juror@ministry.test", first_name="زهرا", last_name="کریمی")
    other_juror = UserFactory(email="juror2@ministry.test")
    for person in (juror, other_juror):
        JuryMember.objects.create(call_key=idea_call.call_key, person=person)
    review = ReviewAssignment.objects.create(idea=team, reviewer=juror)
    jury.save_scores(
        review,
        juror,
        {CRITERION_NOVELTY: 8, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},
        comment="=SUM(A1:A9)",
    )
    ReviewAssignment.objects.create(
        idea=team, reviewer=other_juror, status=AssignmentStatus.RECUSED, recusal_reason="آشنا"
    )
    team.refresh_from_db()
    solo.refresh_from_db()
    return {"team": team, "solo": solo, "juror": juror, "coauthor": coauthor}


def download(client, editor, page):
    client.force_login(editor)
    with translation.override("fa"):
        response = client.get(reverse("hadaf_ideas:export", args=[page.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def as_dicts(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_submissions_sheet_has_a_row_per_submitted_idea(
    client, editor, idea_call, call_with_submissions, organization
):
    team, solo = call_with_submissions["team"], call_with_submissions["solo"]
    workbook = download(client, editor, idea_call)
    with translation.override("fa"):
        submissions_title, scores_title = (
            exports.pgettext("idea call", "Submissions"),
            exports.gettext("Scores"),
        )
        header_code, header_title = exports.gettext("Code"), exports.gettext("Title")
        submitted_at = exports.gettext("Submitted at")
        status, reason = exports.gettext("Status"), exports.gettext("Reason")
        authors, emails = exports.gettext("Authors"), exports.gettext("Authors' emails")
        universities = exports.gettext("Universities")
        attachments = exports.gettext("Attachments")
        score = exports.gettext("Score (normalized, 0–100)")
        rank = exports.gettext("Rank")
        team_jalali = jalali_text(team.submitted_at, "fa")
    assert workbook.sheetnames == [submissions_title, scores_title]
    sheet = workbook[submissions_title]
    assert sheet.sheet_view.rightToLeft
    header, rows = as_dicts(sheet)
    assert header[:2] == (header_code, header_title)
    assert "اعضای تیم اجرایی چه کسانی هستند؟" in header  # The call's own question.
    # Oldest first; the draft is not exported.
    assert [row[header_code] for row in rows] == [str(team.uuid), str(solo.uuid)]
    team_row, solo_row = rows
    assert team_row[submitted_at] == team_jalali
    assert re.fullmatch(JALALI, team_row[submitted_at])
    assert 1400 <= int(to_latin_digits(team_row[submitted_at][:4])) < 1500
    assert team_row[authors] == "مریم احمدی، علی رضایی"
    assert team_row[emails] == f"{team.authors.get(is_lead=True).email}, coauthor@shirazu.ac.ir"
    assert team_row[universities] == "دانشگاه تهران، دانشگاه شیراز"
    assert team_row[exports.gettext("Organization")] == organization.name
    assert team_row[attachments] == 2 and solo_row[attachments] == 0
    assert team_row[exports.gettext("Theme")] == "فرهنگ دانشگاهی"
    assert solo_row[exports.gettext("Theme")] == "رسانه و هنر"
    assert team_row[status] == str(S.IN_REVIEW.label)
    assert team_row[rank] == 1 and isinstance(team_row[score], float)
    assert solo_row[rank] == "" or solo_row[rank] is None
    # Answers, each in its question's column.
    assert team_row["اعضای تیم اجرایی چه کسانی هستند؟"] == "'@everyone گروه فیلم"
    assert not solo_row["اعضای تیم اجرایی چه کسانی هستند؟"]
    # What a spreadsheet would run is stored as inert text.
    assert solo_row[reason] == "'-خارج از موضوع"
    assert team_row[exports.gettext("Summary")] == "'+98 21 1234"
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    for text in ("'=1+1", '\'=HYPERLINK("http://evil","x")'):
        assert cells[text].data_type == "s"
    assert not any(
        isinstance(cell.value, str) and cell.value.startswith("=")
        for row in sheet.iter_rows()
        for cell in row
    )


def test_the_scores_sheet_has_a_row_per_review_and_criterion(
    client, editor, idea_call, call_with_submissions
):
    team, juror = call_with_submissions["team"], call_with_submissions["juror"]
    workbook = download(client, editor, idea_call)
    with translation.override("fa"):
        header, rows = as_dicts(workbook[exports.gettext("Scores")])
        g = exports.gettext
        scored_label = str(AssignmentStatus.SCORED.label)
        recused_label = str(AssignmentStatus.RECUSED.label)
    # Two reviews (scored, recused) × three criteria.
    assert len(rows) == 6
    scored = [row for row in rows if row[g("Review status")] == scored_label]
    assert [
        (row[g("Criterion")], row[g("Score")], row[g("Highest score")], row[g("Weight")])
        for row in scored
    ] == [("نوآوری", 8, 10, 3), ("اثرگذاری", 6, 10, 2), ("امکان‌پذیری", 4, 5, 1)]
    assert {row[g("Juror")] for row in scored} == {"زهرا کریمی"}
    assert {row[g("Juror's email")] for row in scored} == {juror.email}
    assert {row[g("Code")] for row in rows} == {str(team.uuid)}
    assert {row[g("Comment on the idea")] for row in scored} == {"'=SUM(A1:A9)"}
    assert re.fullmatch(JALALI, scored[0][g("Scored at")])
    recused = [row for row in rows if row[g("Review status")] == recused_label]
    assert len(recused) == 3 and all(row[g("Score")] in ("", None) for row in recused)
    assert {row[g("Reason for recusal")] for row in recused} == {"آشنا"}


def test_the_export_is_logged_in_the_page_history(client, editor, idea_call, call_with_submissions):
    download(client, editor, idea_call)
    entry = PageLogEntry.objects.get(page=idea_call, action=exports.EXPORTED_ACTION)
    assert entry.user == editor and entry.data == {"format": "xlsx"}


def test_an_empty_call_exports_headers_only(client, editor, idea_call):
    workbook = download(client, editor, idea_call)
    for sheet in workbook.worksheets:
        assert len(list(sheet.iter_rows())) == 1


def test_the_rows_read_the_database_a_fixed_number_of_times(
    idea_call, call_with_submissions, django_assert_max_num_queries, author
):
    for number in range(5):
        submitted_idea(idea_call, author, title=f"ایده {number}")
    ranked = {entry.idea_id: entry for entry in jury.ranking(idea_call)}
    with django_assert_max_num_queries(8):
        rows = list(exports.submission_rows(idea_call, ranked))
    assert len(rows) == 1 + 7


def test_sheets_freeze_a_styled_header_and_dates_are_date_cells_too(
    client, editor, idea_call, call_with_submissions
):
    team = call_with_submissions["team"]
    workbook = download(client, editor, idea_call)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.cell(row=1, column=1).font.bold
    with translation.override("fa"):
        submitted_at = exports.gettext("Submitted at")
        date_column = exports.gettext("Submitted at (date)")
        code = exports.gettext("Code")
    header, rows = as_dicts(workbook.worksheets[0])
    team_row = next(row for row in rows if row[code] == str(team.uuid))
    assert team_row[submitted_at] == jalali_text(team.submitted_at, "fa")  # The text stays.
    expected = timezone.localtime(team.submitted_at).replace(tzinfo=None, microsecond=0)
    assert team_row[date_column].replace(microsecond=0) == expected
    cell = workbook.worksheets[0].cell(row=2, column=header.index(date_column) + 1)
    assert cell.is_date
