"""Aggregate results of a survey, built from :class:`AnswerTally` rows, never from answers.

One query fetches a call's tally rows (:func:`load_tallies`); everything else is arithmetic
in Python over O(questions × choices) rows, so a page costs the same at 10 or 1,000,000
responses.

Anything public goes through :mod:`.disclosure`: a count above 0 but below
``settings.HADAF_RESULTS_MIN_GROUP`` is never shown, nor any other count, percentage, mean
or median it could be worked out from, and when the whole call has fewer responses than
that, the results are withheld altogether. The public reads a batched snapshot of the
tallies (:func:`public_tallies`), not the live ones. Editors see everything.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings

from participation.access import is_call_editor
from participation.choices import CallState, ResultsVisibility, Role
from participation.questions.choices import QuestionType
from participation.questions.forms import condition_met_by
from participation.questions.schema import Questionnaire, read_questions
from participation.submissions.models import AnswerTally

from . import batches, disclosure, feasibility
from .tally import ALL, CALL_TOTAL

ROLE_PREFIX = "role:"
UNIVERSITY_PREFIX = "university:"
CROSSTAB_PREFIXES = {"role": ROLE_PREFIX, "university": UNIVERSITY_PREFIX}
CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
# Parents whose follow-ups can be published: their answers are counted (or a consent's
# ticks), or no answer of theirs shows a follow-up (a matrix, a ranking).
UNPUBLISHED_PARENT_SAFE = {
    *CHOICE_TYPES,
    QuestionType.LIKERT,
    QuestionType.RATING,
    QuestionType.CONSENT,
    QuestionType.MATRIX,
    QuestionType.RANKING,
}
# Answers that are exclusive (one per respondent), so the counts add up to the respondents.
PARTITION_TYPES = {
    QuestionType.SINGLE_CHOICE,
    QuestionType.LIKERT,
    QuestionType.RATING,
    QuestionType.MATRIX,
}
SCALE_TYPES = {QuestionType.LIKERT, QuestionType.RATING, QuestionType.MATRIX}


def min_group():
    """The smallest group public results may show (``HADAF_RESULTS_MIN_GROUP``, default 5)."""
    return int(getattr(settings, "HADAF_RESULTS_MIN_GROUP", 5))


# ---- Who sees results ----------------------------------------------------------------------


def results_visible_to_public(page):
    """Whether the public may see the call's aggregate results now.

    Args:
        page: a call page (``CallPageMixin``).

    Returns:
        bool: ``WHEN_PUBLISHED`` once the editor sets ``results_published``; ``LIVE`` as soon
        as the call has opened (while open and after); ``NEVER`` never.
    """
    if page.results_visibility == ResultsVisibility.NEVER:
        return False
    if page.results_visibility == ResultsVisibility.LIVE:
        return page.results_published or page.call_state != CallState.UPCOMING
    return bool(page.results_published)


def can_see_results(user, page):
    """Whether ``user`` may see the results of ``page``: editors always, others when public."""
    return results_visible_to_public(page) or is_call_editor(user, page)


# ---- The result structures -----------------------------------------------------------------


@dataclass
class Cell:
    """One count with its share of the respondents; ``suppressed`` hides both."""

    id: str
    label: str
    count: int | None
    percent: float | None = None
    suppressed: bool = False

    @property
    def is_empty(self):
        return not self.suppressed and not self.count


@dataclass
class NumericSummary:
    """Mean and median of numeric answers; ``reverse_*`` for reverse-coded Likert items."""

    mean: float | None = None
    median: float | None = None
    reverse_mean: float | None = None
    reverse_median: float | None = None


@dataclass
class RowResult:
    """One statement of a matrix question: its distribution over the scale and its averages."""

    id: str
    label: str
    respondents: int | None
    suppressed: bool
    distribution: list = field(default_factory=list)
    summary: NumericSummary | None = None


@dataclass
class RankResult:
    """One choice of a ranking question: how many ranked it and its mean rank (1 = first)."""

    id: str
    label: str
    count: int | None
    mean_rank: float | None
    suppressed: bool = False  # Too few ranked it: "fewer than k".
    hidden: bool = False  # Hidden so that a small count elsewhere stays hidden.


@dataclass
class QuestionResult:
    """The results of one question; which lists are filled depends on its type.

    ``choices`` for single/multiple choice; ``distribution`` and ``summary`` for Likert,
    rating and number (number has no distribution: its values are open-ended); ``rows`` for
    a matrix; ``ranks`` for ranking; text, date and consent questions give only
    ``respondents`` (the texts themselves are never part of results).
    """

    question: object
    respondents: int | None
    suppressed: bool = False
    choices: list = field(default_factory=list)
    distribution: list = field(default_factory=list)
    summary: NumericSummary | None = None
    rows: list = field(default_factory=list)
    ranks: list = field(default_factory=list)

    @property
    def type(self):
        return self.question.type


@dataclass
class SurveyResults:
    """A survey's results for one segment ("" is everyone)."""

    segment: str
    public: bool
    min_group: int
    responses: int
    withheld: bool = False
    questions: list = field(default_factory=list)
    any_suppressed: bool = False

    @property
    def responses_shown(self):
        """The response count, or ``None`` when it is itself too small to show."""
        if self.public and 0 < self.responses < self.min_group:
            return None
        return self.responses


