"""Disclosure audit: nothing published lets anyone work a hidden small group back out.

The audit plays the attacker with linear programming: every hidden count is a variable, every
published figure an equation (a line of a table adding up to its total, a mean of an integer
scale fixing Σ value × count), counts are non-negative, and :func:`scipy.optimize.linprog`
minimises and maximises each hidden count that is small (primary). Its feasible range must stay
at least the threshold wide. The three attacks of issue 16 through the public page and
``/api/v2/`` are in ``test_disclosure_attacks.py``.
"""

import dataclasses

import pytest

from participation.results import disclosure
from participation.results.disclosure import ALL, RESPONDENTS, Column, Table
from tests.participation.disclosure_attacker import (
    THRESHOLD,
    feasible_ranges,
    narrow,
    show_if_lines,
)
from tests.participation.results_fixtures import seeded

# ---- Random tables ----------------------------------------------------------------------------


def random_table(rng, *, respondents, partition, scale, key="q", groups=None, people=None):
    """A question answered by ``respondents`` people spread over roles and universities.

    ``people`` (a list) receives each respondent's ``(places, chosen options)``.
    """
    options = scale or rng.randint(2, 6)
    groups = groups or {"role": rng.randint(1, 4), "university": rng.randint(0, 5)}
    people = [] if people is None else people
    for _ in range(respondents):
        where = [
            rng.randint(0, rng.randint(0, size - 1)) if size else None for size in groups.values()
        ]
        where = [None if rng.random() < 0.1 else place for place in where]  # Some unknown.
        if partition:
            chosen = [min(int(rng.expovariate(0.7)), options - 1)]
        else:
            chosen = [option for option in range(options) if rng.random() < 0.3]
        people.append((where, chosen))

    return table_of(key, people, groups, options, partition)


def table_of(key, people, groups, options, partition, *, listed=None, shown_if=None):
    """The table of ``people``'s answers; ``listed`` (segment names) lists those columns
    even when empty, as a follow-up lists its parent's."""

    def column(segment, members):
        counts = [0] * options
        for _where, chosen in members:
            for option in chosen:
                counts[option] += 1
        return Column(segment, len(members), counts)

    table_groups = {}
    for position, (by, size) in enumerate(groups.items()):
        columns = []
        for place in range(size):
            members = [person for person in people if person[0][position] == place]
            if members or (listed and f"{by}:{place}" in listed):
                columns.append(column(f"{by}:{place}", members))
        if columns:
            table_groups[by] = columns
    return Table(
        key=key,
        overall=column(ALL, people),
        groups=table_groups,
        partition=partition,
        shown_if=shown_if,
    )


def published_mean(table, protection):
    """The mean equation the public gets for a 1…k scale, if the mean is published."""
    if protection.column_has_hidden(ALL):
        return []  # Withheld: it would give hidden counts away.
    counts = table.overall.counts
    total = sum((value + 1) * count for value, count in enumerate(counts))
    return [({("q", ALL, value): value + 1 for value in range(len(counts))}, total)]


def audit(table):
    """Every small hidden count of ``table`` with its range, if narrower than the threshold."""
    protection = disclosure.protect_tables([table], THRESHOLD)["q"]
    values, lines = disclosure.table_values_and_lines(table)
    hidden = {("q", *key) for key in protection.hidden}
    primary = [key for key in hidden if 0 < values[key] < THRESHOLD]
    shown_small = [key for key in values if 0 < values[key] < THRESHOLD and key not in hidden]
    extra = published_mean(table, protection) if table.partition else []
    ranges = feasible_ranges(values, lines, hidden, primary, extra)
    return shown_small, narrow(ranges), protection, values


@pytest.mark.parametrize(
    ("seed", "respondents", "partition", "scale"),
    [
        (1, (5, 40), True, 5),  # Likert, few respondents: most counts small.
        (2, (40, 300), True, 5),  # Likert, a survey's usual size.
        (3, (5, 300), True, None),  # Single choice.
        (4, (5, 300), False, None),  # Multiple choice: counts do not add up to respondents.
    ],
)
def test_no_hidden_small_count_can_be_narrowed_below_the_threshold(
    seed, respondents, partition, scale
):
    rng = seeded(seed)
    tables = 0
    for _ in range(40):
        table = random_table(
            rng, respondents=rng.randint(*respondents), partition=partition, scale=scale
        )
        shown_small, too_narrow, protection, values = audit(table)
        allowed = {
            key
            for key in shown_small
            if key[1:] == (ALL, RESPONDENTS)  # The question's respondents: always shown
        }
        assert set(shown_small) <= allowed, (table, shown_small)
        assert not too_narrow, (table, too_narrow, sorted(map(repr, protection.hidden)))
        for column in table.columns():
            hidden_n = protection.respondents_hidden(column.segment)
            for index, count in enumerate(column.counts):
                if hidden_n and not protection.count_hidden(column.segment, index):
                    # A percentage of a hidden total would give the total away.
                    assert disclosure.share(count, column.respondents, hidden_n) is None
        tables += 1
    assert tables == 40


def test_the_audit_finds_what_cell_by_cell_suppression_gave_away():
    """The attacker is real: on the issue's table, the old rule's cells are recovered."""
    table = Table(
        key="q",
        overall=Column(ALL, 25, [15, 10, 0]),
        groups={
            "role": [
                Column("role:student", 12, [7, 5, 0]),
                Column("role:faculty", 11, [6, 5, 0]),
                Column("role:staff", 2, [2, 0, 0]),
            ]
        },
    )
    values, lines = disclosure.table_values_and_lines(table)
    # Yesterday's rule: the small staff column hidden on its own, everything else shown.
    # Everyone has a role here, and the attacker knows it (the rest is empty).
    old_hidden = {key for key in values if key[1] == "role:staff"}
    ranges = feasible_ranges(values, lines, old_hidden, [("q", "role:staff", 0)])
    assert ranges[("q", "role:staff", 0)] == (2, 2)
    _shown, too_narrow, _protection, _values = audit(table)
    assert not too_narrow


