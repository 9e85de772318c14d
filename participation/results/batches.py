"""Batches: when the public figures of each question may move (docs/privacy.md).

Comparing two public versions of a question gives the difference of its counts: what the
people who answered it, withdrew, were excluded or changed their answer in between did. That
difference must never be one person's. So each question's figures (with the show-if
follow-ups linked to it) move only when, in each of its everyone columns, the answers added
and the answers taken away since its published state each come from nobody or from at
least ``batch`` people; otherwise the question keeps its published figures. Each cross-tab
(role, university) moves with them only when all its shown columns, and its derivable rest
(which holds its small, hidden columns), move so too; otherwise it keeps its columns and
the everyone counts of their moment as its margin (:func:`margin_of`). Counted from the tallies
themselves, not from events, so that one participant re-saving or toggling an answer moves
nothing (their net effect is one answer at most).

A snapshot is evaluated when the call's responses moved by a batch
(:func:`.disclosure.published_tallies`) or when an editor asks to republish
(:func:`republish`); a question whose optional answers or exclusions lag behind waits
for the next evaluation.
"""

from collections import defaultdict
from dataclasses import dataclass

from participation.questions.choices import QuestionType

from .tally import ALL, CALL_TOTAL

SEGMENT_PREFIXES = ("role:", "university:")
REST = "\x00rest"  # A cross-tab's derivable rest: everyone minus the listed segments.
# A held cross-tab's margin: the everyone counts of the moment its columns are from,
# published with it (:func:`publish`) as the segment "margin|" + its prefix, e.g.
# "margin|role:" (no NUL: PostgreSQL's JSON refuses it), never read as a segment of it.
MARGIN_PREFIX = "margin|"


def margin_of(prefix):
    """The segment of the margin of the cross-tab ``prefix`` ("role:", "university:")."""
    return MARGIN_PREFIX + prefix


# The row of an optional question's "asked" column: per segment, the call's responses at the
# moment of its figures (responses − its respondents = those who skipped it, which
# disclosure protects where skipping is an answer). A question id is a UUID: no clash.
ASKED_ROW = "asked|"
RESPONDENTS_KEY = ("", "")  # (choice, value) of a column's respondents.
# Types whose answer adds one count at most to a column (a matrix: to each row's column):
# the counts that went up then add up to at most the number of people who added one.
ONE_COUNT_TYPES = {
    QuestionType.SINGLE_CHOICE,
    QuestionType.LIKERT,
    QuestionType.RATING,
    QuestionType.NUMBER,
    QuestionType.MATRIX,
}


@dataclass
class Publication:
    """The rows to publish and what moved: ``moved`` and ``held`` are question groups."""

    rows: list
    moved: int = 0
    held: int = 0
    call_moved: bool = False

    @property
    def changed(self):
        return self.call_moved or bool(self.moved)


def question_groups(questionnaire):
    """The question ids whose figures move together: a question and its show-if follow-ups
    (their respondents are sums of the parent's counts, so both must be of one moment)."""
    parent = {question.id: question.id for question in questionnaire.questions}

    def root(question_id):
        while parent[question_id] != question_id:
            parent[question_id] = parent[parent[question_id]]
            question_id = parent[question_id]
        return question_id

    for question in questionnaire.questions:
        condition = question.condition
        if condition and condition.question_id in parent:
            parent[root(question.id)] = root(condition.question_id)
    groups = defaultdict(set)
    for question_id in parent:
        groups[root(question_id)].add(question_id)
    return list(groups.values())


def _counts(rows):
    """``{(segment, question, row, choice, value): count}`` of tally rows."""
    return {tuple(row[:5]): row[5] for row in rows if row[5]}


def _raw_columns(counts):
    """``{(question, row, segment): {(choice, value): count}}``."""
    columns = defaultdict(dict)
    for (segment, question, row, choice, value), count in counts.items():
        columns[(question, row, segment)][(choice, value)] = count
    return columns


