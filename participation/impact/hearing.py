"""«آیا صدای شما را شنیدیم؟» — "did we hear you?", asked once a call's outcome is out.

Only the call's contributors may answer (``participation.sources.calls_of``: a comment, an
idea they co-authored, a response — an anonymous-verified one by its receipt, which says
only that they took part), once each (a unique constraint). The answers are published as
any survey's results: a count, a mean and the distribution over 1–5, with every count of a
small group hidden (:func:`participation.results.aggregates.min_group`), a count that
would give a hidden one away hidden with it, and the mean withheld beside a hidden count.
The public summary moves only in whole batches of that size, so comparing it before and
after one more answer never tells that answer. The words are shown to editors only.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from participation import sources
from participation.choices import CallState
from participation.errors import Refused
from participation.personal_data import PersonalDataProvider
from participation.results.aggregates import Cell, mean_of, min_group, suppressed_indices
from participation.results.disclosure import share

from .models import HEARD_SCORES, HEARD_TEXT_LENGTH, HeardAnswer

SCORE_LABELS = {
    1: _("Not at all"),
    2: _("A little"),
    3: _("Partly"),
    4: _("Mostly"),
    5: _("Fully"),
}


class AlreadyAnswered(Refused):
    """The person answered for this call before; nothing changed."""


def call_page(call_key):
    """The live call page of ``call_key`` (the active language's version where there is
    one), specific, or ``None``."""
    language = get_language()
    found = None
    for page in Page.objects.live().filter(translation_key=call_key).select_related("locale"):
        if found is None or page.locale.language_code == language:
            found = page
    return found.specific if found is not None else None


def is_asked(page):
    """Whether "did we hear you?" is asked for ``page``: its outcome is published."""
    return getattr(page, "call_state", None) == CallState.OUTCOME_PUBLISHED


ALREADY = _("You have already answered this question for this call. Thank you!")


def check(person, page):
    """Refuse ``person`` an answer for ``page`` now, with the reason.

    Raises:
        Refused: the outcome is not out, or they did not take part in the call.
        AlreadyAnswered: they answered before.
    """
    if page is None or not is_asked(page):
        raise Refused(_("This question is asked once the call's outcome is published."))
    if page.translation_key not in sources.calls_of(person):
        raise Refused(_("Only those who took part in this call can answer this question."))
    if HeardAnswer.objects.filter(call_key=page.translation_key, person=person).exists():
        raise AlreadyAnswered(ALREADY)


def answer(person, page, score, text=""):
    """Record ``person``'s answer for the call ``page``: ``score`` 1–5, ``text`` optional.

    Raises:
        AlreadyAnswered: they answered before (also when two posts race); nothing changes.
        Refused: see :func:`check`, or the score is not 1–5.
    """
    check(person, page)
    if score not in HEARD_SCORES:
        raise Refused(_("Choose a number from 1 to 5."))
    try:
        with transaction.atomic():
            return HeardAnswer.objects.create(
                call=page,
                call_key=page.translation_key,
                person=person,
                score=score,
                text=(text or "").strip()[:HEARD_TEXT_LENGTH],
                language=get_language() or "",
            )
    except IntegrityError:
        raise AlreadyAnswered(ALREADY) from None


@dataclass
class HeardSummary:
    """The aggregate answers of one call.

    Attributes:
        count: how many answers it is over, or ``None`` when too few to show anything.
        mean: the mean score, or ``None`` (too few, or withheld beside a hidden count).
        cells: one :class:`~participation.results.aggregates.Cell` per score 1–5.
        threshold: the smallest group shown.
    """

    count: int | None
    mean: float | None = None
    cells: list[Cell] = field(default_factory=list)
    threshold: int = 0

    @property
    def shown(self):
        return self.count is not None

    @property
    def mean_shown(self):
        """The mean to one decimal place, or ``None``."""
        return None if self.mean is None else round(self.mean, 1)

    @property
    def any_hidden(self):
        return any(cell.suppressed for cell in self.cells)


def summarize(counts, threshold, scope=""):
    """The :class:`HeardSummary` of ``{score: count}`` with small groups hidden (``scope``:
    the call, whose complements are chosen in a secret order of its own)."""
    ordered = [counts.get(score, 0) for score in HEARD_SCORES]
    total = sum(ordered)
    if total < threshold:
        return HeardSummary(count=None, threshold=threshold)
    hidden = suppressed_indices(
        ordered, threshold, total_shown=True, partition=True, scope=str(scope)
    )
    cells = [
        Cell(id=str(score), label=str(SCORE_LABELS[score]), count=None, suppressed=True)
        if index in hidden
        else Cell(
            id=str(score),
            label=str(SCORE_LABELS[score]),
            count=count,
            percent=share(count, total, False),
        )
        for index, (score, count) in enumerate(zip(HEARD_SCORES, ordered, strict=True))
    ]
    mean = None if hidden else mean_of(dict(zip(HEARD_SCORES, ordered, strict=True)))
    return HeardSummary(count=total, mean=mean, cells=cells, threshold=threshold)


def _counts(answers):
    rows = answers.order_by().values("score").annotate(count=Count("pk"))
    return {row["score"]: row["count"] for row in rows}


def public_summary(call_key):
    """The public summary of a live, public call (three queries): over the first whole
    batches of :func:`min_group` answers only, so it changes only by a batch at a time."""
    threshold = min_group()
    if not Page.objects.live().public().filter(translation_key=call_key).exists():
        # A call taken down, or behind a view restriction (attacker13: ``?call=`` showed it).
        return HeardSummary(count=None, threshold=threshold)
    answers = HeardAnswer.objects.filter(call_key=call_key)
    batched = answers.count() // threshold * threshold
    if batched == 0:
        return HeardSummary(count=None, threshold=threshold)
    last = answers.order_by("pk").values("pk")[batched - 1 : batched]
    return summarize(_counts(answers.filter(pk__lte=Subquery(last))), threshold, call_key)


def editor_summaries():
    """``{call key: HeardSummary}`` of every call with answers, now, small groups hidden,
    and ``{call key: [words]}`` of the answers with words (two queries, any number of calls)."""
    threshold = min_group()
    rows = HeardAnswer.objects.order_by().values("call_key", "score").annotate(count=Count("pk"))
    counts = {}
    for row in rows:
        counts.setdefault(row["call_key"], {})[row["score"]] = row["count"]
    words = {}
    # Ordered by the words, not by time or person: the list says nothing of who or when.
    for call_key, text in (
        HeardAnswer.objects.exclude(text="").order_by("text").values_list("call_key", "text")
    ):
        words.setdefault(call_key, []).append(text)
    summaries = {
        call_key: summarize(by_score, threshold, call_key) for call_key, by_score in counts.items()
    }
    return summaries, words


def export_answers(person):
    """``person``'s "did we hear you?" answers, for their data export."""
    answers = list(HeardAnswer.objects.filter(person=person).select_related("call"))
    return [
        {
            "call": answer.call.title if answer.call else "",
            "call_key": str(answer.call_key),
            "satisfaction": answer.score,
            "text": answer.text,
            "answered_on": answer.created_on,
        }
        for answer in answers
    ] or None


def erase_answers(person):
    """An erased account's words go; its score stays, with the now anonymous account, as a
    survey response does. Deleting it moved the published batch by one answer — out went
    the erased one, in came the next held back — and told that next answer (attacker13)."""
    HeardAnswer.objects.filter(person=person).update(text="")


PERSONAL_DATA = PersonalDataProvider(
    name="did_we_hear_you.json",
    description=_(
        "Your answers to “did we hear you?” after calls' outcomes: 1 to 5, and your words."
    ),
    export=export_answers,
    erase=erase_answers,
)