@dataclass
class CrosstabColumn:
    """One segment (a role, a university) of a cross-tab."""

    segment: str
    label: str
    respondents: int | None
    suppressed: bool
    cells: list = field(default_factory=list)


@dataclass
class Crosstab:
    """Counts per segment per choice (or scale point) of one question."""

    question: object
    by: str
    options: list
    columns: list
    public: bool
    min_group: int

    @property
    def any_suppressed(self):
        return any(
            column.suppressed or any(cell.suppressed for cell in column.cells)
            for column in self.columns
        )

    @property
    def rows(self):
        """Option-major view for templates: ``[(option, [cell per column]), …]``."""
        return [
            (option, [column.cells[index] if column.cells else None for column in self.columns])
            for index, option in enumerate(self.options)
        ]


# ---- Reading tallies -----------------------------------------------------------------------


class Tallies:
    """A call's tally rows, by segment then (question, row, choice, value) key."""

    def __init__(self, rows=(), version=None):
        self.by_segment = defaultdict(dict)
        self.version = version  # (call key, changes, taken at) of a snapshot; None when live.
        self.protections = {}  # Questionnaire → disclosure protection (see protection_of).
        # The call's source page and questions, whose rules a translation's public figures
        # follow (disclosure.governing_questionnaire); read with the public tallies.
        self.source = None
        for segment, question_id, row_id, choice_id, value, count in rows:
            if count:
                self.by_segment[segment][(question_id, row_id, choice_id, value)] = count

    def segment(self, segment=ALL):
        """The ``{key: count}`` of one segment (empty when nobody is in it)."""
        return self.by_segment.get(segment, {})

    def segments(self, prefix):
        """The segments starting with ``prefix`` ("role:", "university:"), sorted."""
        return sorted(segment for segment in self.by_segment if segment.startswith(prefix))


def load_tallies(page, segments=None):
    """Fetch the call's tally rows in one query.

    Args:
        page: the call page; its translations share the tallies (``call_key``).
        segments: the segments to fetch; all of them when ``None``.

    Returns:
        Tallies: the rows, grouped by segment.
    """
    rows = AnswerTally.objects.filter(call_key=page.call_key).exclude(count=0)
    if segments is not None:
        rows = rows.filter(segment__in=list(segments))
    return Tallies(
        rows.values_list("segment", "question_id", "row_id", "choice_id", "value", "count")
    )


def public_tallies(pages):
    """{call key: Tallies} of what the public may see of ``pages``: the batched snapshot of
    each call whose results are public (:func:`.disclosure.published_tallies`).

    Two queries when no snapshot is due, whatever the number of pages (the snapshots, and
    the calls' source pages whose rules translations follow); calls not public are not read.
    """
    visible = [page for page in pages if results_visible_to_public(page)]
    rows = disclosure.published_tallies(visible, min_group())
    tallies = {
        key: Tallies(value, (key, changes, taken_at))
        for key, (changes, value, taken_at) in rows.items()
    }
    if tallies:
        for key, source in disclosure.source_questionnaires(visible).items():
            if key in tallies:
                tallies[key].source = source
    return tallies


# ---- Arithmetic ----------------------------------------------------------------------------


def _number(value):
    number = float(value)
    return int(number) if number.is_integer() else number


