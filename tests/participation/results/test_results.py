"""Aggregates from tallies: counts, percentages, means, medians, cross-tabs, suppression."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from participation.choices import ResultsVisibility
from participation.questions.schema import read_questions
from participation.results import aggregates
from participation.results.aggregates import (
    can_see_results,
    crosstab,
    mean_of,
    median_of,
    results_visible_to_public,
    suppressed_indices,
    survey_results,
)
from participation.results.charts import cells_chart, hidden_text, percent_text
from participation.submissions.services import set_counted
from tests.helpers.results import make_survey, respond
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def by_code(results):
    return {result.question.code: result for result in results.questions}


def test_mean_and_median_of_distributions():
    assert mean_of({}) is None and median_of({}) is None
    assert mean_of({1: 1, 2: 1, 6: 1}) == 3
    assert median_of({1: 1, 2: 1, 6: 1}) == 2
    assert median_of({1: 2, 5: 2}) == 3  # Even count: mean of the two middle values.
    assert median_of({2.5: 1, 10: 3}) == 10


def test_secondary_suppression_hides_a_second_cell_of_a_partition():
    assert suppressed_indices([10, 3, 0, 8], 5) == {1}
    # The hidden counts but the largest must add up to the threshold (disclosure.suppress):
    # with 3 and 8 alone, the 8 could move by only 3.
    assert suppressed_indices([10, 3, 0, 8], 5, partition=True) == {0, 1, 3}
    hidden = suppressed_indices([10, 3, 2, 8], 5, partition=True)
    assert {1, 2} < hidden and len(hidden) == 3  # One more: 2 + 3 alone could not move by 5.
    assert suppressed_indices([10, 0, 8], 5, partition=True) == set()


def test_the_rule_stopping_does_not_say_every_hidden_count_is_small():
    """attacker14: (0, hidden, hidden, hidden) of 8 respondents said each hidden count was
    at most 8 − 5 = 3, since the rule stops once the hidden counts but the largest add up
    to 5; likewise (0, h, h, h, 7) of 15."""
    for counts in ([0, 2, 3, 3], [0, 2, 3, 3, 7], [2, 2, 3, 9, 9], [1, 0, 0, 4, 12]):
        hidden = suppressed_indices(counts, 5, partition=True)
        if len(hidden) < len(counts):  # A count left shown: the rule was met.
            assert sum(counts[index] for index in hidden) >= 10, (counts, hidden)


def test_which_complement_is_hidden_does_not_depend_on_its_size():
    """attacker13: hiding the smallest shown count next told that the hidden ones were no
    larger than those left shown ((0, h, h, 7, h) of 25 could only be 0, 7, 7, 7, 4)."""
    for first, second in [(10, 8), (8, 10), (6, 40), (40, 6)]:
        hidden = suppressed_indices([first, 3, 2, second], 5, partition=True)
        assert hidden == suppressed_indices([second, 3, 2, first], 5, partition=True)


def test_editor_results_have_exact_counts_percentages_means_and_medians(results_survey):
    for status, good, dull, hours in [(0, 5, 1, 10), (0, 4, 2, 20), (1, 4, 2, 30), (2, 1, 5, None)]:
        respond(results_survey, status=status, good=good, dull=dull, hours=hours, likes=(0, 1))
    respond(results_survey, status=None, good=None, likes=(), prio=(2, 0), grid=(5,))

    results = survey_results(results_survey, public=False)
    assert results.responses == 5 and not results.withheld
    q = by_code(results)

    status = q["status"]
    assert status.respondents == 4
    assert [(c.label, c.count, c.percent) for c in status.choices] == [
        ("الف", 2, 50.0),
        ("ب", 1, 25.0),
        ("ج", 1, 25.0),
    ]
    assert [c.count for c in q["likes"].choices] == [4, 4, 0]
    assert q["likes"].choices[0].percent == 100.0  # Of respondents, so choices may add past 100.

    good = q["good"]
    assert good.respondents == 4
    assert [c.count for c in good.distribution] == [1, 0, 0, 2, 1]
    assert good.summary.mean == pytest.approx(3.5) and good.summary.median == 4
    assert good.summary.reverse_mean is None

    dull = q["dull"]  # Reverse-coded: the reverse-scored mean is 6 − x.
    assert dull.summary.mean == pytest.approx(12 / 5)
    assert dull.summary.reverse_mean == pytest.approx(6 - 12 / 5)
    assert dull.summary.reverse_median == 4

    hours = q["hours"]
    assert hours.respondents == 4 and hours.distribution == []  # 10, 20, 30 and 10.
    assert hours.summary.mean == 17.5 and hours.summary.median == 15

    grid = q["grid"]
    first, second = grid.rows
    assert first.respondents == 5 and second.respondents == 4
    assert [c.count for c in first.distribution] == [0, 0, 4, 0, 1]
    assert first.summary.mean == pytest.approx(17 / 5) and first.summary.median == 3
    assert second.summary.mean == 4

    ranks = {rank.label: rank for rank in q["prio"].ranks}
    assert ranks["خوابگاه"].count == 5 and ranks["خوابگاه"].mean_rank == pytest.approx(6 / 5)
    assert ranks["فرهنگ"].mean_rank == pytest.approx((3 * 4 + 1) / 5)
    assert q["prio"].ranks[0].label == "خوابگاه"  # Best mean rank first.

    text = q["field"]
    assert text.respondents == 5
    assert (text.choices, text.distribution, text.summary, text.rows) == ([], [], None, [])
    assert q["when"].respondents == 0


def test_public_results_are_withheld_below_the_threshold(results_survey, settings):
    settings.HADAF_RESULTS_MIN_GROUP = 5
    for _ in range(4):
        respond(results_survey)
    public = survey_results(results_survey, public=True)
    assert public.withheld and public.questions == [] and public.responses_shown is None
    assert not survey_results(results_survey, public=False).withheld


def test_public_results_suppress_small_cells_and_small_questions(results_survey, settings):
    settings.HADAF_RESULTS_MIN_GROUP = 5
    for index in range(12):
        respond(
            results_survey,
            status=0 if index < 9 else 1 if index < 11 else 2,
            good=4,
            hours=10 if index < 3 else None,  # Only 3 answered: too few to show.
            likes=(0,) if index < 6 else (0, 1),
        )
    results = survey_results(results_survey, public=True)
    assert not results.withheld and results.any_suppressed
    q = by_code(results)
    status = q["status"].choices
    # 2 and 1 are hidden, and so is 9: with 9 shown, 12 − 9 says the two hidden add up to 3,
    # so each would be known to lie within 0–3, narrower than the threshold.
    assert [c.suppressed for c in status] == [True, True, True]
    assert all(c.count is None and c.percent is None for c in status)
    likes = q["likes"].choices
    assert [c.count for c in likes] == [12, 6, 0]  # Zero is shown, not suppressed.
    good = q["good"].distribution
    assert [c.count for c in good] == [0, 0, 0, 12, 0]
    hours = q["hours"]
    assert hours.suppressed and hours.respondents is None and hours.summary is None

    with translation.override("fa"):
        chart = cells_chart("c", "وضعیت", q["status"].choices, 5)
        hidden = hidden_text()
        good_chart = cells_chart("g", "خوب", q["good"].distribution, 5)
    assert [bar.value_text for bar in chart.bars] == [hidden, hidden, hidden]
    assert [bar.share for bar in chart.bars] == [0, 0, 0]
    assert good_chart.bars[3].value_text == "۱۰۰٪ (۱۲)"
    assert good_chart.bars[3].width_css == "100.0"


def test_crosstab_by_role_and_university(results_survey, settings):
    settings.HADAF_RESULTS_MIN_GROUP = 5
    for _ in range(6):
        respond(results_survey, role="student", university="دانشگاه تهران", status=0)
    for _ in range(2):
        respond(results_survey, role="faculty", university="دانشگاه تهران", status=1)
    questionnaire = read_questions(results_survey.questions)
    status = questionnaire.by_code()["status"]

    editor_view = crosstab(results_survey, status, "role", public=False)
    columns = {column.segment: column for column in editor_view.columns}
    assert set(columns) == {"role:student", "role:faculty"}
    assert [c.count for c in columns["role:student"].cells] == [6, 0, 0]
    assert [c.count for c in columns["role:faculty"].cells] == [0, 2, 0]
    assert columns["role:student"].label in {"Student", "دانشجو"}

    public_view = crosstab(results_survey, status, "role", public=True)
    columns = {column.segment: column for column in public_view.columns}
    assert columns["role:faculty"].suppressed and columns["role:faculty"].respondents is None
    # Hidden too: the 8 who answered minus the 6 students would give the 2 faculty away.
    assert columns["role:student"].respondents is None
    assert public_view.any_suppressed
    assert len(public_view.rows) == 3

    universities = crosstab(results_survey, status, "university", public=True)
    (column,) = universities.columns
    assert column.label == "دانشگاه تهران"
    # 2 is hidden, and so is 6 (8 − 6 would give the 2 away), and with them the column's
    # respondents, the overall count of everyone: 8.
    assert [c.count for c in column.cells] == [None, None, None]


def test_excluded_submissions_leave_results(results_survey):
    submissions = [respond(results_survey, status=0) for _ in range(3)]
    questionnaire = read_questions(results_survey.questions)
    set_counted(submissions[0], questionnaire, counted=False)
    results = survey_results(results_survey, public=False)
    assert results.responses == 2
    assert by_code(results)["status"].choices[0].count == 2


def test_one_query_whatever_the_number_of_responses(results_survey, django_assert_num_queries):
    for _ in range(3):
        respond(results_survey)
    questionnaire = read_questions(results_survey.questions)
    with django_assert_num_queries(1):
        tallies = aggregates.load_tallies(results_survey)
        survey_results(results_survey, public=True, tallies=tallies, questionnaire=questionnaire)
        for question in questionnaire.questions:
            if aggregates.crosstab_options(question):
                crosstab(results_survey, question, "role", public=True, tallies=tallies)


def test_percent_text_is_in_persian_digits():
    assert percent_text(42.0, "fa") == "۴۲٪"
    assert percent_text(7.5, "fa") == "۷٫۵٪"
    assert percent_text(42.0, "en") == "42%"


@pytest.mark.parametrize(
    ("visibility", "published", "opens_in_days", "expected"),
    [
        (ResultsVisibility.WHEN_PUBLISHED, False, -1, False),
        (ResultsVisibility.WHEN_PUBLISHED, True, -1, True),
        (ResultsVisibility.LIVE, False, -1, True),
        (ResultsVisibility.LIVE, False, 2, False),
        (ResultsVisibility.NEVER, True, -1, False),
    ],
)
def test_results_visible_to_public(results_index, visibility, published, opens_in_days, expected):
    page = make_survey(
        results_index,
        slug=f"v-{visibility}-{published}-{opens_in_days}",
        results_visibility=visibility,
        results_published=published,
        opens_at=timezone.now() + datetime.timedelta(days=opens_in_days),
    )
    assert results_visible_to_public(page) is expected


def test_editors_always_see_results_others_only_when_public(results_index, results_editor):
    page = make_survey(results_index, results_visibility=ResultsVisibility.NEVER)
    assert can_see_results(results_editor, page)
    assert not can_see_results(UserFactory(), page)
    assert not can_see_results(AnonymousUser(), page)
