"""Disclosure control: the one step every public figure of survey results goes through.

Public results (the results page, ``/api/v2/`` results fields, anything marked public) show
counts of small groups only when no arithmetic on what is published can recover them:

* **Complementary suppression.** A question's figures form linked tables: the overall
  column (what the bar chart shows), one column per role and per university (the
  cross-tabs), and, never shown but derivable, the rest (respondents with no role or
  university). Every line of these tables is an equation — a row of segments adds up to
  the overall count, a column of a single-choice or scale question adds up to its
  respondents — so hiding a count alone hides nothing. :func:`suppress` hides every count
  above 0 and below the threshold (primary), then, until nothing changes, in every line
  holding a hidden count also the smallest visible count of that line, until the hidden
  counts of each such line, all but the largest, add up to at least the threshold (so each
  of them could be a threshold larger, as far as the line tells). The tables of one
  question share their overall column, so they are protected together; a segment's
  respondents shown for one question are taken as known for all (questions answered by
  the same people have the same respondents), and a question's respondents are always
  shown.
* **Summaries.** A mean or median beside a hidden count gives one more equation (a mean of
  an integer scale fixes Σ value × count), so it is withheld whenever a count of its
  distribution is hidden; a percentage is shown only when its denominator is.
* **Batches.** Public results are read from a :class:`~.models.PublishedSnapshot`, taken
  again only once the call's responses counted in results differ from the snapshot's by at
  least ``HADAF_RESULTS_BATCH`` (default: the threshold), or when an editor republishes.
  Each question then moves only by a batch of its own (:mod:`.batches`): in every column
  of it (cross-tab segments and their rest included), the answers added and those taken
  away (exclusions, withdrawals, the old side of an edit) since its published state come
  from nobody or from at least a batch of people; otherwise it keeps its published
  figures. So comparing two versions gives the sum of several people's answers, never
  one: not for an optional question one new respondent answered, a follow-up, one new
  staff member's column, or one excluded response. Counted from the tallies, not from
  events, so re-saving or toggling an answer fills no batch (docs/privacy.md).

``tests/participation/results/test_disclosure_audit.py`` checks all of this by linear programming:
for random tables, every hidden count's feasible range, from everything published, stays
at least the threshold wide. Editors see every number (``public=False`` never comes here).
"""

import hashlib
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from wagtail.coreutils import get_supported_content_language_variant

from participation.questions.schema import Questionnaire, read_questions
from participation.submissions.models import AnswerTally

from . import batches, feasibility
from .models import PublishedSnapshot
from .tally import ALL, CALL_TOTAL, CHANGES_VALUE

REST = "\x00rest"  # The segment of respondents in no listed column (no role, no university).
# A held cross-tab's margin: the everyone counts of its columns' moment (``batches.publish``),
# published before with them; its rest is derived from it, not from the newer overall.
MARGIN = "\x00margin"
RESPONDENTS = "n"  # The index of a column's respondents among its keys.
CACHE_SECONDS = 24 * 60 * 60  # A snapshot's protection, computed once (cached_protection).
PROTECTION_FORMAT = 2  # Part of its cache key: a change of :class:`Protection` starts afresh.


def batch_size(threshold):
    """How many changes a public snapshot waits for (``HADAF_RESULTS_BATCH``, default the
    suppression threshold); at least 1."""
    return max(1, int(getattr(settings, "HADAF_RESULTS_BATCH", 0) or threshold))


def _respondents_in(tally_rows):
    """The responses counted in a snapshot's tally rows (the everyone segment's total)."""
    for segment, question, row, choice, value, count in tally_rows:
        if segment == ALL and (question, row, choice, value) == CALL_TOTAL:
            return count
    return 0


# ---- The rule --------------------------------------------------------------------------------


def suppress(values, lines, threshold, forced=(), shown=()):
    """Which counts to hide so that none below ``threshold`` can be derived from the others.

    Args:
        values: ``{key: count}`` of every count published or derivable.
        lines: ``[(total key, [member keys])]``, each saying total = Σ members.
        threshold: counts above 0 and below it are hidden (primary suppression).
        forced: keys to hide whatever their value.
        shown: keys published elsewhere whatever happens (a question's respondents), never
            chosen as a complement.

    Returns:
        set: the keys to hide. In every line holding a hidden key, the hidden counts but the
        largest add up to at least ``threshold`` (or the whole line is hidden).
    """
    hidden = {key for key, value in values.items() if 0 < value < threshold}
    hidden.update(key for key in forced if key in values)
    shown = set(shown)
    changed = True
    while changed:
        changed = False
        for total, members in lines:
            while _line_needs_more(total, members, values, hidden, threshold):
                extra = _complement(total, members, values, hidden, shown)
                if extra is None:
                    break
                hidden.add(extra)
                changed = True
    return hidden