def value_distribution(counts, question_id, row_id=""):
    """``{numeric value: count}`` of a numeric question (or a matrix row) from tally keys."""
    distribution = defaultdict(int)
    for (q, row, choice, value), count in counts.items():
        if q == question_id and row == row_id and not choice and value != "":
            try:
                distribution[_number(value)] += count
            except ValueError:
                continue
    return dict(distribution)


def mean_of(distribution):
    """The mean of a ``{value: count}`` distribution, or ``None`` when it is empty."""
    total = sum(distribution.values())
    if total <= 0:
        return None
    return sum(value * count for value, count in distribution.items()) / total


def median_of(distribution, *, low=False):
    """The median of a ``{value: count}`` distribution: the mean of the two middle values,
    or with ``low`` the lower of them (a value someone gave: half-way between two values
    says exactly half answered the lower or less, attacker8)."""
    total = sum(distribution.values())
    if total <= 0:
        return None
    lower_index, upper_index = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value in sorted(distribution):
        seen += distribution[value]
        if lower is None and seen > lower_index:
            lower = value
        if seen > upper_index:
            upper = value
            break
    return lower if low else (lower + upper) / 2


def summarize(distribution, points=None, reverse_coded=False, *, low_median=False):
    """Mean and median of a distribution; with a reverse-coded ``points``-point scale also
    the reverse-scored ones (``points + 1 − x``). ``low_median``: :func:`median_of`'s low."""
    summary = NumericSummary(
        mean=mean_of(distribution), median=median_of(distribution, low=low_median)
    )
    if reverse_coded and points and summary.mean is not None:
        summary.reverse_mean = points + 1 - summary.mean
        summary.reverse_median = points + 1 - summary.median
    return summary


def suppressed_indices(counts, threshold, total_shown=True, partition=False, scope=""):
    """Which of ``counts`` (one column, alone) to hide, by :func:`.disclosure.suppress`.

    When the counts partition a total that is shown, a hidden count could be recovered by
    subtraction, so others are hidden with it. ``scope`` names the column (a call, a
    question): complements are chosen in a secret order of its own, which one column's
    pattern cannot teach for another (attacker14: the same order for every call's summary).
    """
    values = {(scope, index): count for index, count in enumerate(counts)}
    values["total"] = sum(counts)
    members = [(scope, index) for index in range(len(counts))]
    lines = [("total", members)] if partition and total_shown else []
    # A total shown is never a complement: hiding it here hid nothing from anyone.
    hidden = disclosure.suppress(values, lines, threshold, shown=["total"] if total_shown else [])
    return {key[1] for key in hidden if key != "total"}


def _cells(options, counts_by_id, respondents, *, hidden=(), respondents_hidden=False):
    """The cells of one column; ``hidden`` holds the option ids the public may not see."""
    counts = [counts_by_id.get(option_id, 0) for option_id, _label in options]
    cells = []
    for (option_id, label), count in zip(options, counts, strict=True):
        if option_id in hidden:
            cells.append(Cell(id=option_id, label=label, count=None, suppressed=True))
        else:
            percent = disclosure.share(count, respondents, respondents_hidden)
            cells.append(Cell(id=option_id, label=label, count=count, percent=percent))
    return cells


def option_counts(question, counts):
    """``[count per crosstab option]`` of ``question`` in one segment's tally counts."""
    if question.type in CHOICE_TYPES:
        by_id = {
            choice: count
            for (q, row, choice, value), count in counts.items()
            if q == question.id and not row and choice and not value
        }
    else:
        by_id = {
            str(value): count for value, count in value_distribution(counts, question.id).items()
        }
    return [by_id.get(option_id, 0) for option_id, _label in crosstab_options(question)]


def _row_counts(question, row, counts):
    distribution = value_distribution(counts, question.id, row.id)
    by_id = {str(value): count for value, count in distribution.items()}
    return [by_id.get(option_id, 0) for option_id, _label in _scale_options(question)]


