"""Recompute a call's tallies from the answers that count, to repair or to verify them.

The submission service keeps :class:`AnswerTally` in step incrementally; this module is
the slow, obviously correct path that reads every counting answer (submitted, not
excluded) and builds the same keys with the same :func:`~.tally.tally_keys`.
"""

from collections import Counter

from django.db import connection, transaction
from wagtail.models import Page

from participation.choices import SubmissionStatus
from participation.questions.schema import read_questions
from participation.submissions.models import Answer, AnswerTally, Submission, random_id

from .tally import COUNTER_VALUES, segments_of, tally_keys

CHUNK = 2000


def question_types_for(call_key):
    """Question id → type of the call with ``call_key``, or ``None`` if no page has it.

    The language versions of a call share block ids and types, so any of them will do.
    """
    page = Page.objects.filter(translation_key=call_key).order_by("pk").specific().first()
    if page is None or not hasattr(page, "questions"):
        return None
    return {question.id: question.type for question in read_questions(page.questions).questions}


def expected_tallies(call_key, question_types):
    """The tallies the counting answers of a call add up to.

    Args:
        call_key: the call's ``translation_key``.
        question_types: question id → type (see :func:`question_types_for`).

    Returns:
        Counter: (segment, question, row, choice, value) → count, zero counts left out.
    """
    submissions = {
        submission.pk: submission
        for submission in Submission.objects.filter(
            call_key=call_key, status=SubmissionStatus.SUBMITTED, excluded_from_results=False
        ).only(
            "pk", "participant_id", "edit_token_hash", "respondent_role", "respondent_university"
        )
    }
    answers_of = {pk: [] for pk in submissions}
    answers = Answer.objects.filter(
        submission__call_key=call_key,
        submission__status=SubmissionStatus.SUBMITTED,
        submission__excluded_from_results=False,
    )
    for answer in answers.only(
        "submission_id", "question_id", "row_id", "choice_id", "number"
    ).iterator(chunk_size=CHUNK):
        answers_of[answer.submission_id].append(answer)
    totals = Counter()
    for pk, submission in submissions.items():
        keys = tally_keys(answers_of[pk], question_types)
        for segment in segments_of(submission):
            for key, count in keys.items():
                totals[(segment, *key)] += count
    return +totals


def derived_tallies(call_key):
    """The call's tally rows that come from answers (form openings and the change counter
    are not)."""
    return AnswerTally.objects.filter(call_key=call_key).exclude(
        question_id="", value__in=COUNTER_VALUES
    )


def stored_tallies(call_key):
    """The call's stored tallies, as :func:`expected_tallies` gives them (zeros left out)."""
    rows = derived_tallies(call_key).exclude(count=0)
    return Counter(
        {
            (segment, question, row, choice, value): count
            for segment, question, row, choice, value, count in rows.values_list(
                "segment", "question_id", "row_id", "choice_id", "value", "count"
            )
        }
    )


def tally_differences(call_key, question_types=None):
    """Keys whose stored count differs from the answers: key → (stored, expected)."""
    question_types = question_types if question_types is not None else question_types_for(call_key)
    if question_types is None:
        return {}
    stored, expected = stored_tallies(call_key), expected_tallies(call_key, question_types)
    return {
        key: (stored.get(key, 0), expected.get(key, 0))
        for key in stored.keys() | expected.keys()
        if stored.get(key, 0) != expected.get(key, 0)
    }


def rebuild_tallies(call_key, question_types=None):
    """Replace a call's tallies with ones recomputed from its answers, in one transaction.

    On PostgreSQL the tally table is locked against writers for the duration (readers go
    on), so no submission lands between reading the answers and writing the counts; on
    SQLite the delete that comes first takes the database's write lock.

    Args:
        call_key: the call's ``translation_key``.
        question_types: question id → type; read from the call's page when omitted.

    Returns:
        int | None: the number of tally rows written, or ``None`` when the call has no page
        (its tallies are left alone, since nothing says which questions count).
    """
    question_types = question_types if question_types is not None else question_types_for(call_key)
    if question_types is None:
        return None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(AnswerTally._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        derived_tallies(call_key).delete()
        totals = expected_tallies(call_key, question_types)
        AnswerTally.objects.bulk_create(
            (
                AnswerTally(
                    pk=random_id(),  # Never the sequence (see ``tally``).
                    call_key=call_key,
                    segment=segment,
                    question_id=question,
                    row_id=row,
                    choice_id=choice,
                    value=value,
                    count=count,
                )
                for (segment, question, row, choice, value), count in sorted(totals.items())
            ),
            batch_size=CHUNK,
        )
    return len(totals)


def call_keys():
    """Every call that has submissions or tallies."""
    keys = set(Submission.objects.values_list("call_key", flat=True).distinct())
    keys |= set(AnswerTally.objects.values_list("call_key", flat=True).distinct())
    return sorted(keys, key=str)
