"""Exports of a survey's submissions for editors: XLSX (the default) and CSV.

Both have the same columns: the submission's own fields and quality flags, then one
column per question — or per choice (multiple choice: 0/1; ranking: the rank), per matrix
statement, and two for dates (Solar Hijri text and ISO). The XLSX adds a codebook sheet.

The files are written from :func:`file_rows`: two streams from the database in the same
order (the submissions' fields, and their answers as plain tuples), each read with
``iterator(chunk_size=STREAM_CHUNK_SIZE)`` inside one snapshot, joined here, with every
label, Jalali date and ISO day computed once per distinct value. Two queries, whatever the
number of submissions, and flat memory: the CSV is a generator streamed in pieces of
:data:`CSV_BATCH_ROWS` lines; the XLSX is written by xlsxwriter in ``constant_memory`` mode
into a temporary file on disk and streamed from it in blocks. :func:`export_rows` is the
plain definition of the same rows, one model instance at a time; the tests hold the files
to what it gives (bench/RESULTS.md, "Exports", says where the time went).

Cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading apostrophe in the CSV and are stored as
plain text cells in the XLSX. Anonymous-verified calls never export who answered, nor
anything that would date or order a response against the awards or the accounts: no role,
no university, the day only, and the rows in the order of the responses' random uuids
(docs/privacy.md).
"""

import csv
import datetime
import io
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby, islice
from operator import itemgetter

from django.db import transaction
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
# Rows fetched at a time by the two streams of :func:`file_rows` (submissions, answers).
STREAM_CHUNK_SIZE = 2000
# Rows of CSV text joined into one piece of the download.
CSV_BATCH_ROWS = 500
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
    # What the column shows, for :func:`file_rows`: a submission field (``part`` "meta"),
    # or a part of its question's answer ("text", "choice", "chosen", "rank", "row",
    # "row_label", "date_jalali", "date", "number", "number_label") for the choice or
    # matrix statement ``key``.
    part: str = "meta"
    key: str = ""


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
        return [
            Column(
                code, _header(question.label, code), _single_value(qid, "text"), part="text", **base
            )
        ]
    if qtype == QuestionType.SINGLE_CHOICE:
        labels = {choice.id: choice.label for choice in question.choices}

        def read_choice(submission, answers):
            found = answers.get(qid)
            return labels.get(found[0].choice_id, found[0].choice_id) if found else None

        values = [(choice.id, choice.label) for choice in question.choices]
        return [
            Column(
                code,
                _header(question.label, code),
                read_choice,
                values=values,
                part="choice",
                **base,
            )
        ]
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
                    part="rank" if ranking else "chosen",
                    key=choice.id,
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
                    part="row",
                    key=row.id,
                    **base,
                )
            )
            label = _label_column(
                f"{code}_{index}",
                f"{question.label}: {row.label}",
                _row_reader(qid, row.id),
                scale,
                base,
            )
            label.part, label.key = "row_label", row.id
            columns.append(label)
        return columns
    if qtype == QuestionType.DATE:
        read_date = _single_value(qid, "date")
        return [
            Column(
                code,
                _header(question.label, code),
                lambda s, a: jalali_text(read_date(s, a), "fa"),
                part="date_jalali",
                **base,
            ),
            Column(
                f"{code}_iso",
                _header(question.label, f"{code}_iso"),
                read_date,  # A real date: a date cell in the XLSX, ISO text in the CSV.
                part="date",
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
            part="number",
            **base,
        )
    ]
    if qtype in {QuestionType.LIKERT, QuestionType.RATING}:
        label = _label_column(code, question.label, read_number, scale, base)
        label.part = "number_label"
        columns.append(label)
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
    """Yield one list of values per submission: the reference definition of every row.

    Each value comes from its :class:`Column`'s ``read`` over a model instance and its
    answers. Slow (the ORM builds every answer); the files are written by
    :func:`file_rows`, which the tests hold to the same output.
    """
    for submission in export_submissions(page, identity=identity).iterator(CHUNK_SIZE):
        answers = defaultdict(list)
        for answer in submission.answers.all():
            answers[answer.question_id].append(answer)
        yield [column.read(submission, answers) for column in columns]


# ---- Rows in the shape of the file ----------------------------------------------------------

SUBMISSION_FIELDS = (
    "pk",
    "uuid",
    "submitted_at",
    "language",
    "status",
    "respondent_role",
    "respondent_university",
    "duration_seconds",
    "is_speeder",
    "is_straightliner",
    "excluded_from_results",
)
ANSWER_FIELDS = ("submission_id", "question_id", "row_id", "choice_id", "number", "text", "date")