def disclosure_tables(questionnaire, tallies):
    """The :class:`.disclosure.Table` of every question whose counts are published: the
    overall column with its role and university cross-tab columns; one per matrix row."""
    overall = tallies.segment(ALL)
    tables = []
    by_id = {question.id: question for question in questionnaire.questions}
    for question in questionnaire.questions:
        if crosstab_options(question):
            groups, margins = {}, {}
            for by, prefix in CROSSTAB_PREFIXES.items():
                columns = []
                for segment in tallies.segments(prefix):
                    counts = tallies.segment(segment)
                    respondents = counts.get((question.id, "", "", ""), 0)
                    if respondents:
                        columns.append(
                            disclosure.Column(segment, respondents, option_counts(question, counts))
                        )
                if columns:
                    groups[by] = columns
                margin = tallies.segment(batches.margin_of(prefix))
                if columns and (question.id, "", "", "") in margin:
                    margins[by] = disclosure.Column(
                        by + disclosure.MARGIN,
                        margin[(question.id, "", "", "")],
                        option_counts(question, margin),
                    )
            picks = picks_allowed(question)
            tables.append(
                disclosure.Table(
                    key=question.id,
                    overall=disclosure.Column(
                        ALL,
                        overall.get((question.id, "", "", ""), 0),
                        option_counts(question, overall),
                    ),
                    groups=groups,
                    margins=margins,
                    partition=question.type in PARTITION_TYPES or picks[1] == 1,
                    picks=picks if question.type == QuestionType.MULTIPLE_CHOICE else None,
                    shown_if=_shown_if(question, by_id),
                    shown_if_exact=question.required,
                    responses=None
                    if question.required
                    else _responses(question, tallies, groups, margins),
                    skipping_tells=not question.required and _skipping_tells(question),
                    option_ids=tuple(option_id for option_id, _l in crosstab_options(question)),
                )
            )
        elif question.type == QuestionType.MATRIX:
            for row in question.rows:
                respondents = overall.get((question.id, row.id, "", ""), 0)
                column = disclosure.Column(ALL, respondents, _row_counts(question, row, overall))
                tables.append(
                    disclosure.Table(
                        key=(question.id, row.id),
                        overall=column,
                        shown_if=_shown_if(question, by_id),
                        shown_if_exact=question.required,
                        option_ids=tuple(value for value, _l in _scale_options(question)),
                    )
                )
        elif _shown_if(question, by_id) is not None:
            tables.append(_respondents_table(question, tallies, by_id))
        elif question.type == QuestionType.CONSENT and not question.required:
            # Its respondents are those who ticked it; responses − them did not (attacker8).
            table = _respondents_table(question, tallies, by_id)
            table.responses = _responses(question, tallies, table.groups, {})
            table.skipping_tells = True
            tables.append(table)
    _align_follow_ups(tables)
    return tables


def _responses(question, tallies, groups, margins):
    """``{segment: responses}`` of everyone, each listed cross-tab segment and each held
    cross-tab's margin, at the moment of an optional question's figures (its asked column,
    :func:`.batches.with_asked`), which the public sees beside it; ``None`` where the
    tallies have none (live tallies)."""
    key = (question.id, batches.ASKED_ROW, "", "")
    asked = {
        segment: tallies.segment(segment).get(key)
        for segment in [ALL, *(column.segment for columns in groups.values() for column in columns)]
    }
    for by, prefix in CROSSTAB_PREFIXES.items():
        if by in margins:
            asked[margins[by].segment] = tallies.segment(batches.margin_of(prefix)).get(key)
    if asked[ALL] is None:
        return None
    return {segment: count for segment, count in asked.items() if count is not None}


def _skipping_tells(question):
    """Whether leaving an optional question out is an answer: picking none of a multiple
    choice, or not ticking a single choice's one box."""
    return question.type == QuestionType.MULTIPLE_CHOICE or len(question.choices or ()) == 1


def _respondents_table(question, tallies, by_id):
    """A follow-up with no counts of its own (text, number, date, ranking): its respondents
    per segment, which add up to its parent's counts of the answers showing it (attacker4:
    a text follow-up's 6 and a number follow-up's 8 gave a hidden 2 and 6 of the parent)."""

    def respondents(segment):
        return tallies.segment(segment).get((question.id, "", "", ""), 0)

    groups = {}
    for by, prefix in CROSSTAB_PREFIXES.items():
        columns = [
            disclosure.Column(segment, respondents(segment), [])
            for segment in tallies.segments(prefix)
            if respondents(segment)
        ]
        if columns:
            groups[by] = columns
    return disclosure.Table(
        key=question.id,
        overall=disclosure.Column(ALL, respondents(ALL), []),
        groups=groups,
        partition=False,
        shown_if=_shown_if(question, by_id),
        shown_if_exact=question.required,
    )