def _columns(before, after, threshold):
    """The columns a reader can follow from ``before`` to ``after``: the everyone columns,
    each cross-tab segment shown in either (``threshold`` respondents or more), and each
    cross-tab's **derivable rest** — its base (its margin when held, else everyone) minus
    those shown segments. A small segment, hidden both times, is in that rest: the overall's
    change minus the shown columns' changes is the change of it and the people with no
    segment together, so that sum must move by a batch too (a lone newcomer in a small
    university was exposed by it when small columns were left out)."""
    old, new = _raw_columns(before), _raw_columns(after)

    def respondents(columns, key):
        return columns.get(key, {}).get(RESPONDENTS_KEY, 0)

    def shown(key):
        return max(respondents(old, key), respondents(new, key)) >= threshold

    result = ({}, {})
    keys = old.keys() | new.keys()
    for key in keys:
        if key[2] == ALL or (not key[2].startswith(MARGIN_PREFIX) and shown(key)):
            result[0][key], result[1][key] = old.get(key, {}), new.get(key, {})
    for question, row in {(key[0], key[1]) for key in keys}:
        for prefix in SEGMENT_PREFIXES:
            listed = [
                key
                for key in keys
                if key[:2] == (question, row) and key[2].startswith(prefix) and shown(key)
            ]
            if not any(key[:2] == (question, row) and key[2].startswith(prefix) for key in keys):
                continue
            for side, columns in enumerate((old, new)):
                base = columns.get((question, row, margin_of(prefix))) or columns.get(
                    (question, row, ALL), {}
                )
                rest = dict(base)
                for key in listed:
                    for answer, count in columns.get(key, {}).items():
                        rest[answer] = rest.get(answer, 0) - count
                result[side][(question, row, prefix + REST)] = rest
    return result


def moves_in_batches(before, after, *, one_count, batch):
    """Whether a column may go from ``before`` to ``after`` (``{(choice, value): count}``):
    the people who added answers, and those whose answers were taken away, are each none or
    at least ``batch``, as far as the counts tell (lower bounds, so the rule errs on the
    side of waiting)."""
    diffs = {key: after.get(key, 0) - before.get(key, 0) for key in before.keys() | after.keys()}
    respondents = diffs.pop(RESPONDENTS_KEY, 0)
    ups = [diff for diff in diffs.values() if diff > 0]
    downs = [-diff for diff in diffs.values() if diff < 0]
    added = max(respondents, max(ups, default=0), sum(ups) if one_count else 0)
    removed = max(-respondents, max(downs, default=0), sum(downs) if one_count else 0)
    return all(people == 0 or people >= batch for people in (added, removed))


def family_of(segment):
    """The columns that move together: the everyone column (``ALL``), or one cross-tab —
    its segments, their rest and its margin — named by its prefix, e.g. "role:"."""
    if segment.startswith(MARGIN_PREFIX):
        return segment.removeprefix(MARGIN_PREFIX)
    for prefix in SEGMENT_PREFIXES:
        if segment.startswith(prefix):
            return prefix
    return ALL


def _family_moves(before, after, one_count, threshold, batch):
    """``{family: whether every column of it moves in batches}`` for one question group."""
    old, new = _columns(before, after, threshold)
    moves = defaultdict(lambda: True)
    for column in old.keys() | new.keys():
        was, now = old.get(column, {}), new.get(column, {})
        everyone = column[2] == ALL
        if everyone and max(was.get(RESPONDENTS_KEY, 0), now.get(RESPONDENTS_KEY, 0)) < threshold:
            continue  # The whole question hidden before and after: nothing to difference.
        if not moves_in_batches(was, now, one_count=one_count[column[0]], batch=batch):
            moves[family_of(column[2])] = False
    return moves


def _held_margin(old, prefix):
    """The margin a held cross-tab keeps: its own, else the everyone rows it was shown with."""
    margin = {key: count for key, count in old.items() if key[0] == margin_of(prefix)}
    if margin:
        return margin
    return {(margin_of(prefix), *key[1:]): count for key, count in old.items() if key[0] == ALL}


