"""Exports of a survey's submissions for editors: XLSX (the default) and CSV.

Both have the same columns: the submission's own fields and quality flags, then one
column per question — or per choice (multiple choice: 0/1; ranking: the rank), per matrix
statement, and two for dates (Solar Hijri text and ISO). The XLSX adds a codebook sheet.

Memory stays flat whatever the number of submissions: submissions are read with
``iterator(chunk_size=CHUNK_SIZE)`` (answers prefetched per chunk); the CSV is a generator
streamed row by row; the XLSX is written by openpyxl in write-only mode into a temporary
file on disk and streamed from it in blocks.

Cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading apostrophe in the CSV and are stored as
plain text cells in the XLSX. Anonymous-verified calls never export who answered, nor
anything that would date or order a response against the awards or the accounts: no role,
no university, the day only, and the rows in the order of the responses' random uuids
(docs/privacy.md).
"""

import csv
import datetime
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from participation.choices import AnonymityMode, Role, SubmissionStatus
from participation.jalali import jalali_text
from participation.persian import to_persian_digits
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.submissions.models import Answer, Submission

# Submissions read (with their answers) at a time: memory stays flat and, at 500, under
# 200 MB for a million answers (bench/RESULTS.md, section 6) at the same rows per second.
CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    """One exported column and how to read its value from a submission."""

    code: str
    header: str
    read: object  # (submission, answers by question id) → value
    question: object = None
    kind: str = ""
    values: list = field(default_factory=list)  # (value, label) pairs for the codebook
    reverse_coded: bool = False


# ---- Values ---------------------------------------------------------------------------------


def neutralise(value):
    """Text a spreadsheet would treat as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_datetime(value):
    """An aware datetime as a naive one in the site's time zone (spreadsheets have no zones)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def iso_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return (
        value.isoformat(timespec="seconds")
        if isinstance(value, datetime.datetime)
        else (value.isoformat())
    )


def _number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _flag(value):
    return 1 if value else 0


# ---- Columns --------------------------------------------------------------------------------


def identity_allowed(page, user):
    """Whether ``user`` may export who answered ``page``: named calls, page editors only."""
    return (
        page.anonymity == AnonymityMode.NAMED
        and user is not None
        and user.is_authenticated
        and page.permissions_for_user(user).can_edit()
    )


def _anonymous_meta(columns):
    """Anonymous-verified calls: the day of each response only, no role or university.

    The role and university snapshots narrow who answered; the moment of answering can be
    matched with awards, notices and sign-ins (docs/privacy.md).
    """
    day = {
        "submitted_jalali": lambda s, a: jalali_text(timezone.localdate(s.submitted_at), "fa"),
        "submitted_iso": lambda s, a: timezone.localdate(s.submitted_at),
    }
    kept = []
    for column in columns:
        if column.code in {"role", "university"}:
            continue
        if column.code in day:
            column.read = day[column.code]
        kept.append(column)
    return kept


def _meta_columns(identity, anonymous=False):
    role_labels = dict(Role.choices)
    status_labels = dict(SubmissionStatus.choices)
    columns = [
        Column("submission", gettext("Submission"), lambda s, a: str(s.uuid)),
        Column(
            "submitted_jalali",
            gettext("Submitted (Solar Hijri)"),
            lambda s, a: jalali_text(s.submitted_at, "fa"),
        ),
        Column(
            "submitted_iso",
            gettext("Submitted (ISO 8601)"),
            lambda s, a: local_datetime(s.submitted_at),
        ),
        Column("language", gettext("Language"), lambda s, a: s.language),
        Column(
            "status",
            gettext("Status"),
            lambda s, a: str(status_labels.get(s.status, s.status)),
            values=[(value, str(label)) for value, label in SubmissionStatus.choices],
        ),
        Column(
            "role",
            gettext("Role"),
            lambda s, a: str(role_labels.get(s.respondent_role, s.respondent_role)),
        ),
        Column("university", gettext("University"), lambda s, a: s.respondent_university),
        Column(
            "duration_seconds",
            gettext("Time taken (seconds)"),
            lambda s, a: s.duration_seconds,
        ),
        Column("speeder", gettext("Speeder"), lambda s, a: _flag(s.is_speeder)),
        Column("straightliner", gettext("Straight-liner"), lambda s, a: _flag(s.is_straightliner)),
        Column(
            "excluded",
            gettext("Excluded from results"),
            lambda s, a: _flag(s.excluded_from_results),
        ),
    ]
    if anonymous:
        columns = _anonymous_meta(columns)
    if identity:
        columns.append(
            Column(
                "participant_email",
                gettext("Participant's email"),
                lambda s, a: s.participant.email if s.participant else "",
            )
        )
    for column in columns:
        column.header = _header(column.header, column.code)
        column.kind = gettext("Submission")
    return columns


def _header(label, code):
    return f"{label} [{code}]"


def _single_value(question_id, attribute):
    def read(submission, answers):
        found = answers.get(question_id)
        return getattr(found[0], attribute) if found else None

    return read