def _line_needs_more(total, members, values, hidden, threshold):
    """Whether a line with hidden counts hides too little: each of its hidden counts must be
    able to grow by ``threshold`` as far as the line says, so the hidden counts other than
    the largest must add up to at least ``threshold``, and all of them to twice that."""
    counts = sorted(values[key] for key in [total, *members] if key in hidden)
    if not counts or (total not in hidden and values[total] == 0):
        return False  # Nothing hidden, or all zero and everyone can see it.
    # Knowing this rule stopped, one knows the hidden counts but the largest add up to at
    # least ``threshold``: so each is at most their sum less ``threshold``. Under twice the
    # threshold, that said every hidden count was small ((0, h, h, h) of 8: each 2 or 3,
    # attacker14); so they must add up to twice the threshold too.
    return len(counts) < 2 or sum(counts[:-1]) < threshold or sum(counts) < 2 * threshold


def _complement(total, members, values, hidden, shown):
    """The next count to hide in a line: a non-zero member (in ``feasibility.secret_rank``'s order,
    never by size), else the total, else a zero member (a zero still moves with the
    others); ``None`` when none is left (hidden already, or ``shown`` whatever happens)."""
    visible = [key for key in members if key not in hidden and key not in shown]
    nonzero = [key for key in visible if values[key]]
    if nonzero:
        return min(nonzero, key=feasibility.secret_rank)
    if total not in hidden and total not in shown and values[total]:
        return total
    if visible:
        return visible[0]
    return None


# ---- Tables of a question --------------------------------------------------------------------


@dataclass
class Column:
    """One column of counts: a segment's respondents and its count per option."""

    segment: str
    respondents: int
    counts: list


@dataclass
class Table:
    """A question's overall column and its cross-tab columns (``{by: [Column]}``).

    ``partition``: each respondent is in exactly one option (single choice, scale), so a
    column's counts add up to its respondents.
    """

    key: object
    overall: Column
    groups: dict = field(default_factory=dict)
    partition: bool = True
    # ``(parent table key, [option indices])`` of a question shown only to those who gave
    # one of these answers to the parent: per segment, its respondents are (at most) the
    # sum of those parent counts, one more line to protect (see :func:`show_if_lines`).
    shown_if: tuple | None = None
    # A multiple-choice question's ``(fewest, most)`` picks per respondent, as its published
    # form says (most ``None`` when unlimited; fewest at least 1): :func:`pick_limits`.
    picks: tuple | None = None
    # Whether the follow-up is required: its respondents then equal that sum; an optional
    # one's are at most it (an inequality the audit's equations cannot hold).
    shown_if_exact: bool = True
    # ``{by: Column}``: a cross-tab held at an earlier moment than the overall column, with
    # the overall counts of that moment (known: they were published with it).
    margins: dict = field(default_factory=dict)
    # An optional question's ``{segment: responses}`` (everyone and its listed segments) at
    # the moment of its figures: the public knows how many were asked, so responses −
    # respondents = those who skipped it.
    responses: dict | None = None
    # Whether skipping it is an answer (picking none of a multiple choice, not ticking a
    # single box): those who skipped are then protected like a count (:func:`skipped_lines`).
    skipping_tells: bool = False
    # The choice ids (or scale points) of the counts, in their order: what is hidden is
    # told by id, so that a page listing the choices in another order hides the same ones.
    option_ids: tuple = ()

    def columns(self):
        """Every column, with the derivable rest of each group (overall − listed columns)."""
        yield self.overall
        for by, columns in self.groups.items():
            yield from columns
            yield self.rest(by)

    def margin(self, by):
        """The everyone column a cross-tab adds up to: its margin if held, else the overall."""
        return self.margins.get(by, self.overall)

    def rest(self, by):
        columns = self.groups[by]
        margin = self.margin(by)
        return Column(
            segment=f"{by}{REST}",
            respondents=margin.respondents - sum(c.respondents for c in columns),
            counts=[
                total - sum(c.counts[index] for c in columns)
                for index, total in enumerate(margin.counts)
            ],
        )