def with_asked(rows, questionnaire):
    """``rows`` (tally rows) with each optional question's asked column: per segment, the
    call's responses, as a column of the question (segment, question, ``ASKED_ROW``), so
    that it moves in batches and is held with the question's figures, of one moment.
    Follow-ups are left out: those asked them are the parent's counts."""
    optional = [
        question.id
        for question in questionnaire.questions
        if not question.required and question.condition is None
    ]
    totals = [
        (segment, count)
        for segment, question, row, choice, value, count in rows
        if (question, row, choice, value) == CALL_TOTAL and not segment.startswith(MARGIN_PREFIX)
    ]
    asked = [
        [segment, question_id, ASKED_ROW, "", "", count]
        for question_id in optional
        for segment, count in totals
    ]
    return [*rows, *asked]


def publish(published, live, questionnaire, threshold, batch):
    """The tally rows public results show next, question group by question group.

    Args:
        published: the rows public results show now (``None`` when there are none yet).
        live: the call's tally rows now.
        questionnaire: the call's questionnaire (groups and question types).
        threshold: the suppression threshold (columns smaller than it are hidden anyway).
        batch: how many people a move must take (``disclosure.batch_size``).

    Returns:
        Publication: for each group, its everyone columns live when each of them moves in
        batches (:func:`moves_in_batches`), else the whole group as published. Each
        cross-tab (its segments and their rest) moves with them when it moves in batches
        too; otherwise it keeps its published columns with, as its margin, the everyone
        counts of their moment, so that its rest is derived from one moment. (Held whole,
        a question with a column per university almost never moved: 0 of 500 looks with
        100 universities.) The call's own counts (responses) move when they moved by a batch.
    """
    if published is None:
        return Publication(rows=[list(row) for row in live], call_moved=True)
    before, after = _counts(published), _counts(live)
    groups = question_groups(questionnaire)
    grouped = {question_id for group in groups for question_id in group}
    one_count = defaultdict(bool)
    one_count.update(
        {question.id: question.type in ONE_COUNT_TYPES for question in questionnaire.questions}
    )
    total = (ALL, *CALL_TOTAL)
    publication = Publication(rows=[])
    chosen = {}

    def take(source, question_ids):
        for key, count in source.items():
            if key[1] in question_ids:
                chosen[key] = count

    moved = after.get(total, 0) - before.get(total, 0)
    # The call's counts (and questions no longer asked, never shown) move with responses.
    publication.call_moved = moved != 0 and abs(moved) >= batch
    others = {key[1] for key in before.keys() | after.keys() if key[1] not in grouped}
    take(after if publication.call_moved else before, others)
    for group in groups:
        old = {key: count for key, count in before.items() if key[1] in group}
        new = {key: count for key, count in after.items() if key[1] in group}
        if old == new:
            take(old, group)
            continue
        moves = _family_moves(old, new, one_count, threshold, batch)
        if not moves[ALL]:
            take(old, group)
            publication.held += 1
            continue
        # The everyone columns move; each cross-tab moves with them, or keeps its columns
        # and, as its margin, the everyone counts of their moment (never a mix of moments).
        for key, count in new.items():
            if family_of(key[0]) == ALL:
                chosen[key] = count
        for prefix in SEGMENT_PREFIXES:
            if moves[prefix]:
                source = {k: c for k, c in new.items() if family_of(k[0]) == prefix}
            else:
                source = {k: c for k, c in old.items() if family_of(k[0]) == prefix}
                source = {k: c for k, c in source.items() if not k[0].startswith(MARGIN_PREFIX)}
                if source:
                    source.update(_held_margin(old, prefix))
            chosen.update(source)
        publication.moved += 1
        if not all(moves[prefix] for prefix in SEGMENT_PREFIXES):
            publication.held += 1  # a cross-tab waits for its own batch
    publication.rows = [[*key, count] for key, count in sorted(chosen.items())]
    return publication
