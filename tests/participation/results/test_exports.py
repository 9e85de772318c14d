import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import PageLogEntry

import participation.surveys.wagtail_hooks  # noqa: F401 - registers the admin URLs
from participation.choices import AnonymityMode
from participation.results import exports

pytestmark = pytest.mark.django_db


def export_url(page, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("hadaf_survey_report:export", args=[page.pk]) + (f"?{query}" if query else "")


def download(response):
    return b"".join(response.streaming_content)


def xlsx_of(client, page, **params):
    response = client.get(export_url(page, **params))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(download(response)))


def csv_of(client, page, **params):
    response = client.get(export_url(page, format="csv", **params))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    data = download(response)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def by_code(rows):
    """Header "label [code]" → code."""
    return {header.rsplit("[", 1)[1].rstrip("]"): header for header in rows}


@pytest.fixture
def answered(make_response, survey):
    first = make_response(
        survey, role="student", university="دانشگاه تهران", text='=HYPERLINK("x")', freq=2
    )
    second = make_response(survey, role="faculty", likert=4, text="+98 912", seconds=5)
    return first, second


def test_xlsx_is_right_to_left_with_a_codebook_and_persian_intact(client, editor, answered):
    client.force_login(editor)
    first, second = answered
    workbook = xlsx_of(client, first.call.specific)
    answers, codebook = workbook.worksheets
    assert answers.sheet_view.rightToLeft and codebook.sheet_view.rightToLeft
    rows = list(answers.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert len(data) == 2
    columns = by_code(header)
    assert columns["freq"] == "چند بار در برنامه‌های فرهنگی شرکت کرده‌اید؟ [freq]"
    record = dict(zip(header, data[0], strict=True))
    assert record[columns["submission"]] == str(first.uuid)
    assert record[columns["freq"]] == "=بیش از ۳ بار"
    assert record[columns["interests_1"]] == 1 and record[columns["interests_2"]] == 0
    assert record[columns["l3"]] == 3
    assert [record[columns[f"m_{n}"]] for n in range(1, 5)] == [1, 2, 3, 4]
    assert [record[columns[f"prio_{n}"]] for n in range(1, 4)] == [2, 1, 3]
    assert record[columns["last_iso"]] == datetime.datetime(2025, 9, 23)  # A date cell.
    assert record[columns["last"]] == "۱۴۰۴/۰۷/۰۱"
    assert record[columns["university"]] == "دانشگاه تهران"
    assert record[columns["submitted_jalali"]].startswith("۱۴۰")
    assert "participant_email" not in columns
    # Formula injection: stored as text cells, never as formulas.
    text_cell = answers.cell(row=2, column=header.index(columns["field"]) + 1)
    assert text_cell.value == '=HYPERLINK("x")' and text_cell.data_type == "s"
    assert answers.cell(row=2, column=header.index(columns["freq"]) + 1).data_type == "s"
    book = list(codebook.iter_rows(values_only=True))
    codes = {row[0]: row for row in book[1:]}
    assert set(codes) == set(columns)
    assert "هرگز" in codes["freq"][4] and codes["m_1"][5] == 1
    assert "1 = " in codes["l1"][4]


def test_csv_has_the_bom_same_columns_and_neutralised_formulas(client, editor, answered):
    client.force_login(editor)
    first, second = answered
    page = first.call.specific
    rows = csv_of(client, page)
    columns = by_code(rows[0].keys())
    xlsx_header = next(xlsx_of(client, page).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0].keys()) == list(xlsx_header)
    record, fast = rows
    assert record[columns["field"]] == '\'=HYPERLINK("x")'
    assert fast[columns["field"]] == "'+98 912"
    assert record[columns["freq"]] == "'=بیش از ۳ بار"
    assert record[columns["interests_3"]] == "1"
    assert fast[columns["l5"]] == "4"
    assert fast[columns["duration_seconds"]] in {"5", "6"}
    assert record[columns["role"]] in {"دانشجو", "Student"}


