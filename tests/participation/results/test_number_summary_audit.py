"""A number question's public mean and median, audited by an attacker who tries every count.

A number question publishes its respondents, mean and (low) median, no distribution. For
whole-number answers in a small range, this attacker, written apart from the disclosure
step, lists every way the answers could be counted that agrees with what is published and
reads off how many could have given each answer: wherever a few (fewer than the threshold)
gave an answer, the summary must be withheld, or that number must be able to move by the
threshold (``participation.results.feasibility.summary_pins_a_count``).
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from participation.questions.choices import QuestionType
from participation.questions.schema import Question
from participation.results import aggregates
from tests.helpers.disclosure_attacker import THRESHOLD


def published_summary(counts, high):
    """What the public reads of a 0–``high`` whole-number question answered as ``counts``."""
    question = Question(
        id="hours",
        type=QuestionType.NUMBER,
        label="ساعت",
        min_value=0,
        max_value=high,
        whole_numbers=True,
    )
    tally = {("hours", "", "", ""): sum(counts)}
    tally.update(
        {("hours", "", "", str(value)): count for value, count in enumerate(counts) if count}
    )
    result = aggregates.question_result(question, tally, public=True, threshold=THRESHOLD)
    return result.respondents, result.summary


def every_counting(respondents, mean, median, high):
    """Every ``(n_0, …, n_high)`` that gives the published respondents, mean and median."""
    total = round(mean * respondents)
    below = (respondents - 1) // 2
    for rest in itertools.product(range(respondents + 1), repeat=high):
        zeros = respondents - sum(rest)
        if zeros < 0:
            continue
        counts = (zeros, *rest)
        if sum(value * count for value, count in enumerate(counts)) != total:
            continue
        before = sum(counts[:median])
        if before <= below and before + counts[median] > below:  # The lower middle answer.
            yield counts


@settings(max_examples=200, deadline=None)
@given(
    high=st.integers(1, 3),
    data=st.data(),
)
def test_no_answer_given_by_a_few_is_counted_by_the_summary(high, data):
    counts = data.draw(
        st.lists(st.integers(0, 40), min_size=high + 1, max_size=high + 1).filter(
            lambda drawn: sum(drawn) >= THRESHOLD
        )
    )
    respondents, summary = published_summary(counts, high)
    assert respondents == sum(counts)
    if summary is None:
        return  # Withheld: nothing to read.
    countings = list(every_counting(respondents, summary.mean, summary.median, high))
    assert tuple(counts) in countings
    for value, count in enumerate(counts):
        if 0 < count < THRESHOLD:
            possible = [counting[value] for counting in countings]
            assert max(possible) - min(possible) >= THRESHOLD, (counts, value, possible)


def test_attacker8s_sixty_eight_answers_withhold_the_summary():
    assert published_summary([63, 4, 1], 2) == (68, None)


def test_a_spread_of_answers_keeps_its_summary():
    respondents, summary = published_summary([20, 15, 10, 15], 3)
    assert summary.mean == (15 + 20 + 45) / 60
    assert summary.median == 1


def test_attacker9s_odd_ones_withhold_the_summary():
    """27 answers of 0–2, mean 1.22 (sum 33), median 2: the 1s are odd, at most 5 — 1, 3 or
    5, though a linear program allows 0 to 5."""
    assert published_summary([10, 1, 16], 2) == (27, None)
