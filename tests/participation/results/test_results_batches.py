"""Per-question batches with many cross-tab columns (issue 16, disclosure over time).

A national survey has a column per university. Holding a question until every one of its
columns had moved by a batch at once froze its public figures: with 30 universities 3 moves
in 500 looks, with 100 none. Now the everyone columns move on their own batches, and a
cross-tab that waits keeps its columns with the everyone counts of their moment as margin.
"""

import random
from collections import Counter

from participation.questions.choices import QuestionType
from participation.questions.schema import Option, Question, Questionnaire
from participation.results import batches
from participation.results.aggregates import Tallies, disclosure_tables
from participation.results.disclosure import protect_tables

QUESTION = "q1"
CHOICES = ("a", "b", "c")
K = 10
THRESHOLD = 5
QUESTIONNAIRE = Questionnaire(
    questions=(
        Question(
            QUESTION,
            QuestionType.SINGLE_CHOICE,
            "?",
            choices=tuple(Option(choice, choice) for choice in CHOICES),
        ),
    )
)


def tally_rows(responses):
    """Tally rows ``[segment, question, row, choice, value, count]`` of (university or
    ``None``, choice)."""
    counts = Counter()
    for university, choice in responses:
        segments = ("",) if university is None else ("", f"university:u{university}")
        for segment in segments:
            counts[(segment, "", "", "", "")] += 1
            counts[(segment, QUESTION, "", "", "")] += 1
            counts[(segment, QUESTION, "", choice, "")] += 1
    return [[*key, count] for key, count in sorted(counts.items())]


def run(universities, responses=3000, seed=7):
    """Responses arrive one by one; the public figures are looked at every K. Yields the
    published rows after each look."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation
    weights = [1 / (rank + 1) for rank in range(universities)]
    live, published = [], None
    for n in range(1, responses + 1):
        # One in ten gave no university: the cross-tab's rest, derived by readers.
        university = rng.choices(range(universities), weights)[0] if rng.random() > 0.1 else None
        live.append((university, rng.choice(CHOICES)))
        if n % K == 0:
            published = batches.publish(
                published, tally_rows(live), QUESTIONNAIRE, THRESHOLD, K
            ).rows
            yield published


def respondents(rows):
    """Respondents per published column, and the rest a reader derives for the cross-tab
    (its margin, or everyone, minus the listed universities)."""
    columns = {row[0]: row[5] for row in rows if row[1] == QUESTION and row[3] == ""}
    listed = sum(count for segment, count in columns.items() if segment.startswith("university:"))
    margin = columns.get(batches.margin_of("university:"), columns[""])
    shown = {
        segment: count
        for segment, count in columns.items()
        if not segment.startswith(batches.MARGIN_PREFIX)
    }
    return {**shown, "rest": margin - listed}


def test_the_overall_figures_keep_moving_with_a_hundred_universities():
    looks = list(run(100))
    overall = [respondents(rows)[""] for rows in looks]
    moved = sum(1 for before, after in zip(overall, overall[1:], strict=False) if after != before)
    assert moved == len(looks) - 1  # Before: 0 (the first snapshot stayed for good).
    assert overall[-1] == 3000


def test_every_published_difference_is_a_batch_in_every_column_and_in_the_derivable_rest():
    """Between any two published versions (not only consecutive ones), every shown column's
    respondents, and the rest a reader derives, moved by nobody or by at least K people."""
    versions = []
    for rows in run(30, responses=1500):
        if not versions or rows != versions[-1]:
            versions.append(rows)
    assert len(versions) > 100
    for i, older in enumerate(versions):
        for newer in versions[i + 1 :]:
            before, after = respondents(older), respondents(newer)
            for segment in before.keys() | after.keys():
                was, now = before.get(segment, 0), after.get(segment, 0)
                if segment.startswith("university:") and max(was, now) < THRESHOLD:
                    continue  # hidden both times
                assert was == now or abs(now - was) >= K, (segment, was, now)


def test_a_held_cross_tab_is_shown_not_suppressed_for_its_newer_overall():
    """The suppression sees a held cross-tab against its own margin: its columns stay shown
    (as they were) rather than hidden because the overall moved past them."""
    looks = list(run(3, responses=400))
    held = [rows for rows in looks if any(row[0].startswith(batches.MARGIN_PREFIX) for row in rows)]
    assert held
    tallies = Tallies(held[-1])
    (table,) = disclosure_tables(QUESTIONNAIRE, tallies)
    assert table.margins
    hidden = protect_tables([table], THRESHOLD)[QUESTION].hidden
    shown_segments = set(tallies.segments("university:"))
    assert shown_segments and not any(key[0] in shown_segments for key in hidden)


def reader_columns(rows, threshold=THRESHOLD):
    """What a reader can follow for the question: the overall column, each university
    column shown (``threshold`` respondents or more), and the overall minus those."""
    columns = {}
    for segment, question, _row, choice, _value, count in rows:
        if question == QUESTION and not segment.startswith(batches.MARGIN_PREFIX):
            columns.setdefault(segment, {})[(choice, "")] = count
    shown = {
        segment: column
        for segment, column in columns.items()
        if segment == "" or column.get(("", ""), 0) >= threshold
    }
    derived = dict(shown[""])
    for segment, column in shown.items():
        if segment:
            for key, count in column.items():
                derived[key] = derived.get(key, 0) - count
    return {**shown, "overall minus shown": derived}


def test_a_lone_newcomer_in_a_small_university_is_not_exposed_by_the_overall():
    """The attack that found it: the friend, alone in a new university, answers "c" while
    five people of a big university answer "a". Before: the big column had moved by a batch
    and the small one, hidden both times, was left out of the check, so the university
    cross-tab moved and the overall's change minus the big column's was the friend's
    answer ("c" +1). Now the rest a reader derives must move by a batch too: it waits."""
    people = [(0, "a")] * 40 + [(0, "b")] * 45 + [(1, "a")] * 12 + [(1, "c")] * 10
    published = batches.publish(None, tally_rows(people), QUESTIONNAIRE, THRESHOLD, K).rows
    later = people + [(7, "c")] + [(0, "a")] * 5
    moved = batches.publish(published, tally_rows(later), QUESTIONNAIRE, THRESHOLD, 5).rows
    before, after = reader_columns(published), reader_columns(moved)
    for name in before.keys() | after.keys():
        assert batches.moves_in_batches(
            before.get(name, {}), after.get(name, {}), one_count=True, batch=5
        ), (name, before.get(name), after.get(name))