def test_excluded_and_flagged_submissions_are_exported_with_their_flags(client, editor, answered):
    from participation.questions.schema import read_questions
    from participation.submissions.services import set_counted

    client.force_login(editor)
    first, second = answered
    page = first.call.specific
    set_counted(second, read_questions(page.questions), counted=False)
    rows = csv_of(client, page)
    columns = by_code(rows[0].keys())
    excluded = [row for row in rows if row[columns["submission"]] == str(second.uuid)][0]
    assert excluded[columns["excluded"]] == "1"
    assert excluded[columns["straightliner"]] == "1"
    assert PageLogEntry.objects.filter(page=page, action="hadaf.submissions_exported").count() == 1


def test_identity_only_on_request_in_named_calls(client, editor, answered):
    client.force_login(editor)
    first, _second = answered
    page = first.call.specific
    rows = csv_of(client, page, identity=1)
    columns = by_code(rows[0].keys())
    assert rows[0][columns["participant_email"]] == first.participant_user.email
    assert "participant_email" not in by_code(csv_of(client, page)[0].keys())


def test_anonymous_calls_never_export_identity(
    make_response, make_survey_under, client, editor, call_index
):
    page = make_survey_under(call_index, anonymity=AnonymityMode.ANONYMOUS_VERIFIED, slug="anon")
    submission = make_response(page)
    client.force_login(editor)
    data = b"".join(client.get(export_url(page, format="csv", identity=1)).streaming_content)
    text = data.decode("utf-8-sig")
    assert "participant_email" not in text
    assert submission.participant_user.email not in text
    workbook = xlsx_of(client, page, identity=1)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert submission.participant_user.email not in [str(value) for value in row]


def test_neutralise_covers_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert exports.neutralise(f"{start}1") == f"'{start}1"
    assert exports.neutralise("سلام") == "سلام"
    assert exports.neutralise(-3) == -3


def test_xlsx_freezes_the_header_and_writes_dates_as_date_cells(client, editor, answered):
    client.force_login(editor)
    first, _second = answered
    answers, codebook = xlsx_of(client, first.call.specific).worksheets
    assert answers.freeze_panes == "A2" and codebook.freeze_panes == "A2"
    header = [cell.value for cell in answers[1]]
    columns = by_code(header)
    assert answers.cell(row=1, column=1).font.bold
    submitted = answers.cell(row=2, column=header.index(columns["submitted_iso"]) + 1)
    assert isinstance(submitted.value, datetime.datetime) and submitted.is_date
    assert submitted.number_format == "yyyy-mm-dd hh:mm"
    last = answers.cell(row=2, column=header.index(columns["last_iso"]) + 1)
    assert last.is_date and last.number_format == "yyyy-mm-dd"
    # The Jalali text stays beside the date cell.
    jalali = answers.cell(row=2, column=header.index(columns["last"]) + 1)
    assert jalali.value == "۱۴۰۴/۰۷/۰۱"


def test_likert_matrix_and_rating_answers_have_their_scale_labels(client, editor, answered):
    client.force_login(editor)
    first, _second = answered
    page = first.call.specific
    rows = list(xlsx_of(client, page).worksheets[0].iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    columns = by_code(rows[0])
    assert record[columns["l3"]] == 3
    assert record[columns["l3_label"]] in {"نه موافقم نه مخالف", "Neither agree nor disagree"}
    assert record[columns["m_1_label"]] in {"کاملاً مخالفم", "Strongly disagree"}
    assert record[columns["nps_label"]] == "۸"  # An unnamed point of the 0–10 scale.
    csv_rows = csv_of(client, page)
    csv_columns = by_code(csv_rows[0].keys())
    record = [row for row in csv_rows if row[csv_columns["submission"]] == str(first.uuid)][0]
    assert record[csv_columns["l3_label"]] == record[csv_columns["l3_label"]].strip()
    assert record[csv_columns["l3_label"]] not in {"", "3", "3.0"}
    assert record[csv_columns["last_iso"]] == "2025-09-23"