def picks_allowed(question):
    """``(fewest, most)`` options a respondent of a multiple-choice question picks, as its
    published form says: a respondent picked at least one, and at most ``max_selected``
    (``None``: no limit); ``(None, None)`` for other questions. At most one is a single
    choice."""
    if question.type != QuestionType.MULTIPLE_CHOICE:
        return None, None
    return max(question.min_selected or 1, 1), question.max_selected or None


def _shown_if(question, by_id):
    """``(parent id, [option indices])`` of a question shown on some answers of a parent
    question whose counts are published, else ``None`` (``disclosure.show_if_lines``)."""
    condition = question.condition
    parent = by_id.get(condition.question_id) if condition else None
    if parent is not None and parent.type == QuestionType.CONSENT and not parent.required:
        # Shown to those who ticked it: the consent's respondents (attacker9: 57 answering
        # the follow-up of 60 said 3 did not tick the consent whose respondents are hidden).
        return (parent.id, [disclosure.RESPONDENTS])
    if parent is None or not crosstab_options(parent):
        return None
    # The answers the form shows it on, matched as the form matches them (a legacy
    # condition "۱، ۲، ۷" is points 1 and 2 there; compared as text, it was none: attacker12).
    indices = [
        index
        for index, (option_id, _label) in enumerate(crosstab_options(parent))
        if condition_met_by(parent, _answer_of(parent, option_id), condition)
    ]
    return (parent.id, indices) if indices else None


def _answer_of(question, option_id):
    """The stored answer a cross-tab option stands for: a choice id, or a scale point."""
    if question.type in CHOICE_TYPES:
        return option_id
    return next(value for value, _label in question.scale if str(value) == option_id)


def unpublishable(question, by_id):
    """Whether ``question`` is shown on answers the public figures never count (a number,
    a text, a date): nothing of it is published, since its respondents, or two such
    follow-ups' difference, would count them (attacker12: 33 answering the follow-up on
    "0، 10" and 30 the one on "10": 3 said 0)."""
    condition = question.condition
    parent = by_id.get(condition.question_id) if condition else None
    return parent is not None and parent.type not in UNPUBLISHED_PARENT_SAFE


def _align_follow_ups(tables):
    """Give each follow-up table every cross-tab column of its parent (empty ones too), so
    that the rest columns of both tables hold the same people."""
    by_key = {table.key: table for table in tables}
    for table in tables:
        parent = by_key.get(table.shown_if[0]) if table.shown_if else None
        if parent is None:
            continue
        width = len(table.overall.counts)
        for by, parent_columns in parent.groups.items():
            columns = table.groups.setdefault(by, [])
            listed = {column.segment for column in columns}
            columns += [
                disclosure.Column(column.segment, 0, [0] * width)
                for column in parent_columns
                if column.segment not in listed
            ]


def protection_of(questionnaire, tallies):
    """{table key: :class:`.disclosure.Protection`} for the public view, computed once per
    loaded tallies (the page's charts, cross-tabs and API fields then agree)."""
    # Choices in a fixed order (by id): the order a page lists them in changes nothing of
    # what is hidden, nor the cached protection it is found under (attacker12: moving a
    # choice to the top showed a hidden 2 where the cached protection hid by position).
    questionnaire = Questionnaire(
        questions=tuple(_in_fixed_order(question) for question in questionnaire.questions),
        step_titles=questionnaire.step_titles,
    )
    # Everything of a question the protection depends on: two languages of a call share
    # the tallies, and a translation not yet synced with its source (a question made
    # optional, a condition or a limit changed) must not take the source's protection, nor
    # give it its own (attacker9: the English page seen first showed the Persian one a
    # consent's respondents the source hides).
    signature = tuple(
        (
            question.id,
            question.type,
            tuple(option_id for option_id, _label in crosstab_options(question)),
            tuple(row.id for row in question.rows),
            question.required,
            (question.condition.question_id, tuple(question.condition.answers))
            if question.condition
            else None,
            picks_allowed(question),
        )
        for question in questionnaire.questions
    )
    if signature not in tallies.protections:
        threshold = min_group()
        tallies.protections[signature] = disclosure.cached_protection(
            tallies.version,
            signature,
            threshold,
            lambda: _protect(questionnaire, tallies, threshold),
        )
    return tallies.protections[signature]


def _in_fixed_order(question):
    return replace(question, choices=tuple(sorted(question.choices, key=lambda o: o.id)))