def test_the_mean_fixes_hidden_counts_unless_withheld():
    """n = 300 and a mean to two decimals: the issue's attack, on the equations alone."""
    counts = [2, 60, 100, 132, 6]  # Hidden by the old rule: the 2 and the 6.
    table = Table(key="q", overall=Column(ALL, 300, counts))
    values, lines = disclosure.table_values_and_lines(table)
    hidden = {("q", ALL, 0), ("q", ALL, 4)}
    # The mean (shown to two decimals: Σ value × count within ±1.5, which integers settle).
    equation = ({("q", ALL, v): v + 1 for v in range(5)}, 980)
    ranges = feasible_ranges(values, lines, hidden, sorted(hidden), [equation])
    assert ranges == {("q", ALL, 0): (2, 2), ("q", ALL, 4): (6, 6)}
    _shown, too_narrow, protection, _values = audit(table)
    assert protection.column_has_hidden(ALL) and not too_narrow  # So no mean is published.


# ---- Show-if follow-ups -----------------------------------------------------------------------


def random_follow_up(rng, respondents):
    """A single-choice parent and a required follow-up shown to those who picked some of its
    options: the follow-up's respondents per segment are the sum of those parent counts."""
    groups = {"role": rng.randint(1, 4), "university": rng.randint(1, 6)}
    people = []
    parent = random_table(
        rng, respondents=respondents, partition=True, scale=None, groups=groups, people=people
    )
    options = len(parent.overall.counts)
    picked = sorted(rng.sample(range(options), rng.randint(1, options - 1)))
    shown = [
        (where, [min(int(rng.expovariate(0.7)), 3)])
        for where, chosen in people
        if chosen[0] in picked
    ]
    listed = {column.segment for columns in parent.groups.values() for column in columns}
    follow_up = table_of("f", shown, groups, 4, True, listed=listed, shown_if=("q", picked))
    return parent, follow_up, picked


def audit_follow_up(parent, follow_up, picked):
    """``(small counts shown, hidden small counts narrower than the threshold)`` of the two
    tables, with the show-if equations on the attacker's side."""
    protections = disclosure.protect_tables([parent, follow_up], THRESHOLD)
    values, lines = {}, []
    for table in (parent, follow_up):
        table_values, table_lines = disclosure.table_values_and_lines(table)
        values.update(table_values)
        lines += table_lines
    segments = [column.segment for column in follow_up.columns()]
    lines += show_if_lines("f", "q", picked, segments)
    hidden = {(key, *cell) for key, protection in protections.items() for cell in protection.hidden}
    primary = [key for key in hidden if 0 < values[key] < THRESHOLD]
    shown_small = [key for key in values if 0 < values[key] < THRESHOLD and key not in hidden]
    return shown_small, narrow(feasible_ranges(values, lines, hidden, primary))


@pytest.mark.parametrize(("seed", "respondents"), [(5, (5, 40)), (6, (30, 300))])
def test_a_follow_ups_respondents_narrow_no_hidden_count_of_its_parent(seed, respondents):
    rng = seeded(seed)
    for _ in range(30):
        parent, follow_up, picked = random_follow_up(rng, rng.randint(*respondents))
        shown_small, too_narrow = audit_follow_up(parent, follow_up, picked)
        allowed = {("q", ALL, RESPONDENTS)}  # The parent's respondents: always shown.
        assert set(shown_small) <= allowed, (parent, follow_up, shown_small)
        assert not too_narrow, (parent, follow_up, picked, too_narrow)


def test_the_issues_follow_up_no_longer_gives_mashhads_never_away():
    """Mashhad: 21 answered "how often", 17 of them other than "never", all shown a required
    follow-up; its per-university respondents gave "never" = 21 − 17 = 4."""
    parent = Table(
        key="q",
        overall=Column(ALL, 60, [10, 30, 20]),
        groups={
            "university": [
                Column("university:mashhad", 21, [4, 10, 7]),
                Column("university:tehran", 39, [6, 20, 13]),
            ]
        },
    )
    follow_up = Table(
        key="f",
        overall=Column(ALL, 50, [25, 25]),
        groups={
            "university": [
                Column("university:mashhad", 17, [8, 9]),
                Column("university:tehran", 33, [17, 16]),
            ]
        },
        shown_if=("q", [1, 2]),
    )
    values, lines = {}, []
    for table in (parent, follow_up):
        table_values, table_lines = disclosure.table_values_and_lines(table)
        values.update(table_values)
        lines += table_lines
    lines += show_if_lines("f", "q", [1, 2], [c.segment for c in follow_up.columns()])
    never = ("q", "university:mashhad", 0)
    # The rule without show-if lines: the 4 and its complements hidden, the follow-up shown.
    old = disclosure.protect_tables([parent, dataclasses.replace(follow_up, shown_if=None)], 5)
    old_hidden = {("q", *cell) for cell in old["q"].hidden}
    old_hidden |= {("f", *cell) for cell in old["f"].hidden}
    assert never in old_hidden
    assert feasible_ranges(values, lines, old_hidden, [never])[never] == (4, 4)
    shown_small, too_narrow = audit_follow_up(parent, follow_up, [1, 2])
    assert not shown_small and not too_narrow