class Memo(dict):
    """``function(key)`` computed once per key: a label, a Jalali date, an ISO day."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        self[key] = value = self.function(key)
        return value


def _scale_label(labels, value):
    """What :func:`_label_column` shows for the number ``value``."""
    value = _number(value)
    if value is None:
        return None
    label = labels.get(value) or ""
    return label if label and not label.isdigit() else to_persian_digits(str(value))


class FileFlavour:
    """How each kind of value is written in a file: here as CSV text.

    The same values as :func:`_csv_value` gives the reference rows of :func:`export_rows`.
    """

    @staticmethod
    def text(value):
        return neutralise(value)

    @staticmethod
    def day(value):
        return value.isoformat()

    @staticmethod
    def moment(value):
        """A naive local date-time."""
        return value.isoformat(timespec="seconds")


class XlsxFlavour(FileFlavour):
    """As XLSX cell values: text without the control characters XML refuses, real dates.

    Line ends as XML reads them back (a carriage return, alone or before a line feed, is
    a line feed), which is what the text of openpyxl's files reads as; xlsxwriter would
    keep a carriage return as ``_x000D_``.
    """

    @staticmethod
    def text(value):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return ILLEGAL_CHARACTERS_RE.sub("", value)

    @staticmethod
    def day(value):
        return value

    @staticmethod
    def moment(value):
        return value


def _meta_readers(columns, flavour, *, anonymous, identity):
    """For each submission column, a function of the submission's values tuple.

    The tuple holds :data:`SUBMISSION_FIELDS` (then the participant's email with
    ``identity``), in order.
    """
    zone = timezone.get_current_timezone()
    text = flavour.text
    jalali_day = Memo(lambda day: jalali_text(day, "fa"))
    status_labels = dict(SubmissionStatus.choices)
    role_labels = dict(Role.choices)
    status = Memo(lambda value: text(str(status_labels.get(value, value))))
    role = Memo(lambda value: text(str(role_labels.get(value, value))))
    texts = Memo(text)
    day_value = Memo(flavour.day)
    clock = [to_persian_digits(f"{minute // 60:02d}:{minute % 60:02d}") for minute in range(1440)]
    last = [None, None]  # the last submission's time, and it on the local clock

    def local(moment):
        if last[0] is not moment:
            last[0], last[1] = moment, moment.astimezone(zone)
        return last[1]

    def jalali_moment(moment):
        moment = local(moment)
        return f"{jalali_day[moment.date()]} {clock[moment.hour * 60 + moment.minute]}"

    def local_day(values):
        return local(values[2]).date()

    readers = {
        "submission": lambda v: str(v[1]),
        "submitted_jalali": lambda v: jalali_moment(v[2]),
        "submitted_iso": lambda v: flavour.moment(local(v[2]).replace(tzinfo=None)),
        "language": lambda v: texts[v[3]],
        "status": lambda v: status[v[4]],
        "role": lambda v: role[v[5]],
        "university": lambda v: texts[v[6]],
        "duration_seconds": lambda v: v[7],
        "speeder": lambda v: 1 if v[8] else 0,
        "straightliner": lambda v: 1 if v[9] else 0,
        "excluded": lambda v: 1 if v[10] else 0,
        "participant_email": lambda v: text(v[11] or ""),
    }
    if anonymous:
        readers["submitted_jalali"] = lambda v: jalali_day[local_day(v)]
        readers["submitted_iso"] = lambda v: day_value[local_day(v)]
    return [readers[column.code] for column in columns if column.part == "meta"]


def _answer_writers(columns, flavour):
    """For each question id, a function that writes one answer into a row."""
    by_question = defaultdict(list)
    for index, column in enumerate(columns):
        if column.part != "meta":
            by_question[column.question.id].append((index, column))
    return {
        question_id: _question_writer(placed, flavour)
        for question_id, placed in by_question.items()
    }


def _question_writer(placed, flavour):
    """The function writing one answer of a question into its columns (see :class:`Column`).

    Answers are written last to first, so the first answer of a question (or of a choice,
    or of a statement) is the one left, as the reference readers take it.
    """
    parts = {column.part: (index, column) for index, column in placed}
    by_key = defaultdict(dict)
    for index, column in placed:
        if column.key:
            by_key[column.part][column.key] = (index, column)
    text = flavour.text
    if "text" in parts:
        index = parts["text"][0]

        def write_text(row, row_id, choice_id, number, value, date):
            row[index] = text(value)

        return write_text
    if "choice" in parts:
        index, column = parts["choice"]
        labels = Memo(lambda choice: text(choice))
        labels.update({choice: text(label) for choice, label in column.values})

        def write_choice(row, row_id, choice_id, number, value, date):
            row[index] = labels[choice_id]

        return write_choice
    if "chosen" in by_key:
        chosen = {key: index for key, (index, _column) in by_key["chosen"].items()}
        options = sorted(chosen.values())

        def write_chosen(row, row_id, choice_id, number, value, date):
            for option in options:  # Answered: the options not chosen are 0, not blank.
                if row[option] is None:
                    row[option] = 0
            index = chosen.get(choice_id)
            if index is not None:
                row[index] = 1

        return write_chosen
    if "rank" in by_key:
        ranks = {key: index for key, (index, _column) in by_key["rank"].items()}

        def write_rank(row, row_id, choice_id, number, value, date):
            index = ranks.get(choice_id)
            if index is not None:
                row[index] = _number(number)

        return write_rank
    if "row" in by_key:
        statements = {}
        for key, (index, _column) in by_key["row"].items():
            label_index, label_column = by_key["row_label"][key]
            statements[key] = (index, label_index, _scale_values(label_column, text))

        def write_statement(row, row_id, choice_id, number, value, date):
            found = statements.get(row_id)
            if found is not None:
                index, label_index, values = found
                row[index], row[label_index] = values[number]

        return write_statement
    if "date" in parts:
        iso_index = parts["date"][0]
        jalali_index = parts["date_jalali"][0]
        jalali_day = Memo(lambda day: jalali_text(day, "fa"))
        day_value = Memo(flavour.day)

        def write_date(row, row_id, choice_id, number, value, date):
            if date is None:
                row[jalali_index] = ""
                row[iso_index] = None
            else:
                row[jalali_index] = jalali_day[date]
                row[iso_index] = day_value[date]

        return write_date
    index = parts["number"][0]
    if "number_label" not in parts:
        numbers = Memo(_number)

        def write_number(row, row_id, choice_id, number, value, date):
            row[index] = numbers[number]

        return write_number
    label_index, label_column = parts["number_label"]
    values = _scale_values(label_column, text)

    def write_scale(row, row_id, choice_id, number, value, date):
        row[index], row[label_index] = values[number]

    return write_scale


def _scale_values(label_column, text):
    """Stored number → (the number as exported, its scale label), once per number."""
    labels = dict(label_column.values)

    def values(number):
        label = _scale_label(labels, number)
        return _number(number), None if label is None else text(label)

    return Memo(values)


def _answer_groups(page, order):
    """The call's answers as (submission pk, [answer tuples]) in the submissions' ``order``."""
    answers = (
        Answer.objects.filter(submission__call_key=page.call_key)
        .order_by(*(f"submission__{name}" for name in order), "submission_id", "pk")
        .values_list(*ANSWER_FIELDS)
        .iterator(chunk_size=STREAM_CHUNK_SIZE)
    )
    for submission_id, group in groupby(answers, key=itemgetter(0)):
        yield submission_id, list(group)


def file_rows(page, columns, *, identity=False, flavour=FileFlavour):
    """Yield one list of values per submission, as :func:`export_rows` with the values
    written the way ``flavour`` says (CSV text or XLSX cells), in two queries.

    The submissions and their answers are two streams from the database in the same
    order, joined here; each answer tuple is written straight into its columns. Labels,
    Jalali dates and ISO days are computed once per distinct value. Run inside
    :func:`snapshot` so both streams see the same submissions.
    """
    anonymous = is_anonymous(page)
    order = ("uuid",) if anonymous else ("submitted_at", "pk")
    fields = (*SUBMISSION_FIELDS, "participant__email") if identity else SUBMISSION_FIELDS
    submissions = (
        Submission.objects.filter(call_key=page.call_key)
        .order_by(*order)
        .values_list(*fields)
        .iterator(chunk_size=STREAM_CHUNK_SIZE)
    )
    meta = _meta_readers(columns, flavour, anonymous=anonymous, identity=identity)
    writers = _answer_writers(columns, flavour)
    # Unanswered: blank, but an unanswered date's Jalali text is "" (``jalali_text(None)``).
    blank = ["" if column.part == "date_jalali" else None for column in columns[len(meta) :]]
    groups = _answer_groups(page, tuple(name for name in order if name != "pk"))
    pending = next(groups, None)
    for values in submissions:
        row = [read(values) for read in meta]
        row.extend(blank)
        if pending is not None and pending[0] == values[0]:
            answers = pending[1]
            pending = next(groups, None)
            for _submission, question_id, row_id, choice_id, number, text, date in reversed(
                answers
            ):
                write = writers.get(question_id)
                if write is not None:
                    write(row, row_id, choice_id, number, text, date)
        yield row
    if pending is not None:
        raise RuntimeError(f"Answers of submission {pending[0]} came without their submission.")


@contextmanager
def snapshot():
    """One view of the database for both streams of :func:`file_rows`.

    Outside a transaction: a read-only one, ``REPEATABLE READ`` on PostgreSQL (SQLite's
    transactions are snapshots already). Inside one (the tests), that transaction.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


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


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return iso_text(value)
    return neutralise(str(value)) if isinstance(value, str) else value