def _protect(questionnaire, tallies, threshold):
    protection = disclosure.protect_tables(disclosure_tables(questionnaire, tallies), threshold)
    by_id = questionnaire.by_id()
    for question in questionnaire.questions:
        if unpublishable(question, by_id):
            for key in [question.id, *((question.id, row.id) for row in question.rows)]:
                protection[key] = disclosure.Protection(everything=True)
    return protection


def _small_looks_hidden(question, protection, key, segment):
    """Whether a follow-up's few respondents are shown as a hidden count, not as "fewer
    than k": they are its parent's count of the answers showing it, and "fewer than 5"
    would say a hidden parent count is 1 to 4 (attacker10: 3 picked it in one university).
    Only where the protection hides them, as it hides every small column's keys."""
    if question.condition is None or not protection:
        return False
    found = protection.get(key)
    return bool(found and found.respondents_hidden(segment))


def _column_hiding(protection, key, segment, public):
    """``(hidden option ids, respondents hidden, any hidden)`` of one column of a table."""
    if not public:
        return set(), False, False
    found = protection.get(key) if protection else None
    if found is None:
        return set(), False, False
    return (
        found.hidden_ids(segment),
        found.respondents_hidden(segment),
        found.column_has_hidden(segment),
    )


def _scale_options(question):
    return [(str(value), label) for value, label in question.scale]


def _points(question):
    return (
        len(question.scale) if question.type in {QuestionType.LIKERT, QuestionType.MATRIX} else None
    )


# ---- Results -------------------------------------------------------------------------------


def question_result(question, counts, *, public, threshold, protection=None, segment=ALL):
    """The :class:`QuestionResult` of ``question`` from one segment's tally counts.

    Public results hide what ``protection`` (from :func:`protection_of`) says, and withhold
    a mean or median beside a hidden count.
    """
    respondents = counts.get((question.id, "", "", ""), 0)
    if question.type == QuestionType.MATRIX:
        # A matrix counts respondents per row; the question's are those of its busiest row.
        respondents = max(
            (counts.get((question.id, row.id, "", ""), 0) for row in question.rows), default=0
        )
    small = public and 0 < respondents < threshold
    if small and _small_looks_hidden(question, protection, question.id, segment):
        small = False
    result = QuestionResult(
        question=question, respondents=None if small else respondents, suppressed=small
    )
    if small:
        return result
    hidden, respondents_hidden, any_hidden = _column_hiding(
        protection, question.id, segment, public
    )
    if respondents_hidden:  # A follow-up's respondents may tell a hidden count of its parent.
        result.respondents = None
    if question.type in CHOICE_TYPES:
        by_id = {
            choice: count
            for (q, row, choice, value), count in counts.items()
            if q == question.id and not row and choice and not value
        }
        result.choices = _cells(
            [(option.id, option.label) for option in question.choices],
            by_id,
            respondents,
            hidden=hidden,
            respondents_hidden=respondents_hidden,
        )
    elif question.is_numeric:
        distribution = value_distribution(counts, question.id)
        # A mean beside hidden counts would give them away; so would a number question's
        # (no distribution published) when few answered other than the most common answer,
        # or when with its median it fixes how many gave some answer.
        if not any_hidden and not (
            public and _number_summary_tells(question, distribution, threshold)
        ):
            result.summary = summarize(
                distribution,
                _points(question),
                question.reverse_coded,
                # A number question publishes no distribution: its median, with the mean,
                # would be one more equation (median 0.5 of 0–2: exactly 30 of 60 said 0).
                low_median=public and question.type not in SCALE_TYPES,
            )
        if question.type in SCALE_TYPES:
            result.distribution = _cells(
                _scale_options(question),
                {str(value): count for value, count in distribution.items()},
                respondents,
                hidden=hidden,
                respondents_hidden=respondents_hidden,
            )
    elif question.type == QuestionType.MATRIX:
        result.rows = [
            _row_result(question, row, counts, public=public, protection=protection)
            for row in question.rows
        ]
        if any(row.respondents is None for row in result.rows):
            result.respondents = None  # The busiest row's: hidden with it.
    elif question.type == QuestionType.RANKING:
        result.ranks = _ranks(
            question,
            counts,
            public=public,
            threshold=threshold,
            respondents_hidden=respondents_hidden,
        )
    return result


