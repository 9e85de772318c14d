"""Keep :class:`~participation.submissions.models.AnswerTally` in step with answers.

Every change to what counts in results goes through :func:`record` (+1) or
:func:`retract` (−1) inside the same transaction as the answers, with one
``INSERT … ON CONFLICT DO UPDATE`` statement (SQLite ≥ 3.24 and PostgreSQL share
the syntax), rows sorted so concurrent writers lock them in the same order.

Tally rows carry random ids given in the statement, never the table's sequence: a
sequential id would date the response that created a row (count 1), and even a conflicting
insert consumes a sequence value (docs/privacy.md). Anonymous-verified responses count in
the everyone segment only: they carry no role or university from the account.
"""

from collections import Counter

from django.db import connection
from django.dispatch import Signal

from participation.questions.choices import QuestionType
from participation.submissions.models import AnswerTally, random_id

ALL = ""  # The segment of every respondent.
CALL_TOTAL = ("", "", "", "")  # (question, row, choice, value) of the response count.
# How many people opened the form: the denominator of the completion rate. Not derived
# from answers, so rebuilding tallies keeps it.
FORM_OPENED_VALUE = "opened"
# How many times a submission was recorded or retracted: names a public snapshot's version
# (``disclosure.published_tallies``; batches count responses, not these). Kept by rebuilds too.
CHANGES_VALUE = "changes"
COUNTER_VALUES = (FORM_OPENED_VALUE, CHANGES_VALUE)

NUMERIC_TYPES = {QuestionType.LIKERT, QuestionType.RATING, QuestionType.NUMBER}

# Sent (``call_key=``) inside the transaction whenever a response starts or stops counting in
# results, or its counted answers change: the opinion map listens (``opinions.map_signals``),
# so that it reads the same responses results do.
counted_responses_changed = Signal()


def number_key(value):
    """The tally key of a numeric answer: integers without ".0", so 3 and 3.0 count together."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def segments_of(submission):
    """The segments a submission counts in: everyone, and its role and university if known.

    An anonymous-verified response counts in the everyone segment only, whatever an older
    row may still hold: a role or university beside it would narrow down who wrote it.
    """
    segments = [ALL]
    if submission.is_anonymous:
        return segments
    if submission.respondent_role:
        segments.append(f"role:{submission.respondent_role}")
    if submission.respondent_university:
        segments.append(f"university:{submission.respondent_university}"[:220])
    return segments


def tally_keys(answers, question_types):
    """The (question, row, choice, value) keys one submission's answers add to.

    Args:
        answers: the submission's :class:`Answer` rows (saved or not).
        question_types: question id → question type, from the questionnaire.

    Returns:
        Counter: key → count. Each answered question (and matrix row) adds one
        "respondents" key with empty choice and value, the denominator of percentages.
    """
    keys = Counter([CALL_TOTAL])
    answered = set()
    for answer in answers:
        question_type = question_types.get(answer.question_id)
        if question_type is None:
            continue  # A question since removed from the form: kept, not tallied.
        answered.add((answer.question_id, answer.row_id))
        if question_type == QuestionType.MATRIX:
            keys[(answer.question_id, answer.row_id, "", number_key(answer.number))] += 1
        elif question_type == QuestionType.RANKING:
            keys[(answer.question_id, "", answer.choice_id, number_key(answer.number))] += 1
        elif answer.choice_id:
            keys[(answer.question_id, "", answer.choice_id, "")] += 1
        elif question_type in NUMERIC_TYPES:
            keys[(answer.question_id, "", "", number_key(answer.number))] += 1
    for question_id, row_id in answered:
        keys[(question_id, row_id, "", "")] += 1
    return keys


def _upsert(call_key, rows):
    """Add ``(segment, question, row, choice, value, count)`` rows to the call's tallies.

    Each row is offered with a fresh random id (kept only when the row is new), so the
    statement never draws on the table's sequence; see the module docstring.
    """
    call_key = AnswerTally._meta.get_field("call_key").get_db_prep_value(call_key, connection)
    rows = sorted(rows)  # Before the ids: the lock order is the keys' order.
    table = connection.ops.quote_name(AnswerTally._meta.db_table)
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [value for row in rows for value in (random_id(), call_key, *row)]
    columns = "id, call_key, segment, question_id, row_id, choice_id, value, count"
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"VALUES {placeholders} "
        "ON CONFLICT (call_key, segment, question_id, row_id, choice_id, value) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _apply(submission, answers, question_types, sign):
    keys = tally_keys(answers, question_types)
    rows = [
        (segment, *key, count * sign)
        for segment in segments_of(submission)
        for key, count in keys.items()
    ]
    rows.append((ALL, "", "", "", CHANGES_VALUE, 1))  # Either way, one more change.
    _upsert(submission.call_key, rows)
    counted_responses_changed.send(sender=type(submission), call_key=submission.call_key)


def record_form_opening(call_key, count=1):
    """Count ``count`` people opening a call's form (for the completion rate)."""
    _upsert(call_key, [(ALL, "", "", "", FORM_OPENED_VALUE, count)])


def form_openings(call_key):
    """How many people opened the call's form."""
    row = AnswerTally.objects.filter(
        call_key=call_key,
        segment=ALL,
        question_id="",
        row_id="",
        choice_id="",
        value=FORM_OPENED_VALUE,
    ).first()
    return row.count if row else 0


def record(submission, answers, question_types):
    """Add a submission's answers to the tallies (call inside its transaction)."""
    _apply(submission, answers, question_types, +1)


def retract(submission, answers, question_types):
    """Remove a submission's answers from the tallies (editing, withdrawing, excluding)."""
    _apply(submission, answers, question_types, -1)
