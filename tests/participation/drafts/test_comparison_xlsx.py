"""The comparison table's XLSX reads as a table: widths, wrapped text, a frozen, styled header."""

import io

import pytest
from openpyxl import load_workbook

from participation.drafts.comparison import COMPARISON_WIDTHS
from tests.people.factories import EditorFactory

from .factories import comment_on

pytestmark = pytest.mark.django_db


def test_the_comparison_xlsx_has_widths_wrapping_and_a_header_style(client, draft, participant):
    comment_on(draft, participant, body="متن روشن‌تری لازم است.")
    client.force_login(EditorFactory())
    response = client.get(f"{draft.url}{draft.reverse_subpage('comparison_export')}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGH"]
    assert widths == list(COMPARISON_WIDTHS)
    header = sheet.cell(row=1, column=1)
    assert header.font.bold and header.fill.fgColor.rgb.endswith("DCEFE8")
    text = sheet.cell(row=2, column=3)
    assert text.value and text.alignment.wrap_text and text.alignment.vertical == "top"


def test_the_comments_xlsx_has_a_date_cell_beside_the_jalali_text(client, draft, participant):
    from django.utils import timezone

    from participation.drafts.comparison import comments_xlsx_response

    comment = comment_on(draft, participant)
    response = comments_xlsx_response(draft)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    date_cell = sheet.cell(row=2, column=len(header) - 1)
    assert date_cell.is_date
    expected = timezone.localtime(comment.created_at).replace(tzinfo=None, microsecond=0)
    assert date_cell.value.replace(microsecond=0) == expected
    assert sheet.cell(row=2, column=len(header) - 2).value.startswith("۱۴")  # Solar Hijri text.