def _row_result(question, row, counts, *, public, protection):
    respondents = counts.get((question.id, row.id, "", ""), 0)
    small = public and 0 < respondents < min_group()
    if small and _small_looks_hidden(question, protection, (question.id, row.id), ALL):
        small = False
    result = RowResult(
        id=row.id, label=row.label, respondents=None if small else respondents, suppressed=small
    )
    if not small:
        hidden, respondents_hidden, any_hidden = _column_hiding(
            protection, (question.id, row.id), ALL, public
        )
        if respondents_hidden:  # A follow-up's row: its respondents may tell its parent's.
            result.respondents = None
        distribution = value_distribution(counts, question.id, row.id)
        if not any_hidden:
            result.summary = summarize(distribution, _points(question), question.reverse_coded)
        result.distribution = _cells(
            _scale_options(question),
            {str(value): count for value, count in distribution.items()},
            respondents,
            hidden=hidden,
            respondents_hidden=respondents_hidden,
        )
    return result


def _number_summary_tells(question, distribution, threshold):
    """Whether a number question's public mean and median would tell a small group."""
    if question.type in SCALE_TYPES:
        return False  # A scale publishes its distribution: hidden counts withhold it.
    return few_stand_out(distribution, threshold) or feasibility.summary_pins_a_count(
        distribution,
        threshold,
        low=question.min_value,
        high=question.max_value,
        whole_numbers=question.whole_numbers,
    )


def few_stand_out(distribution, threshold):
    """Whether fewer than ``threshold`` people gave an answer other than the most common one.

    Their answers are then what the mean moves by: 57 of 60 answering 0 to a 0–1 question
    and a mean of 0.05 said exactly 3 answered 1 (attacker4). A number question publishes no
    distribution, so its mean and median are withheld then.
    """
    counts = list(distribution.values())
    return bool(counts) and sum(counts) - max(counts) < threshold


def _ranks(question, counts, *, public, threshold, respondents_hidden=False):
    """Each choice's count of rankers and mean rank, best first.

    Where the question's respondents are hidden (a follow-up whose respondents are its
    parent's hidden count), each choice's count of rankers can be those respondents: every
    choice is shown as hidden alike, in the question's order, since "fewer than k" beside
    one, or an order by mean rank, would still say something of the hidden count (attacker11).
    """
    if respondents_hidden:
        return [
            RankResult(id=option.id, label=option.label, count=None, mean_rank=None, hidden=True)
            for option in question.choices
        ]
    by_choice = defaultdict(dict)
    for (q, row, choice, value), count in counts.items():
        if q == question.id and not row and choice and value:
            try:
                by_choice[choice][_number(value)] = count
            except ValueError:
                continue
    # A mean rank is Σ rank × count over the item's ranks: beside a small count anywhere in
    # the ranking (the counts of ranks join the items: what one item loses at a rank another
    # has), it gives that count (n = 65, mean rank 1.05: 3 ranked it second; attacker4).
    small_anywhere = public and any(
        0 < count < threshold for ranks in by_choice.values() for count in ranks.values()
    )
    ranks = []
    for option in question.choices:
        distribution = by_choice.get(option.id, {})
        ranked = sum(distribution.values())
        small = public and 0 < ranked < threshold
        ranks.append(
            RankResult(
                id=option.id,
                label=option.label,
                count=None if small else ranked,
                mean_rank=None if small or small_anywhere else mean_of(distribution),
                suppressed=small,
            )
        )
    # Best (lowest) mean rank first; choices nobody ranked, or hidden, last.
    ranks.sort(key=lambda rank: (rank.mean_rank is None, rank.mean_rank or 0))
    return ranks