def table_values_and_lines(table):
    """``(values, lines)`` of a table for :func:`suppress`; keys are ``(table key, segment,
    option index or RESPONDENTS)``."""
    values, lines = {}, []

    def key(segment, index):
        return (table.key, segment, index)

    for column in table.columns():
        values[key(column.segment, RESPONDENTS)] = column.respondents
        for index, count in enumerate(column.counts):
            values[key(column.segment, index)] = count
        if table.partition:
            lines.append(
                (
                    key(column.segment, RESPONDENTS),
                    [key(column.segment, index) for index in range(len(column.counts))],
                )
            )
    for by, columns in table.groups.items():
        margin = table.margin(by)
        for index, count in [(RESPONDENTS, margin.respondents), *enumerate(margin.counts)]:
            values[key(margin.segment, index)] = count
        segments = [column.segment for column in columns] + [f"{by}{REST}"]
        for index in [RESPONDENTS, *range(len(table.overall.counts))]:
            lines.append(
                (key(margin.segment, index), [key(segment, index) for segment in segments])
            )
    return values, lines


def margin_keys(table):
    """The keys of a table's held margins: published before, so known (never hidden)."""
    return [
        (table.key, margin.segment, index)
        for margin in table.margins.values()
        for index in [RESPONDENTS, *range(len(margin.counts))]
    ]


class _EveryCell:
    def __contains__(self, option_id):
        return True


EVERY_CELL = _EveryCell()


@dataclass
class Protection:
    """What a public view of a question hides: ``hidden`` keys ``(segment, index)``, the
    indices those of ``option_ids``; ``everything`` for a question nothing of which may be
    shown (a follow-up whose respondents would count answers never published)."""

    hidden: set = field(default_factory=set)
    option_ids: tuple = ()
    everything: bool = False

    def count_hidden(self, segment, index):
        return self.everything or (segment, index) in self.hidden

    def hidden_ids(self, segment):
        """The choice ids (scale points) of ``segment``'s column the public may not see."""
        if self.everything:
            return EVERY_CELL
        return {
            self.option_ids[index]
            for seg, index in self.hidden
            if seg == segment and index != RESPONDENTS and index < len(self.option_ids)
        }

    def respondents_hidden(self, segment):
        return self.everything or (segment, RESPONDENTS) in self.hidden

    def column_has_hidden(self, segment):
        """Whether any count of the column is hidden: its mean and median are withheld."""
        return self.everything or any(key[0] == segment for key in self.hidden)


def small_column_keys(table, threshold):
    """Every key of a column of fewer respondents than ``threshold``, zeros included: a
    shown zero beside a hidden count would say what the whole small group answered."""
    return [
        (table.key, column.segment, index)
        for column in table.columns()
        if 0 < column.respondents < threshold
        for index in [RESPONDENTS, *range(len(column.counts))]
    ]


def protect_tables(tables, threshold):
    """Protect every table of a survey together.

    A segment's respondents shown in one table would tell them in another (questions
    answered by the same people), so where they are shown anywhere, no table may rely on
    hiding them: each table is protected again with them taken as known, until no table
    hides what another shows.

    Args:
        tables: :class:`Table` items, one per question (or matrix statement).
        threshold: the smallest count shown.

    Returns:
        dict: table key → :class:`Protection`.

    A follow-up shown only on some answers of an earlier question has other respondents
    than the rest: its respondents are never taken as known, and may be hidden (even
    overall) when the show-if line needs it. All tables go through one :func:`suppress`,
    since show-if lines join two of them.
    """
    values, lines, small = {}, [], []
    for table in tables:
        table_values, table_lines = table_values_and_lines(table)
        values.update(table_values)
        lines += table_lines
        small += small_column_keys(table, threshold)
    equations = lines + show_if_lines(tables, values, exact_only=True)  # What is exactly true.
    lines += show_if_lines(tables, values)
    unlisted = [
        (table.key, column.segment, index)
        for table in tables
        for column in table.columns()
        if column.respondents == 0 and REST not in column.segment
        for index in [RESPONDENTS, *range(len(column.counts))]
    ]  # A column of no respondents is not listed: its zeros are known.
    unlisted += [key for table in tables for key in margin_keys(table)]
    known = set()  # Segments whose respondents some table shows.
    while True:
        shown = unlisted + [
            (table.key, segment, RESPONDENTS)
            for table in tables
            if table.shown_if is None
            for segment in {ALL, *known}
        ]
        everything_hidden = suppress(values, lines, threshold, small, shown)
        hidden_by_table = {table.key: set() for table in tables}
        for key in everything_hidden:
            hidden_by_table[key[0]].add(key)
        shown_somewhere, hidden_somewhere = set(), set()
        for table in tables:
            if table.shown_if is not None:
                continue  # Other people than the rest's: tells nothing of theirs.
            for key in table_values_and_lines(table)[0]:
                if key[2] == RESPONDENTS and key[1] != ALL and REST not in key[1]:
                    target = (
                        hidden_somewhere if key in hidden_by_table[table.key] else shown_somewhere
                    )
                    target.add(key[1])
        new = (shown_somewhere & hidden_somewhere) - known
        if not new:
            break
        known |= new
    # The rule protects line by line, and took some respondents as known that it need not
    # have: linear programming checks every line of every question together, as the public
    # can, and hides more where a small count is still pinned down.
    everyones = [table for table in tables if table.shown_if is None]
    picks_values, picks_lines = pick_limits(tables)
    skipped_values, skipped_lines_, asked = skipped_lines(tables, values, threshold)
    union_values, union_lines_ = union_lines(tables, values)
    unpublished = {**picks_values, **skipped_values, **union_values}
    telling = {table.key for table in tables if table.skipping_tells}
    everything_hidden = feasibility.widen(
        {**values, **unpublished, **asked},
        equations + picks_lines + skipped_lines_ + union_lines_,
        everything_hidden,
        threshold,
        shown=[
            *unlisted,
            *asked,
            *((table.key, ALL, RESPONDENTS) for table in everyones if not table.skipping_tells),
        ],
        same=_same_people(everyones, values),
        unpublished=unpublished,
        guarded=[
            key
            for key in unpublished
            if key[2] in GUARDED or (key[2] == SKIPPED and key[0] in telling)
        ],
    )
    hidden_by_table = {table.key: set() for table in tables}
    for key in everything_hidden:
        hidden_by_table[key[0]].add(key)
    ids = {table.key: table.option_ids for table in tables}
    return {
        key: Protection(
            hidden={(segment, index) for _k, segment, index in hidden}, option_ids=ids[key]
        )
        for key, hidden in hidden_by_table.items()
    }