def _question_columns(question, position):
    """The columns of one question (see the module docstring for the layout)."""
    code = question.code or f"q{position}"
    qtype = question.type
    kind = str(QuestionType(qtype).label) if qtype in QuestionType.values else qtype
    qid = question.id
    base = {"question": question, "kind": kind, "reverse_coded": question.reverse_coded}
    scale = [(value, str(label)) for value, label in question.scale]

    if qtype in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
        return [Column(code, _header(question.label, code), _single_value(qid, "text"), **base)]
    if qtype == QuestionType.SINGLE_CHOICE:
        labels = {choice.id: choice.label for choice in question.choices}

        def read_choice(submission, answers):
            found = answers.get(qid)
            return labels.get(found[0].choice_id, found[0].choice_id) if found else None

        values = [(choice.id, choice.label) for choice in question.choices]
        return [Column(code, _header(question.label, code), read_choice, values=values, **base)]
    if qtype in {QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING}:
        ranking = qtype == QuestionType.RANKING
        columns = []
        for index, choice in enumerate(question.choices, start=1):
            columns.append(
                Column(
                    f"{code}_{index}",
                    _header(f"{question.label}: {choice.label}", f"{code}_{index}"),
                    _choice_reader(qid, choice.id, ranking),
                    values=[(choice.id, choice.label)],
                    **base,
                )
            )
        return columns
    if qtype == QuestionType.MATRIX:
        columns = []
        for index, row in enumerate(question.rows, start=1):
            columns.append(
                Column(
                    f"{code}_{index}",
                    _header(f"{question.label}: {row.label}", f"{code}_{index}"),
                    _row_reader(qid, row.id),
                    values=[(row.id, row.label), *scale],
                    **base,
                )
            )
            columns.append(
                _label_column(
                    f"{code}_{index}",
                    f"{question.label}: {row.label}",
                    _row_reader(qid, row.id),
                    scale,
                    base,
                )
            )
        return columns
    if qtype == QuestionType.DATE:
        read_date = _single_value(qid, "date")
        return [
            Column(
                code,
                _header(question.label, code),
                lambda s, a: jalali_text(read_date(s, a), "fa"),
                **base,
            ),
            Column(
                f"{code}_iso",
                _header(question.label, f"{code}_iso"),
                read_date,  # A real date: a date cell in the XLSX, ISO text in the CSV.
                **base,
            ),
        ]
    # Likert, rating, number, consent: one number (Likert and rating: then its label).
    read_number = _single_value(qid, "number")
    values = scale if qtype != QuestionType.CONSENT else [(1, gettext("Agreed"))]
    columns = [
        Column(
            code,
            _header(question.label, code),
            lambda s, a: _number(read_number(s, a)),
            values=values,
            **base,
        )
    ]
    if qtype in {QuestionType.LIKERT, QuestionType.RATING}:
        columns.append(_label_column(code, question.label, read_number, scale, base))
    return columns


def _label_column(code, label, read_number, scale, base):
    """The scale label of a numeric answer ("2" → "Disagree"), beside its number.

    A point the scale does not name (the middle of a 0–10 rating) shows as its number.
    """
    labels = dict(scale)

    def read(submission, answers):
        value = _number(read_number(submission, answers))
        if value is None:
            return None
        label = labels.get(value) or ""
        return label if label and not label.isdigit() else to_persian_digits(str(value))

    return Column(
        f"{code}_label",
        _header(gettext("%(question)s (label)") % {"question": label}, f"{code}_label"),
        read,
        values=list(scale),
        **base,
    )


def _choice_reader(question_id, choice_id, ranking):
    def read(submission, answers):
        found = answers.get(question_id)
        if not found:
            return None  # Not asked or skipped: blank, not "not chosen".
        for answer in found:
            if answer.choice_id == choice_id:
                return _number(answer.number) if ranking else 1
        return None if ranking else 0

    return read


def _row_reader(question_id, row_id):
    def read(submission, answers):
        for answer in answers.get(question_id, ()):
            if answer.row_id == row_id:
                return _number(answer.number)
        return None

    return read


def export_columns(questionnaire, *, identity=False, anonymous=False):
    """Every exported column of a questionnaire, in order.

    Args:
        questionnaire: the survey's :class:`~participation.questions.schema.Questionnaire`.
        identity: add the participant's email (check :func:`identity_allowed` first).
        anonymous: an anonymous-verified call (see :func:`is_anonymous`): no role or
            university, and the day of each response only.
    """
    columns = _meta_columns(identity, anonymous)
    for position, question in enumerate(questionnaire.questions, start=1):
        columns.extend(_question_columns(question, position))
    return columns


# ---- Rows -----------------------------------------------------------------------------------


def is_anonymous(page):
    return page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED


def export_submissions(page, *, identity=False):
    """The call's submissions (every language, status and flag), oldest first.

    Anonymous-verified calls: in the order of the random ``uuid``, which follows neither
    the time of answering nor any order of the accounts, awards or notices.
    """
    order = ("uuid",) if is_anonymous(page) else ("submitted_at", "pk")
    submissions = (
        Submission.objects.filter(call_key=page.call_key)
        .order_by(*order)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("pk")))
    )
    if identity:
        submissions = submissions.select_related("participant")
    return submissions


def export_rows(page, columns, *, identity=False):
    """Yield one list of values per submission, reading submissions in chunks."""
    for submission in export_submissions(page, identity=identity).iterator(CHUNK_SIZE):
        answers = defaultdict(list)
        for answer in submission.answers.all():
            answers[answer.question_id].append(answer)
        yield [column.read(submission, answers) for column in columns]


def codebook_rows(columns):
    """The codebook: one row per column, with its question, type and value labels."""
    yield [
        gettext("Column"),
        gettext("Heading"),
        gettext("Question"),
        gettext("Type"),
        gettext("Values"),
        gettext("Reverse-coded"),
    ]
    for column in columns:
        values = "\n".join(f"{value} = {label}" for value, label in column.values)
        yield [
            column.code,
            column.header,
            column.question.label if column.question else "",
            column.kind,
            values,
            _flag(column.reverse_coded),
        ]


def export_filename(page, extension):
    stamp = timezone.localdate().isoformat()
    return f"{page.slug}-{stamp}.{extension}"


# ---- CSV ------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose ``write`` returns what it is given (for ``csv.writer``)."""

    def write(self, value):
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return iso_text(value)
    return neutralise(str(value)) if isinstance(value, str) else value


def csv_lines(page, *, identity=False):
    """Yield the CSV text line by line: the BOM, the header, then a line per submission."""
    questionnaire = read_questions(page.questions)
    columns = export_columns(questionnaire, identity=identity, anonymous=is_anonymous(page))
    writer = csv.writer(_Echo())
    yield UTF8_BOM
    yield writer.writerow([_csv_value(column.header) for column in columns])
    for row in export_rows(page, columns, identity=identity):
        yield writer.writerow([_csv_value(value) for value in row])


def csv_response(page, *, identity=False):
    """A streamed CSV download (UTF-8 with BOM, so Excel reads the Persian)."""
    response = StreamingHttpResponse(
        csv_lines(page, identity=identity), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, export_filename(page, "csv"))
    return response


# ---- XLSX -----------------------------------------------------------------------------------


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = "DCEFE8"  # The site's light green, so the header reads as one.


def _xlsx_row(sheet, values, *, header=False, wrap=False):
    """Write-only cells for ``values``: text never a formula, dates as date cells.

    Args:
        header: bold on a tinted fill (the frozen first row).
        wrap: wrap long text and align it to the top (for the committee's tables).
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill

    cells = []
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # Control characters XML refuses.
        value = local_datetime(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # Never a formula, whatever the text starts with.
        elif isinstance(value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        if header:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        elif wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def write_xlsx(page, target, *, identity=False):
    """Write the workbook (answers sheet, then codebook) to ``target``, a path or binary file.

    openpyxl's write-only mode keeps each sheet in a temporary file as rows arrive, so
    memory does not grow with the number of submissions.
    """
    from openpyxl import Workbook

    questionnaire = read_questions(page.questions)
    columns = export_columns(questionnaire, identity=identity, anonymous=is_anonymous(page))
    workbook = Workbook(write_only=True)
    answers_sheet = workbook.create_sheet(gettext("Answers"))
    answers_sheet.sheet_view.rightToLeft = True
    answers_sheet.freeze_panes = "A2"  # The header stays in view while scrolling.
    answers_sheet.append(
        _xlsx_row(answers_sheet, [column.header for column in columns], header=True)
    )
    for row in export_rows(page, columns, identity=identity):
        answers_sheet.append(_xlsx_row(answers_sheet, row))
    codebook = workbook.create_sheet(gettext("Codebook"))
    codebook.sheet_view.rightToLeft = True
    codebook.freeze_panes = "A2"
    for number, row in enumerate(codebook_rows(columns)):
        codebook.append(_xlsx_row(codebook, row, header=number == 0))
    workbook.save(target)


def xlsx_response(page, *, identity=False):
    """A streamed XLSX download, built in a temporary file (deleted once sent)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending.
    write_xlsx(page, spool, identity=identity)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=export_filename(page, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


def sheets_xlsx_response(filename, sheets, *, widths=None, wrap=False):
    """A download of simple right-to-left sheets: ``[(title, rows)]``, rows of plain values.

    The first row of each sheet is its header: styled and frozen. Text cells are never
    formulas and dates are date cells (see :func:`_xlsx_row`); used by the draft and idea
    exports.

    Args:
        widths: column widths in characters, in order (the same for every sheet).
        wrap: wrap long text in the data rows.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.sheet_view.rightToLeft = True
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths or (), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for number, row in enumerate(rows):
            sheet.append(_xlsx_row(sheet, row, header=number == 0, wrap=wrap))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending.
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
