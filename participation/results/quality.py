"""Response quality flags: speeders and straight-liners.

Flags are derived data, recomputed in bulk by :func:`refresh_quality_flags` with a few
set-based queries (no submission is loaded into Python). A flag never removes anything:
editors decide whether to exclude a flagged submission from results
(``participation.submissions.services.set_counted``); excluded submissions stay stored
and exported with their flags.
"""

from django.conf import settings
from django.db.models import Case, Count, Q, Value, When

from participation.choices import SubmissionStatus
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.submissions.models import Answer, Submission

DEFAULT_SPEEDER_FRACTION = 0.33
MIN_MATRIX_ROWS = 4
MIN_LIKERT_RUN = 5


def speeder_fraction():
    """The share of the median duration below which a response counts as a speeder."""
    return float(getattr(settings, "HADAF_SPEEDER_FRACTION", DEFAULT_SPEEDER_FRACTION))


def _timed_submissions(call_key):
    return Submission.objects.filter(
        call_key=call_key, status=SubmissionStatus.SUBMITTED, duration_seconds__isnull=False
    )


def median_duration(call_key):
    """The median time taken (seconds) by the call's submitted responses, or ``None``.

    Computed by the database: a count, then the one or two middle values by offset,
    so memory does not grow with the number of responses.
    """
    timed = _timed_submissions(call_key)
    count = timed.count()
    if not count:
        return None
    ordered = timed.order_by("duration_seconds").values_list("duration_seconds", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return sum(middle) / len(middle)


def flag_speeders(call_key):
    """Mark responses that took less than a fraction of the call's median time.

    Args:
        call_key: the call's ``translation_key``.

    Returns:
        int: how many submissions are flagged as speeders now.
    """
    submissions = Submission.objects.filter(call_key=call_key)
    median = median_duration(call_key)
    if not median:
        submissions.filter(is_speeder=True).update(is_speeder=False)
        return 0
    threshold = median * speeder_fraction()
    submissions.update(
        is_speeder=Case(
            When(
                status=SubmissionStatus.SUBMITTED,
                duration_seconds__lt=threshold,
                then=Value(True),
            ),
            default=Value(False),
        )
    )
    return submissions.filter(is_speeder=True).count()


def likert_runs(questionnaire, min_length=MIN_LIKERT_RUN):
    """Runs of at least ``min_length`` consecutive Likert questions, as tuples of ids."""
    runs, current = [], []
    for question in (*questionnaire.questions, None):
        if question is not None and question.type == QuestionType.LIKERT:
            current.append(question.id)
            continue
        if len(current) >= min_length:
            runs.append(tuple(current))
        current = []
    return runs


def straightlining_matrices(questionnaire, min_rows=MIN_MATRIX_ROWS):
    """The matrix questions with at least ``min_rows`` statements."""
    return [
        question
        for question in questionnaire.questions
        if question.type == QuestionType.MATRIX and len(question.rows) >= min_rows
    ]


def _same_point_everywhere(call_key, answer_filter, expected):
    """Ids of submissions that gave ``expected`` answers matching ``answer_filter``, all one
    number (a subquery, evaluated by the database)."""
    return (
        Answer.objects.filter(answer_filter, submission__call_key=call_key, number__isnull=False)
        .values("submission_id")
        .annotate(
            answered=Count("id"),
            points=Count("number", distinct=True),
        )
        .filter(answered=expected, points=1)
        .values("submission_id")
    )


def straightliner_condition(call_key, questionnaire):
    """A ``Q`` on submissions matching the straight-lining rules, or ``None`` if the
    questionnaire has nothing to straight-line (no long matrix, no long Likert run)."""
    conditions = []
    for matrix in straightlining_matrices(questionnaire):
        row_ids = [row.id for row in matrix.rows]
        answered = _same_point_everywhere(
            call_key, Q(question_id=matrix.id, row_id__in=row_ids), len(row_ids)
        )
        conditions.append(Q(pk__in=answered))
    for run in likert_runs(questionnaire):
        answered = _same_point_everywhere(call_key, Q(question_id__in=run, row_id=""), len(run))
        conditions.append(Q(pk__in=answered))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def flag_straightliners(call_key, questionnaire):
    """Mark responses that gave the same scale point to a whole matrix or Likert run.

    A submission is a straight-liner when every statement of a matrix with at least
    four statements got the same point, or every question of a run of at least five
    consecutive Likert questions did (reverse-coded items included: that is the point).

    Returns:
        int: how many submissions are flagged as straight-liners now.
    """
    submissions = Submission.objects.filter(call_key=call_key)
    condition = straightliner_condition(call_key, questionnaire)
    if condition is None:
        submissions.filter(is_straightliner=True).update(is_straightliner=False)
        return 0
    submissions.update(
        is_straightliner=Case(When(condition, then=Value(True)), default=Value(False))
    )
    return submissions.filter(is_straightliner=True).count()


def refresh_quality_flags(page, questionnaire=None):
    """Recompute both flags for a survey page's call (all its translations).

    Returns:
        dict: ``{"speeders": n, "straightliners": m}``.
    """
    questionnaire = questionnaire or read_questions(page.questions)
    return {
        "speeders": flag_speeders(page.call_key),
        "straightliners": flag_straightliners(page.call_key, questionnaire),
    }