def csv_lines(page, *, identity=False):
    """Yield the CSV text: the BOM, the header line, then the submissions' lines in pieces
    of :data:`CSV_BATCH_ROWS` lines (rows from :func:`file_rows`)."""
    questionnaire = read_questions(page.questions)
    columns = export_columns(questionnaire, identity=identity, anonymous=is_anonymous(page))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield UTF8_BOM
    writer.writerow([_csv_value(column.header) for column in columns])
    with snapshot():
        rows = file_rows(page, columns, identity=identity)
        while batch := list(islice(rows, CSV_BATCH_ROWS)):
            writer.writerows(batch)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


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


def _write_sheet_row(sheet, number, values, formats, style=None):
    """Row ``number`` of an xlsxwriter sheet: text always text, numbers, dates as date cells."""
    write_string, write_number = sheet.write_string, sheet.write_number
    write_datetime = sheet.write_datetime
    for index, value in enumerate(values):
        kind = type(value)
        if value is None:
            if style is not None:
                sheet.write_blank(number, index, None, style)
        elif kind is str:
            if value or style is not None:  # "" is no cell, as openpyxl writes it
                write_string(number, index, value, style)
        elif kind is int or kind is float:
            write_number(number, index, value, style)
        elif kind is datetime.datetime:
            write_datetime(number, index, value, formats["datetime"])
        elif kind is datetime.date:
            write_datetime(number, index, value, formats["date"])
        else:
            write_string(number, index, str(value), style)


