"""Disclosure audit: nothing published lets anyone work a hidden small group back out.

The audit plays the attacker with linear programming: every hidden count is a variable, every
published figure an equation (a line of a table adding up to its total, a mean of an integer
scale fixing Σ value × count), counts are non-negative, and :func:`scipy.optimize.linprog`
minimises and maximises each hidden count that is small (primary). Its feasible range must stay
at least the threshold wide. Then the three attacks of issue 16, through the public page and
``/api/v2/``: subtracting cross-tab columns from the overall count, solving for hidden cells
with the mean, and differencing live results before and after one response.
"""

import re

import numpy as np
import pytest
from django.core.cache import cache
from scipy.optimize import linprog

from participation.choices import ResultsVisibility
from participation.questions.schema import read_questions
from participation.results import disclosure
from participation.results.disclosure import ALL, RESPONDENTS, Column, Table
from tests.participation.results_fixtures import make_survey, respond, seeded

pytest_plugins = ["tests.participation.results_fixtures"]

THRESHOLD = 5
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,")


# ---- The attacker -----------------------------------------------------------------------------


def feasible_ranges(values, lines, hidden, targets, extra=()):
    """``{key: (low, high)}`` of each target from the published figures, by linear programming.

    Args:
        values: every count, hidden or not (only the published ones are used as numbers).
        lines: ``[(total, [members])]`` equations.
        hidden: the keys the public does not see (the variables).
        targets: the hidden keys to bound.
        extra: more equations ``({key: coefficient}, right-hand side)`` over all keys, such
            as a published mean.
    """
    variables = sorted(hidden, key=repr)
    index = {key: position for position, key in enumerate(variables)}
    rows, rhs = [], []

    def add(coefficients, constant):
        row = np.zeros(len(variables))
        for key, coefficient in coefficients.items():
            if key in index:
                row[index[key]] += coefficient
            else:
                constant -= coefficient * values[key]
        if row.any():
            rows.append(row)
            rhs.append(constant)

    for total, members in lines:
        coefficients = _sum_of(members)
        coefficients[total] = coefficients.get(total, 0) - 1
        add(coefficients, 0)
    for coefficients, constant in extra:
        add(coefficients, constant)
    ranges = {}
    for key in targets:
        objective = np.zeros(len(variables))
        objective[index[key]] = 1
        bounds = {
            "A_eq": np.array(rows) if rows else None,
            "b_eq": np.array(rhs) if rows else None,
            "bounds": [(0, None)] * len(variables),
            "method": "highs",
        }
        low = linprog(objective, **bounds)
        high = linprog(-objective, **bounds)
        assert low.status == 0, low.message
        assert high.status in (0, 3), high.message  # 3: unbounded above.
        ranges[key] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return ranges


def _sum_of(members):
    coefficients = {}
    for member in members:
        coefficients[member] = coefficients.get(member, 0) + 1
    return coefficients


def narrow(ranges, threshold=THRESHOLD):
    """The hidden counts whose feasible range is narrower than the threshold."""
    return {key: bounds for key, bounds in ranges.items() if bounds[1] - bounds[0] < threshold}


# ---- Random tables ----------------------------------------------------------------------------


def random_table(rng, *, respondents, partition, scale):
    """A question answered by ``respondents`` people spread over roles and universities."""
    options = scale or rng.randint(2, 6)
    groups = {"role": rng.randint(1, 4), "university": rng.randint(0, 5)}
    people = []
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
            if members:
                columns.append(column(f"{by}:{place}", members))
        if columns:
            table_groups[by] = columns
    return Table(key="q", overall=column(ALL, people), groups=table_groups, partition=partition)


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
        overall=Column(ALL, 27, [15, 10, 0]),
        groups={
            "role": [
                Column("role:student", 12, [7, 5, 0]),
                Column("role:faculty", 11, [6, 5, 0]),
                Column("role:staff", 4, [2, 2, 0]),
            ]
        },
    )
    values, lines = disclosure.table_values_and_lines(table)
    # Yesterday's rule: the small staff column hidden on its own, everything else shown.
    old_hidden = {key for key in values if key[1] in {"role:staff", f"role{disclosure.REST}"}}
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


# ---- The three attacks, through the page and the API ------------------------------------------


def page_numbers(response, question_code):
    """The cross-tab a results page shows for a question: ``{column: {row: count|None}}``."""
    for section in response.context["sections"]:
        if section.question.code != question_code:
            continue
        (table,) = [t for t in section.crosstabs if t["by"] == "role"]
        grid = {}
        for position, column in enumerate(table["columns"]):
            grid[column["label"]] = {
                row["label"]: _number_in(row["cells"][position]) for row in table["rows"]
            }
            grid[column["label"]]["respondents"] = _number_in(column["respondents"])
        return section, grid
    raise AssertionError(question_code)


def _number_in(text):
    """The count in a cell's text ("۴۲٪ (۷)" → 7, "۷" → 7), ``None`` when hidden."""
    text = str(text).translate(PERSIAN_DIGITS)
    found = re.search(r"\((\d+)\)", text) or re.fullmatch(r"\s*(\d+)\s*", text)
    return int(found.group(1)) if found else None


def api_results(client, page):
    cache.clear()  # The attacker waits out any cache.
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    return {q["id"]: q for q in response.json()["results"]["questions"]}