PICKS = "picks"  # A column's picks among its keys (never published), and the slacks below.
SLACK = "slack"
NOT_PICKED = "not picked"  # Per option: the column's respondents who did not pick it.
# Unpublished numbers of people, protected like counts. The slacks: picks beyond the
# fewest allowed and short of the most (two options, 35 + 28 picks of 60 respondents said
# exactly 3 picked both; at most two of three, 64 picks of 60 said exactly 4 picked two:
# attacker9). The overlap: :func:`union_lines`.
OVERLAP = "overlap"  # Per follow-up column: its parent's picks of the answers showing it, less it.
SHOWING_PICKS = "showing picks"  # Per follow-up column: the parent's picks of those answers.
OUTSIDE = "outside"  # Per follow-up column: the parent's respondents it was not shown to.
GUARDED = {NOT_PICKED, SLACK, OVERLAP, OUTSIDE}


def pick_limits(tables):
    """``(values, lines)`` of what a multiple-choice question's form says of its picks
    (``Table.picks``: each respondent picks between ``low`` and ``high`` options, ``low`` at
    least 1): per column, picks = Σ counts, low × respondents ≤ picks ≤ high × respondents,
    and each count ≤ respondents. The audit's equations hold inequalities through slack
    counts (never published) that take up the difference. Those who did not pick an
    option are people too, protected like a count (:func:`.feasibility.widen`'s
    ``guarded``): 3 of 60 not picking A of "exactly two of three" answered exactly B and C.

    Pick exactly two, 60 respondents, shown counts 30 and 57: the hidden one was 120 − 87
    = 3; pick at most one: 60 − 30 − 27 = 3 (attacker4, attacker5).
    """
    values, lines = {}, []
    for table in tables:
        if table.picks is None or table.partition:
            continue
        low, high = table.picks
        for column in table.columns():

            def key(*index, table_key=table.key, segment=column.segment):
                return (table_key, segment, *index)

            respondents = key(RESPONDENTS)
            counts = [key(index) for index in range(len(column.counts))]
            picks = sum(column.counts)
            values[key(PICKS)] = picks
            lines.append((key(PICKS), counts))
            values[key(SLACK, "low")] = picks - low * column.respondents
            lines.append((key(PICKS), [respondents] * low + [key(SLACK, "low")]))
            if high:
                values[key(PICKS, "high")] = high * column.respondents
                values[key(SLACK, "high")] = high * column.respondents - picks
                lines.append((key(PICKS, "high"), [respondents] * high))
                lines.append((key(PICKS, "high"), [key(PICKS), key(SLACK, "high")]))
            for index, count in enumerate(column.counts):
                values[key(NOT_PICKED, index)] = column.respondents - count
                lines.append((respondents, [key(index), key(NOT_PICKED, index)]))
    return values, lines


