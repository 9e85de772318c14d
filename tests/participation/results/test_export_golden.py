"""The survey export's files against the reference (./export_reference.py):
the CSV byte for byte, the XLSX cell for cell, on a survey with every question type and
submissions that reach every branch (skipped questions, unknown choices, repeated answers,
fractions, text that looks like a formula or holds control characters, ties, midnight in
Tehran); and the number of queries, which does not grow with the submissions.
"""

import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from participation.choices import AnonymityMode
from participation.questions.schema import read_questions
from participation.results import exports
from participation.submissions.models import Answer, Submission
from tests.participation.results.export_reference import reference_csv, reference_xlsx

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def add_submission(page, *, answers=(), **fields):
    """One submission stored as it is, with ``answers`` as (code, field values) pairs."""
    anonymous = page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED
    defaults = {
        "call": page,
        "call_key": page.call_key,
        "language": "fa",
        "status": "submitted",
        "respondent_role": "" if anonymous else "student",
        "submitted_at": at(2026, 11, 20, 8, 30, 15),
        "edit_token_hash": uuid.uuid4().hex if anonymous else "",
    }
    submission = Submission.objects.bulk_create([Submission(**(defaults | fields))])[0]
    q = read_questions(page.questions).by_code()
    rows = []
    for code, values in answers:
        question_id = q[code].id if code in q else code
        rows.append(Answer(submission=submission, question_id=question_id, **values))
    Answer.objects.bulk_create(rows)
    return submission


def odd_submissions(page):
    """Submissions that reach every branch of the export's rows."""
    q = read_questions(page.questions).by_code()
    freq, interests, prio, m = q["freq"], q["interests"], q["prio"], q["m"]
    add_submission(
        page, status="withdrawn", language="en", respondent_role="", duration_seconds=None
    )
    add_submission(
        page,
        respondent_role="visitor",
        respondent_university="=cmd|' /C calc'!A0",
        duration_seconds=4,
        is_speeder=True,
        excluded_from_results=True,
        submitted_at=at(2026, 3, 20, 20, 45, 59, 999999),  # after midnight in Tehran: Nowruz
        answers=[
            ("freq", {"choice_id": "ghost"}),
            ("freq", {"choice_id": freq.choices[1].id}),  # a second answer: the first counts
            ("interests", {"choice_id": "ghost"}),
            ("l1", {"number": 3.5}),
            ("l2", {"number": 0}),
            ("l3", {"number": None}),
            ("l4", {"number": 2, "row_id": "stray"}),
            ("l4", {"number": 5}),
            ("m", {"row_id": m.rows[1].id, "number": 4}),
            ("m", {"row_id": "ghost", "number": 1}),
            ("nps", {"number": 10}),
            ("hours", {"number": 7.25}),
            ("last", {"date": None}),
            ("prio", {"choice_id": prio.choices[2].id, "number": 1}),
            ("field", {"text": 'زنگ\x07 و خط\r\nنو،\r "نقل" و ویرگول, و \t'}),
            ("ok", {"number": 0}),
            ("no-such-question", {"text": "=1+1"}),
        ],
    )
    add_submission(
        page,
        respondent_role="faculty",
        respondent_university="دانشگاه شیراز",
        duration_seconds=1200,
        is_straightliner=True,
        submitted_at=at(2026, 3, 20, 20, 45, 59, 999999),  # the same moment: a tie
        answers=[
            ("interests", {"choice_id": interests.choices[1].id}),
            ("l5", {"number": 1}),
            ("nps", {"number": 0}),
            ("hours", {"number": -3}),
            ("last", {"date": datetime.date(2024, 3, 20)}),
            ("field", {"text": "-5"}),
            ("freq", {"choice_id": freq.choices[2].id}),
        ],
    )
    add_submission(
        page,
        submitted_at=at(2025, 12, 31, 23, 59, 0),
        answers=[("field", {"text": ""}), ("m", {"row_id": m.rows[3].id, "number": 2.5})],
    )


def fast_csv(page, *, identity=False):
    return "".join(exports.csv_lines(page, identity=identity))


def fast_xlsx(page, *, identity=False):
    target = io.BytesIO()
    exports.write_xlsx(page, target, identity=identity)
    return target.getvalue()


def workbook_cells(data):
    """Everything a reader of the workbook sees: per sheet its title, direction, frozen
    panes, and per cell its value, type, number format and (in the header) boldness."""
    book = load_workbook(io.BytesIO(data))
    sheets = []
    for sheet in book.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                # The fill's colour without its alpha byte, which spreadsheets ignore.
                style = (cell.font.bold, cell.fill.fgColor.rgb[-6:]) if cell.row == 1 else None
                cells.append(
                    (cell.coordinate, cell.value, cell.data_type, cell.number_format, style)
                )
        sheets.append((sheet.title, sheet.sheet_view.rightToLeft, sheet.freeze_panes, cells))
    return sheets


@pytest.fixture
def named(make_response, survey):
    make_response(survey, role="student", university="دانشگاه تهران", text='=HYPERLINK("x")')
    make_response(survey, role="staff", likert=[1, 2, 3, 4, 5], matrix=(5, 4, 1, 2), freq=2)
    odd_submissions(survey)
    return survey


@pytest.fixture
def anonymous(make_survey_under, call_index):
    page = make_survey_under(call_index, anonymity=AnonymityMode.ANONYMOUS_VERIFIED, slug="anon")
    odd_submissions(page)
    return page


@pytest.mark.parametrize("identity", [False, True])
def test_csv_is_the_reference_byte_for_byte(named, identity, monkeypatch):
    monkeypatch.setattr(exports, "CSV_BATCH_ROWS", 2)  # several pieces, a short last one
    text = fast_csv(named, identity=identity)
    assert text == reference_csv(named, identity=identity)
    assert text.count("\n") > 6


def test_anonymous_csv_is_the_reference_byte_for_byte(anonymous):
    text = fast_csv(anonymous)
    assert text == reference_csv(anonymous)
    assert "[role]" not in text and "20:45" not in text


@pytest.mark.parametrize("identity", [False, True])
def test_xlsx_is_the_reference_cell_for_cell(named, identity):
    sheets = workbook_cells(fast_xlsx(named, identity=identity))
    assert sheets == workbook_cells(reference_xlsx(named, identity=identity))
    assert len(sheets[0][3]) > 100


def test_anonymous_xlsx_is_the_reference_cell_for_cell(anonymous):
    assert workbook_cells(fast_xlsx(anonymous)) == workbook_cells(reference_xlsx(anonymous))


def test_an_empty_survey_exports_its_header(survey):
    assert fast_csv(survey) == reference_csv(survey)
    assert workbook_cells(fast_xlsx(survey)) == workbook_cells(reference_xlsx(survey))


def queries(export, page):
    with CaptureQueriesContext(connection) as captured:
        export(page)
    return len(captured)


@pytest.mark.parametrize("export", [fast_csv, fast_xlsx], ids=["csv", "xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_submissions(named, export, monkeypatch):
    monkeypatch.setattr(exports, "STREAM_CHUNK_SIZE", 3)  # many chunks of each stream
    few = queries(export, named)
    for _ in range(20):
        odd_submissions(named)
    assert Submission.objects.filter(call_key=named.call_key).count() == 86
    assert queries(export, named) == few <= 3