def survey_results(page, *, public, segment=ALL, tallies=None, questionnaire=None):
    """The results of a survey for one segment, per question.

    Args:
        page: the survey page (its ``questions`` give labels; tallies are per ``call_key``).
        public: apply disclosure control (``False`` for editors).
        segment: "" for everyone, or e.g. "role:student", "university:…".
        tallies: :class:`Tallies` already loaded (so one query serves a whole page); when
            omitted, the public snapshot (``public``) or the live tallies (editors).
        questionnaire: the page's questionnaire, read from ``page.questions`` when omitted.

    Returns:
        SurveyResults: with ``withheld`` set (and no questions) when the public would see
        fewer responses than the threshold.
    """
    threshold = min_group()
    if tallies is None:
        tallies = _default_tallies(page, public)
    questionnaire = questionnaire or read_questions(page.questions)
    counts = tallies.segment(segment)
    responses = counts.get(CALL_TOTAL, 0)
    results = SurveyResults(
        segment=segment, public=public, min_group=threshold, responses=responses
    )
    if public and responses < threshold:
        results.withheld = True
        return results
    protection = None
    if public:  # Protected by the rules of every language version; shown in the page's words.
        protection = protection_of(
            disclosure.governing_questionnaire(page, questionnaire, tallies.source), tallies
        )
        questionnaire = disclosure.shown_questionnaire(page, questionnaire, tallies.source)
    results.questions = [
        question_result(
            question,
            counts,
            public=public,
            threshold=threshold,
            protection=protection,
            segment=segment,
        )
        for question in questionnaire.questions
    ]
    results.any_suppressed = public and any(_has_suppressed(q) for q in results.questions)
    return results


def _protection_for(page, tallies, questionnaire):
    if questionnaire is None and len(tallies.protections) == 1:
        return next(iter(tallies.protections.values()))
    return protection_of(
        disclosure.governing_questionnaire(page, questionnaire, tallies.source), tallies
    )


def _default_tallies(page, public):
    if not public:
        return load_tallies(page)
    return public_tallies([page]).get(page.call_key, Tallies())


def _has_suppressed(result):
    cells = [*result.choices, *result.distribution, *result.ranks]
    for row in result.rows:
        cells.extend(row.distribution)
    return (
        result.suppressed
        or any(cell.suppressed for cell in cells)
        or any(row.suppressed for row in result.rows)
    )


def segment_label(segment):
    """A segment's name for people: the role's translated name, or the university."""
    if segment.startswith(ROLE_PREFIX):
        role = segment.removeprefix(ROLE_PREFIX)
        return str(Role(role).label) if role in Role.values else role
    return segment.removeprefix(UNIVERSITY_PREFIX)


def crosstab_options(question):
    """The ``(id, label)`` columns a question is cross-tabulated on, or ``[]`` if it is not."""
    if question.type in CHOICE_TYPES:
        return [(option.id, option.label) for option in question.choices]
    if question.type in {QuestionType.LIKERT, QuestionType.RATING}:
        return _scale_options(question)
    return []


def crosstab(page, question, by="role", *, public, tallies=None, questionnaire=None):
    """Counts of ``question``'s choices (or scale points) per role or per university.

    Args:
        page: the survey page.
        question: a single choice, multiple choice, Likert or rating :class:`Question`.
        by: ``"role"`` or ``"university"``.
        public: apply disclosure control, protecting the cross-tabs and the overall
            counts together (:func:`protection_of`).
        tallies: :class:`Tallies` already loaded; when omitted, the public snapshot
            (``public``) or the live tallies (editors).
        questionnaire: the page's questionnaire; when omitted, the one the tallies were
            last protected for, or ``page.questions``.

    Returns:
        Crosstab: one column per segment that answered, in the segment's order; a column
        whose respondents are too few is ``suppressed`` with no cells shown, and any other
        count the public may not see is a suppressed cell.
    """
    prefix = CROSSTAB_PREFIXES[by]
    threshold = min_group()
    if tallies is None:
        tallies = _default_tallies(page, public)
    protection = _protection_for(page, tallies, questionnaire) if public else None
    options = crosstab_options(question)
    columns = []
    for segment in tallies.segments(prefix):
        counts = tallies.segment(segment)
        respondents = counts.get((question.id, "", "", ""), 0)
        if not respondents:
            continue
        small = public and respondents < threshold
        if small and _small_looks_hidden(question, protection, question.id, segment):
            small = False
        hidden, respondents_hidden, _any = _column_hiding(protection, question.id, segment, public)
        column = CrosstabColumn(
            segment=segment,
            label=segment_label(segment),
            respondents=None if small or respondents_hidden else respondents,
            suppressed=small,
        )
        if not small:
            column.cells = _cells(
                options,
                dict(
                    zip([key for key, _l in options], option_counts(question, counts), strict=True)
                ),
                respondents,
                hidden=hidden,
                respondents_hidden=respondents_hidden,
            )
        columns.append(column)
    return Crosstab(
        question=question,
        by=by,
        options=options,
        columns=columns,
        public=public,
        min_group=threshold,
    )