SKIPPED = "skipped"  # Per segment: those asked an optional question who did not answer it.
ASKED = "asked"  # Per segment: how many were asked it (responses, or a parent's counts).


def skipped_lines(tables, values, threshold):
    """``(values, lines, asked)`` of those who skipped an optional question: per column,
    asked = respondents + skipped, where asked is the call's responses or, for a follow-up,
    the parent's counts of the answers showing it. The skipped are never published; where
    skipping is an answer (``Table.skipping_tells``) they are guarded like a count: 57 of 60
    ticking the one box of an optional question said that 3 did not (attacker7).

    Only everyone's responses are published (``asked``: known, never hidden). A segment's
    are those of the questions everyone answered, where those show them, and of no one
    question's, so each is one unpublished count all questions share; a cross-tab's rest
    (no university, say) is the base's responses minus its listed segments' (10 responses
    with no university of which 8 ticked said 2 did not: attacker8). A held cross-tab's
    columns are of an earlier moment: its responses are the question's own counts.
    """
    unpublished, lines, asked = {}, [], {}
    responses = max((t.responses[ALL] for t in tables if t.responses), default=None)
    several = _several_picks(tables)

    def now(segment):
        return (ASKED, segment, ASKED)  # A segment's responses, the same for every question.

    def column_line(table_key, segment, total, total_value):
        respondents = (table_key, segment, RESPONDENTS)
        if respondents not in values:
            return None
        skipped = (table_key, segment, SKIPPED)
        if total == now(ALL) and total_value >= threshold:
            asked[total] = total_value
        else:
            unpublished[total] = total_value
        unpublished[skipped] = total_value - values[respondents]
        lines.append((total, [respondents, skipped]))
        return total

    for table in tables:
        if table.responses is not None and table.shown_if is None:
            column_line(table.key, ALL, now(ALL), table.responses[ALL])
            for by, columns in table.groups.items():
                held = by in table.margins
                base = table.margin(by).segment
                if base not in table.responses or any(
                    column.segment not in table.responses for column in columns
                ):
                    continue  # A column of unknown responses: no lines for this cross-tab.
                members = [
                    column_line(
                        table.key,
                        column.segment,
                        (table.key, column.segment, ASKED) if held else now(column.segment),
                        table.responses[column.segment],
                    )
                    for column in columns
                ]
                base_total = (table.key, base, ASKED) if held else now(ALL)
                if held:
                    unpublished[base_total] = table.responses[base]
                rest = f"{by}{REST}"
                rest_value = table.responses[base] - sum(
                    table.responses[column.segment] for column in columns
                )
                rest_total = column_line(table.key, rest, (table.key, rest, ASKED), rest_value)
                if rest_total is not None and None not in members:
                    lines.append((base_total, [*members, rest_total]))
        elif (
            table.shown_if is not None
            and not table.shown_if_exact
            and table.shown_if[0] not in several
        ):
            parent, indices = table.shown_if
            for column in table.columns():
                shown_on = [(parent, column.segment, index) for index in indices]
                if not all(key in values for key in shown_on):
                    continue
                total = (table.key, column.segment, ASKED)
                if column_line(table.key, column.segment, total, sum(values[k] for k in shown_on)):
                    lines.append((total, shown_on))
    # A question everyone answered shows the segments' responses as its respondents.
    for table in tables:
        if responses is None or table.shown_if is not None:
            continue
        if table.overall.respondents != responses:
            continue
        for by, columns in table.groups.items():
            if by in table.margins:
                continue
            for column in columns:
                if now(column.segment) in unpublished:
                    lines.append((now(column.segment), [(table.key, column.segment, RESPONDENTS)]))
    return unpublished, lines, asked


def _same_people(tables, values):
    """Per segment, its respondents' keys in every question that every respondent answered
    (as many respondents as the most answered question): the same people, so the public may
    take them as one number. An optional question some skipped has other numbers."""
    keys = {}
    for key in values:
        if key[2] == RESPONDENTS and key[1] != ALL:
            keys.setdefault(key[1], []).append(key)
    everyone = max((table.overall.respondents for table in tables), default=0)
    members = {table.key for table in tables if table.overall.respondents == everyone}
    groups = [[key for key in group if key[0] in members] for group in keys.values()]
    return [sorted(group, key=repr) for group in groups if len(group) > 1]