# The kind of value each part of a row holds (:class:`Column`), for :func:`_cell_writers`.
NUMBER_PARTS = {"chosen", "rank", "row", "number"}
NUMBER_CODES = {"duration_seconds", "speeder", "straightliner", "excluded"}


def _cell_writers(sheet, columns, formats, *, anonymous):
    """For each column, the xlsxwriter method that writes its (non-blank) values.

    Every column holds one kind of value, so the kind is decided once, not per cell; the
    methods are xlsxwriter's undecorated ones (the pinned version's): the public ones first
    convert "A1" references, which costs as much again per cell.
    """
    date_format = formats["date"] if anonymous else formats["datetime"]

    def write_moment(row, column, value):
        sheet._write_datetime(row, column, value, date_format)

    def write_day(row, column, value):
        sheet._write_datetime(row, column, value, formats["date"])

    writers = []
    for column in columns:
        if column.code == "submitted_iso":
            writers.append(write_moment)
        elif column.part == "date":
            writers.append(write_day)
        elif column.part in NUMBER_PARTS or (column.part == "meta" and column.code in NUMBER_CODES):
            writers.append(sheet._write_number)
        else:
            writers.append(sheet._write_string)
    return writers


def write_xlsx(page, target, *, identity=False):
    """Write the workbook (answers sheet, then codebook) to ``target``, a path or binary file.

    xlsxwriter in ``constant_memory`` mode writes each row to a temporary file as soon as
    the next one starts, so memory does not grow with the number of submissions; rows come
    from :func:`file_rows` as XLSX values.
    """
    import xlsxwriter

    questionnaire = read_questions(page.questions)
    columns = export_columns(questionnaire, identity=identity, anonymous=is_anonymous(page))
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "header": workbook.add_format(
            {
                "bold": True,
                "pattern": 1,
                "bg_color": f"#{HEADER_FILL}",
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
    }
    answers_sheet = _xlsx_sheet(workbook, gettext("Answers"))
    text = XlsxFlavour.text
    _write_sheet_row(
        answers_sheet, 0, [text(column.header) for column in columns], formats, formats["header"]
    )
    writers = _cell_writers(answers_sheet, columns, formats, anonymous=is_anonymous(page))
    with snapshot():
        rows = file_rows(page, columns, identity=identity, flavour=XlsxFlavour)
        for number, row in enumerate(rows, start=1):
            for index, value in enumerate(row):
                # Blank and "" are no cell, as openpyxl writes them.
                if value is not None and value != "":
                    writers[index](number, index, value)
    codebook = _xlsx_sheet(workbook, gettext("Codebook"))
    for number, row in enumerate(codebook_rows(columns)):
        values = [text(value) if isinstance(value, str) else value for value in row]
        _write_sheet_row(
            codebook, number, values, formats, formats["header"] if number == 0 else None
        )
    workbook.close()


def _xlsx_sheet(workbook, title):
    """A right-to-left sheet whose first row (the header) stays in view while scrolling."""
    sheet = workbook.add_worksheet(title[:31])
    sheet.right_to_left()
    sheet.freeze_panes(1, 0)
    return sheet


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