@pytest.fixture
def crosstab_survey(results_index):
    """The issue's first attack: 2 staff beside 12 students and 11 faculty members."""
    page = make_survey(results_index, slug="crosstab-attack")
    for role, statuses in (
        ("student", [0] * 7 + [1] * 5),
        ("faculty", [0] * 6 + [1] * 5),
        ("staff", [0, 0]),
    ):
        for status in statuses:
            respond(page, role=role, status=status, good=3)
    return page


@pytest.mark.django_db
def test_overall_minus_faculty_minus_students_gives_no_staff_count(client, crosstab_survey):
    cache.clear()
    response = client.get(crosstab_survey.url + "results/")
    assert response.status_code == 200
    section, grid = page_numbers(response, "status")
    choices = [choice.label for choice in section.question.choices]
    overall = {cell.label: cell.count for cell in section.result.choices}
    students, faculty, staff = grid["دانشجو"], grid["عضو هیئت علمی"], grid["کارمند"]
    assert all(count is None for count in staff.values())
    # The staff column is hidden; its counts cannot be had by subtraction either: for every
    # choice, at least one of the three other figures of the line is hidden too.
    for label in choices[:2]:
        known = [overall[label], students[label], faculty[label]]
        assert None in known, (label, known)
    # And the API shows the same overall counts, hidden where the page hides them.
    question = read_questions(crosstab_survey.questions).by_code()["status"]
    api = api_results(client, crosstab_survey)[question.id]
    assert [cell["count"] for cell in api["choices"]] == [overall[label] for label in choices]


@pytest.mark.django_db
def test_the_mean_beside_hidden_counts_is_withheld_on_the_page_and_the_api(client, results_survey):
    # "good": 2 answer 1, 10 answer 3, 10 answer 4, 3 answer 5. With the mean, the hidden
    # 2 and 3 were fixed: a + b = 5 and a + 5b = 87 − 70.
    for good, times in ((1, 2), (3, 10), (4, 10), (5, 3)):
        for _ in range(times):
            respond(results_survey, good=good)
    question = read_questions(results_survey.questions).by_code()["good"]
    api = api_results(client, results_survey)[question.id]
    counts = [cell["count"] for cell in api["distribution"]]
    assert counts[0] is None and counts[4] is None
    assert api["summary"] is None or api["summary"]["mean"] is None
    cache.clear()
    response = client.get(results_survey.url + "results/")
    section = next(s for s in response.context["sections"] if s.question.code == "good")
    assert section.summary == [] and section.summary_withheld
    assert "۳٫۴۸" not in response.content.decode()  # The mean, 87 / 25.
    # From what is published, each hidden count spans at least the threshold.
    values = {("q", ALL, v): c for v, c in enumerate(counts)}
    values[("q", ALL, RESPONDENTS)] = api["respondents"]
    hidden = {key for key, count in values.items() if count is None}
    values.update(dict.fromkeys(hidden, 0))
    lines = [(("q", ALL, RESPONDENTS), [("q", ALL, v) for v in range(5)])]
    assert not narrow(feasible_ranges(values, lines, hidden, sorted(hidden, key=repr)))


@pytest.mark.django_db
def test_one_new_response_changes_nothing_public_until_a_batch_is_in(
    client, results_index, settings
):
    settings.HADAF_RESULTS_MIN_GROUP = THRESHOLD
    page = make_survey(
        results_index,
        slug="live-differencing",
        results_visibility=ResultsVisibility.LIVE,
        results_published=False,
    )
    for _ in range(10):
        respond(page, good=3)
    question = read_questions(page.questions).by_code()["good"]
    before_api = api_results(client, page)[question.id]
    before_page = page_summary(client, page)
    assert before_api["summary"]["mean"] == 3 and before_page[0] == 10

    respond(page, good=5)  # The one answer the attacker wants.
    # 11 × 3.18 − 10 × 3 = 5 no more: the page and the API have not moved.
    assert api_results(client, page)[question.id] == before_api
    assert page_summary(client, page) == before_page

    for _ in range(THRESHOLD - 1):
        respond(page, good=3)
    # Now a batch of five is in: what changed is the sum of five answers, never one.
    assert api_results(client, page)[question.id]["respondents"] == 10 + THRESHOLD
    assert page_summary(client, page)[0] == 10 + THRESHOLD


def page_summary(client, page):
    """What the results page says of "good": the responses, its counts and its mean."""
    cache.clear()
    response = client.get(page.url + "results/")
    section = next(s for s in response.context["sections"] if s.question.code == "good")
    counts = [cell.count for cell in section.result.distribution]
    return response.context["results"].responses, counts, section.summary


@pytest.mark.django_db
def test_public_figures_are_read_from_the_snapshot_in_one_query(
    client, results_survey, django_assert_num_queries
):
    for _ in range(6):
        respond(results_survey)
    from pages.models import SurveyCampaignPage
    from participation.results import aggregates

    pages = list(SurveyCampaignPage.objects.filter(pk=results_survey.pk))
    aggregates.public_tallies(pages)  # Takes the first snapshot.
    with django_assert_num_queries(1):
        tallies = aggregates.public_tallies(pages)
    assert tallies[results_survey.call_key].segment(ALL)[("", "", "", "")] == 6