def show_if_lines(tables, values, *, exact_only=False):
    """The lines a show-if condition adds: per segment, a follow-up's respondents are the
    sum of the parent's counts of the answers that show it (exactly when it is required, at
    most when not; protecting the equation protects the inequality too, which tells less).
    ``exact_only``: only the lines that hold exactly (required follow-ups), for the audit.

    The follow-up's columns must list the parent's segments (zeros included) so that the
    rest columns of both tables hold the same people (``aggregates.disclosure_tables``).
    """
    lines = []
    partitions = {table.key for table in tables if table.partition}
    several = _several_picks(tables)
    for table in tables:
        if table.shown_if is None or (exact_only and not table.shown_if_exact):
            continue
        parent, indices = table.shown_if
        if parent in several:
            continue  # Shown to the union of the answers' pickers: :func:`union_lines`.
        for column in table.columns():
            segment = column.segment
            total = (table.key, segment, RESPONDENTS)
            members = [(parent, segment, index) for index in indices]
            if not (members and total in values and all(key in values for key in members)):
                continue
            lines.append((total, members))
            if parent in partitions:
                # Its difference with the parent's column line is one more: the parent's
                # respondents are the follow-up's and those of the answers not showing it.
                others = [
                    key
                    for key in values
                    if key[:2] == (parent, segment)
                    and key[2] != RESPONDENTS
                    and key[2] not in indices
                ]
                lines.append(((parent, segment, RESPONDENTS), [total, *others]))
    return lines


def _several_picks(tables):
    """The keys of multiple-choice tables, whose respondents may pick several answers."""
    return {table.key for table in tables if table.picks is not None and not table.partition}


def union_lines(tables, values):
    """``(unpublished, lines)`` of follow-ups shown on answers of a multiple choice.

    Such a follow-up is shown to everyone who picked *any* of those answers: not the sum of
    their counts, which counts twice whoever picked two of them. Per column, Σ counts =
    the follow-up's respondents + an overlap (never published): those picks beyond each
    person's first, and for an optional follow-up also those who skipped it; and the
    parent's respondents = the follow-up's + those it was not shown to (or who skipped
    it). Both count people and are guarded like counts: Theatre 30 and Music 19 beside a
    required follow-up's 47 said exactly 2 picked both (attacker9); 60 respondents beside
    its 57, that 3 picked only Cinema (attacker10).
    """
    several = _several_picks(tables)
    unpublished, lines = {}, []
    for table in tables:
        if table.shown_if is None or table.shown_if[0] not in several:
            continue
        parent, indices = table.shown_if
        for column in table.columns():
            segment = column.segment
            respondents = (table.key, segment, RESPONDENTS)
            picks = [(parent, segment, index) for index in indices]
            if respondents not in values or not all(key in values for key in picks):
                continue
            total = (table.key, segment, SHOWING_PICKS)
            overlap = (table.key, segment, OVERLAP)
            unpublished[total] = sum(values[key] for key in picks)
            unpublished[overlap] = unpublished[total] - values[respondents]
            lines += [(total, picks), (total, [respondents, overlap])]
            parent_respondents = (parent, segment, RESPONDENTS)
            if parent_respondents in values:
                # The parent's respondents are the follow-up's and those it was not shown
                # to (or who skipped it): 60 − 57 said 3 picked only Cinema (attacker10).
                outside = (table.key, segment, OUTSIDE)
                unpublished[outside] = values[parent_respondents] - values[respondents]
                lines.append((parent_respondents, [respondents, outside]))
    return unpublished, lines


def share(count, respondents, respondents_hidden):
    """A count's percentage of its column, or ``None`` when it would give a hidden number
    away (the count itself, or the respondents it is a share of)."""
    if count is None or respondents_hidden or not respondents:
        return None
    return 100 * count / respondents


# ---- Published snapshots ---------------------------------------------------------------------


