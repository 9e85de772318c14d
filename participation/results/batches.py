"""Batches: when the public figures of each question may move (docs/privacy.md).

Comparing two public versions of a question gives the difference of its counts: what the
people who answered it, withdrew, were excluded or changed their answer in between did. That
difference must never be one person's. So each question's figures (with the show-if
follow-ups linked to it, and every column of its cross-tabs) move only when, in every
column, the answers added and the answers taken away since its published state each come
from nobody or from at least ``batch`` people; otherwise the question keeps its published
figures. Counted from the tallies themselves, not from events, so that one participant
re-saving or toggling an answer moves nothing (their net effect is one answer at most).

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


def _columns(counts):
    """``{(question, row, segment): {(choice, value): count}}``, with each cross-tab's rest."""
    columns = defaultdict(dict)
    for (segment, question, row, choice, value), count in counts.items():
        columns[(question, row, segment)][(choice, value)] = count
    listed = defaultdict(list)  # (question, row, prefix) → the listed segments' columns.
    for (question, row, segment), column in list(columns.items()):
        for prefix in SEGMENT_PREFIXES:
            segments = listed[(question, row, prefix)]  # Every cross-tab has a rest.
            if segment.startswith(prefix):
                segments.append(column)
    for (question, row, prefix), segments in listed.items():
        rest = dict(columns.get((question, row, ALL), {}))
        for column in segments:
            for key, count in column.items():
                rest[key] = rest.get(key, 0) - count
        columns[(question, row, prefix + REST)] = rest
    return columns


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


def _group_moves(before, after, one_count, threshold, batch):
    old, new = _columns(before), _columns(after)
    for column in old.keys() | new.keys():
        was, now = old.get(column, {}), new.get(column, {})
        if was.get(RESPONDENTS_KEY, 0) < threshold and now.get(RESPONDENTS_KEY, 0) < threshold:
            continue  # Hidden before and after (too few respondents): nothing to difference.
        if not moves_in_batches(was, now, one_count=one_count[column[0]], batch=batch):
            return False
    return True


def publish(published, live, questionnaire, threshold, batch):
    """The tally rows public results show next, question group by question group.

    Args:
        published: the rows public results show now (``None`` when there are none yet).
        live: the call's tally rows now.
        questionnaire: the call's questionnaire (groups and question types).
        threshold: the suppression threshold (columns smaller than it are hidden anyway).
        batch: how many people a move must take (``disclosure.batch_size``).

    Returns:
        Publication: each group's rows live when every column of it moves in batches
        (:func:`moves_in_batches`), else as published; the call's own counts (responses)
        live when they moved by a batch.
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
        elif _group_moves(old, new, one_count, threshold, batch):
            take(new, group)
            publication.moved += 1
        else:
            take(old, group)
            publication.held += 1
    publication.rows = [[*key, count] for key, count in sorted(chosen.items())]
    return publication
