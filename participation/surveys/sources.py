"""Survey questions (and their results) as the sources of commitments.

Registered with ``participation.sources`` from ``apps.ready``. A question is cited by its
block id; the public sees its wording and, when the results are public, a link to them.
Those who answered it are told what became of it, unless the survey is anonymous-verified:
its answers are never linked to an account, so nobody is traced from them.
"""

from django.utils.translation import gettext as _

from participation.calls import call_page_model, live_calls_by_key, traceable
from participation.choices import AnonymityMode, CallKind, SourceKind, SubmissionStatus
from participation.questions.schema import read_questions
from participation.results.aggregates import results_visible_to_public
from participation.sources import SourceInfo, SourceProvider, SourceRef
from participation.submissions.models import Answer, ParticipationReceipt, Submission


def describe(refs):
    pages = live_calls_by_key(call_page_model(CallKind.SURVEY), {ref.call_key for ref in refs})
    questions = {key: read_questions(page.questions).by_id() for key, page in pages.items()}
    described = {}
    for ref in refs:
        page = pages.get(ref.call_key)
        question = questions.get(ref.call_key, {}).get(ref.question_id)
        if page is None or question is None:
            described[ref] = SourceInfo(label=_("a question no longer in the survey"))
            continue
        public = results_visible_to_public(page) and bool(page.url)
        described[ref] = SourceInfo(
            label=question.label,
            outcome=_("Results published") if public else "",
            url=f"{page.url}results/" if public else "",
        )
    return described


def contributors(ref):
    """Everyone who answered the question, in a survey that is not anonymous-verified."""
    page = live_calls_by_key(call_page_model(CallKind.SURVEY), [ref.call_key]).get(ref.call_key)
    if page is None or page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        return []
    submissions = (
        Submission.objects.filter(
            call_key=ref.call_key,
            status=SubmissionStatus.SUBMITTED,
            participant__isnull=False,
            answers__question_id=ref.question_id,
        )
        .select_related("participant")
        .distinct()
    )
    return [submission.participant for submission in submissions]


def candidates(page):
    """Every question of the survey, by its wording."""
    if getattr(page, "call_kind", None) != CallKind.SURVEY:
        return []
    return [
        (
            SourceRef(SourceKind.SURVEY_QUESTION, page.translation_key, question_id=question.id),
            question.label,
        )
        for question in read_questions(page.questions).questions
    ]


def contributed_by(person):
    """The questions ``person`` answered in a submitted response, outside anonymous-verified
    surveys (one query): the way round of :func:`contributors`. An anonymous-verified
    response has no participant anyway; the survey is left out all the same."""
    answers = traceable(
        Answer.objects.filter(
            submission__participant=person, submission__status=SubmissionStatus.SUBMITTED
        ),
        call_page_model(CallKind.SURVEY),
        "submission__call_key",
    )
    pairs = answers.order_by().values_list("submission__call_key", "question_id").distinct()
    return [
        SourceRef(SourceKind.SURVEY_QUESTION, call_key, question_id=question_id)
        for call_key, question_id in pairs
    ]


def calls_of(person):
    """The surveys ``person`` responded to (one query): a named response, or the receipt
    of an anonymous-verified one (which says only that they took part)."""
    named = Submission.objects.filter(
        participant=person, status=SubmissionStatus.SUBMITTED
    ).values_list("call_key", flat=True)
    receipts = ParticipationReceipt.objects.filter(participant=person).values_list(
        "call_key", flat=True
    )
    return set(named.order_by().union(receipts.order_by()))


PROVIDER = SourceProvider(
    kind=SourceKind.SURVEY_QUESTION,
    describe=describe,
    contributors=contributors,
    candidates=candidates,
    contributed_by=contributed_by,
    calls_of=calls_of,
)