def published_tallies(pages, threshold):
    """``{call key: (changes, tally rows, taken at)}`` of the latest published snapshot of
    each call in ``pages``: the call's change counter and the time it was taken name it.

    A call's snapshot is taken (again) when it has none, or when the responses counted in
    results differ from the snapshot's by at least :func:`batch_size`; otherwise the stored
    one is returned, so one new response never changes public figures. Counting responses,
    not changes, is what makes the batch hold: an edit (even one that changes nothing, which
    a participant may repeat at will) moves no response count, and each account holds one
    response, so the batch takes that many distinct people. Retaking it moves each question
    only by a batch of its own (:func:`.batches.publish`): an optional question answered by
    one of the new respondents, or an exclusion, keeps the question as published.

    One query when no snapshot is due (snapshots with the live change counter beside them);
    two more (the tallies, one upsert) when some are.
    """
    pages = {page.call_key: page for page in pages}
    if not pages:
        return {}
    question, row, choice, value = CALL_TOTAL
    live = AnswerTally.objects.filter(
        call_key=OuterRef("call_key"),
        segment=ALL,
        question_id=question,
        row_id=row,
        choice_id=choice,
        value=value,
    ).values("count")[:1]
    snapshots = {
        snapshot.call_key: snapshot
        for snapshot in PublishedSnapshot.objects.filter(call_key__in=pages).annotate(
            live_respondents=Coalesce(Subquery(live), 0)
        )
    }
    step = batch_size(threshold)
    due = {
        key
        for key in pages
        if key not in snapshots
        or abs(snapshots[key].live_respondents - _respondents_in(snapshots[key].tallies)) >= step
    }
    rows = {
        key: (snapshot.changes, snapshot.tallies, snapshot.taken_at)
        for key, snapshot in snapshots.items()
        if key not in due
    }
    if due:
        taken = _take_snapshots({key: pages[key] for key in due}, snapshots, threshold)
        rows.update(
            {
                key: (found.changes, found.tallies, found.taken_at)
                for key, (found, _p) in taken.items()
            }
        )
    return rows


def republish(page, threshold):
    """Move public results to the live tallies now, as far as batches allow (an editor's
    "republish results", after excluding responses): each question moves only by a batch
    of its own, exactly as when the snapshot is retaken by itself.

    Returns:
        batches.Publication: what moved (nothing saved when nothing did).
    """
    snapshots = {
        snapshot.call_key: snapshot
        for snapshot in PublishedSnapshot.objects.filter(call_key=page.call_key)
    }
    taken = _take_snapshots({page.call_key: page}, snapshots, threshold)
    return taken[page.call_key][1]


def cached_protection(version, signature, threshold, compute):
    """The protection of one snapshot, computed once and kept in the cache: a snapshot never
    changes, so neither does what its public view hides (``signature`` names the
    questionnaire, which editors may change)."""
    if version is None:
        return compute()
    digest = hashlib.sha256(
        repr((PROTECTION_FORMAT, version, signature, threshold)).encode()
    ).hexdigest()
    return cache.get_or_set(f"hadaf:disclosure:{digest}", compute, timeout=CACHE_SECONDS)


@dataclass(frozen=True)
class CallQuestions:
    """The questions of a call's language versions, whose tallies they share.

    ``source``: the live page in the site's default language (``source_pk``). ``ruling``:
    every question any live version asks, with every choice any of them offers, under the
    loosest rules any of them has (:func:`_loosest`): what the call's public figures are
    protected by and published by, whichever version is looked at first.
    """

    source_pk: int
    source: Questionnaire
    ruling: Questionnaire


