"""The survey export as it was written before the streaming path: the reference the files
of :mod:`participation.results.exports` are held to, byte for byte (CSV) and cell for cell
(XLSX).

Rows come from :func:`~participation.results.exports.export_rows` (each column's ``read``
over model instances); the CSV goes through ``csv.writer`` line by line, the XLSX through
openpyxl's write-only mode. It holds no assertions (PYTEST_DONT_REWRITE).
"""

import csv
import io

from django.utils.translation import gettext

from participation.questions.schema import read_questions
from participation.results import exports


class _Echo:
    def write(self, value):
        return value


def reference_csv(page, *, identity=False):
    """The whole CSV text the reference writes."""
    questionnaire = read_questions(page.questions)
    columns = exports.export_columns(
        questionnaire, identity=identity, anonymous=exports.is_anonymous(page)
    )
    writer = csv.writer(_Echo())
    lines = [exports.UTF8_BOM]
    lines.append(writer.writerow([exports._csv_value(column.header) for column in columns]))
    for row in exports.export_rows(page, columns, identity=identity):
        lines.append(writer.writerow([exports._csv_value(value) for value in row]))
    return "".join(lines)


def reference_xlsx(page, *, identity=False):
    """The workbook the reference writes, as bytes."""
    from openpyxl import Workbook

    questionnaire = read_questions(page.questions)
    columns = exports.export_columns(
        questionnaire, identity=identity, anonymous=exports.is_anonymous(page)
    )
    workbook = Workbook(write_only=True)
    answers_sheet = workbook.create_sheet(gettext("Answers"))
    answers_sheet.sheet_view.rightToLeft = True
    answers_sheet.freeze_panes = "A2"
    answers_sheet.append(
        exports._xlsx_row(answers_sheet, [column.header for column in columns], header=True)
    )
    for row in exports.export_rows(page, columns, identity=identity):
        answers_sheet.append(exports._xlsx_row(answers_sheet, row))
    codebook = workbook.create_sheet(gettext("Codebook"))
    codebook.sheet_view.rightToLeft = True
    codebook.freeze_panes = "A2"
    for number, row in enumerate(exports.codebook_rows(columns)):
        codebook.append(exports._xlsx_row(codebook, row, header=number == 0))
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()