def source_questionnaires(pages):
    """``{call key: CallQuestions}`` of the calls of ``pages``, from every live language
    version of each (one query per page type)."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), set()).add(page.call_key)
    versions = {}
    for page_type, keys in by_type.items():
        found = (
            page_type.objects.live()
            .filter(translation_key__in=keys)
            .order_by("pk")
            .values_list("pk", "translation_key", "locale__language_code", "questions")
        )
        for pk, key, language, raw in found:
            questions = read_questions(raw)
            versions.setdefault(key, []).append((language != default, pk, questions))
    calls = {}
    for key, found in versions.items():
        found.sort(key=lambda version: version[:2])
        not_source, source_pk, source = found[0]
        if not_source:
            continue  # No live source: each version rules its own figures, as before.
        ruling = _loosest(source, [questions for _t, _pk, questions in found[1:]])
        calls[key] = CallQuestions(source_pk=source_pk, source=source, ruling=ruling)
    return calls


def _loosest(source, translations):
    """``source``'s questions with what ``translations`` add: their own questions (after the
    source's), their own choices and statements, and their looser rules — optional where
    any version is, the fewest and most picks any allows. Versions not in sync with their
    source otherwise published through their own figures what the protection of the
    source's did not cover (attacker12: a choice, a question only the English copy had; a
    question optional there only)."""
    merged = {question.id: question for question in source.questions}
    order = [question.id for question in source.questions]
    for questionnaire in translations:
        for question in questionnaire.questions:
            ruling = merged.get(question.id)
            if ruling is None:
                merged[question.id] = question
                order.append(question.id)
                continue
            merged[question.id] = replace(
                ruling,
                required=ruling.required and question.required,
                choices=_with_extra(ruling.choices, question.choices),
                rows=_with_extra(ruling.rows, question.rows),
                min_selected=_fewest(ruling.min_selected, question.min_selected),
                max_selected=None
                if None in (ruling.max_selected, question.max_selected)
                else max(ruling.max_selected, question.max_selected),
            )
    return Questionnaire(
        questions=tuple(merged[question_id] for question_id in order),
        step_titles=source.step_titles,
    )


def _with_extra(options, others):
    known = {option.id for option in options}
    return options + tuple(option for option in others if option.id not in known)


def _fewest(one, other):
    return min((value or 1) for value in (one, other))


def governing_questionnaire(page, questionnaire=None, source=None):
    """The questionnaire whose rules the public figures of ``page``'s call follow.

    A call's language versions share its tallies, so they must share their protection
    too: a version not in sync with the others (a consent still required there, a show-if
    condition gone, a choice or a question of its own) would otherwise publish, through its
    own questions, what another hides (attacker10, attacker12). ``source``: the call's
    :class:`CallQuestions` (from :func:`source_questionnaires`), whose ``ruling`` is it.
    """
    if source is None:
        return questionnaire or read_questions(page.questions)
    return source.ruling


def shown_questionnaire(page, questionnaire=None, source=None):
    """What ``page`` shows of its call's public figures, in its own words and order.

    Its own questions and choices, and those of the source it lacks (a version behind its
    source); choices and questions only another version has are counted and protected
    (:func:`governing_questionnaire`) but not listed on it. Hidden cells are told by
    choice id (:attr:`Protection.option_ids`), never by position: a version listing its
    choices in another order showed a hidden 2 under its own label (attacker11).
    """
    own = questionnaire or read_questions(page.questions)
    if source is None:
        return own
    ruling, mine, theirs = source.ruling.by_id(), own.by_id(), source.source.by_id()
    shown = []
    for question_id, question in ruling.items():
        if question_id in mine:
            shown.append(_in_own_words(question, mine[question_id], theirs.get(question_id)))
        elif question_id in theirs:
            shown.append(_in_own_words(question, theirs[question_id], None))
    return Questionnaire(questions=tuple(shown), step_titles=own.step_titles)


def _in_own_words(ruling, own, source):
    """``ruling``'s question (its rules) with ``own``'s words and choices in ``own``'s order,
    then the ``source``'s choices ``own`` lacks."""

    def listed(options, theirs):
        known = {option.id for option in options}
        return options + tuple(option for option in theirs if option.id not in known)

    scale_labels = dict(own.scale)
    return replace(
        ruling,
        label=own.label,
        help_text=own.help_text,
        choices=listed(own.choices, source.choices if source else ()),
        rows=listed(own.rows, source.rows if source else ()),
        scale=tuple((value, scale_labels.get(value, label)) for value, label in ruling.scale),
    )


def _take_snapshots(pages, snapshots, threshold):
    """Publish the tallies of ``pages`` (``{call key: page}``) question by question
    (:func:`.batches.publish`) against their ``snapshots``; saves those that moved.

    Returns:
        dict: call key → ``(PublishedSnapshot, batches.Publication)``.
    """
    rows = {key: [] for key in pages}
    changes = dict.fromkeys(pages, 0)
    tally_rows = (
        AnswerTally.objects.filter(call_key__in=pages)
        .exclude(count=0)
        .values_list("call_key", "segment", "question_id", "row_id", "choice_id", "value", "count")
    )
    for call_key, segment, question, row, choice, value, count in tally_rows:
        if (segment, question, row, choice, value) == (ALL, "", "", "", CHANGES_VALUE):
            changes[call_key] = count
        else:
            rows[call_key].append([segment, question, row, choice, value, count])
    step = batch_size(threshold)
    taken, saved = {}, []
    sources = source_questionnaires(pages.values())
    for key in sorted(pages, key=str):
        snapshot = snapshots.get(key)
        questionnaire = governing_questionnaire(pages[key], source=sources.get(key))
        publication = batches.publish(
            snapshot.tallies if snapshot else None,
            batches.with_asked(rows[key], questionnaire),
            questionnaire,
            threshold,
            step,
        )
        if snapshot is not None and not publication.changed:
            taken[key] = (snapshot, publication)
            continue
        snapshot = PublishedSnapshot(call_key=key, changes=changes[key], tallies=publication.rows)
        saved.append(snapshot)
        taken[key] = (snapshot, publication)
    if saved:
        PublishedSnapshot.objects.bulk_create(
            saved,
            update_conflicts=True,
            unique_fields=["call_key"],
            update_fields=["changes", "tallies", "taken_at"],
        )
    return taken
