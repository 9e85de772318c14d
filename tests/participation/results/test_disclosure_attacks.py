"""The three attacks of issue 16, through the public results page and ``/api/v2/``.

Subtracting cross-tab columns from the overall count, solving for hidden counts with the
mean, and differencing live results before and after one response. Each fails on the code
before disclosure control (``participation.results.disclosure``).
"""

import re

import pytest
from django.core.cache import cache

from participation.choices import ResultsVisibility
from participation.questions.schema import read_questions
from participation.results import aggregates
from tests.helpers.disclosure_attacker import THRESHOLD, feasible_ranges, narrow
from tests.helpers.results import make_survey, respond

ALL, RESPONDENTS = "", "n"
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,")


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
def test_public_figures_are_read_from_the_snapshot_in_two_queries(
    client, results_survey, django_assert_num_queries
):
    """The snapshot, and the call's page in the default language whose rules its
    translations' figures follow (``disclosure.governing_questionnaire``)."""
    for _ in range(6):
        respond(results_survey)
    from pages.models import SurveyCampaignPage
    from participation.results import aggregates

    pages = list(SurveyCampaignPage.objects.filter(pk=results_survey.pk))
    aggregates.public_tallies(pages)  # Takes the first snapshot.
    with django_assert_num_queries(2):
        tallies = aggregates.public_tallies(pages)
    assert tallies[results_survey.call_key].segment(ALL)[("", "", "", "")] == 6


def _edit(page, submission, **kwargs):
    """The participant re-saves their response with ``kwargs`` as answers (the edit form's
    service)."""
    from participation.submissions.services import update_response
    from tests.helpers.results import answers

    questionnaire = read_questions(page.questions)
    update_response(page, submission, answers(questionnaire, **kwargs), questionnaire)


@pytest.mark.django_db
@pytest.mark.parametrize("noop", [True, False], ids=["no-op-edits", "real-edits"])
def test_edits_cannot_fill_the_batch_before_a_victim_submits(client, results_index, settings, noop):
    # The issue's fourth attack: every edit counted as two changes, so one participant
    # re-saving the same answers filled the batch, a victim's submission tipped it, and the
    # next snapshot differed from the last by the victim's answer alone.
    settings.HADAF_RESULTS_MIN_GROUP = THRESHOLD
    page = make_survey(
        results_index,
        slug="edit-padding",
        results_visibility=ResultsVisibility.LIVE,
        results_published=False,
    )
    attacker = respond(page, good=3)
    for _ in range(9):
        respond(page, good=3)
    question = read_questions(page.questions).by_code()["good"]
    before_api = api_results(client, page)[question.id]
    before_page = page_summary(client, page)
    assert before_page[0] == 10
    # Each edit was two changes: pad the batch to one short, so that the victim tips it.
    for edit in range((THRESHOLD - 1) // 2):
        _edit(page, attacker, good=3 if noop else 4 + edit)
        api_results(client, page)  # A reader's request after each edit.
    respond(page, good=5)  # The victim.
    assert api_results(client, page)[question.id] == before_api
    assert page_summary(client, page) == before_page
    for _ in range(THRESHOLD - 2):
        respond(page, good=3)
        _edit(page, attacker, good=3)
        assert api_results(client, page)[question.id] == before_api
        assert page_summary(client, page) == before_page
    respond(page, good=3)  # The k-th distinct new response.
    assert api_results(client, page)[question.id]["respondents"] == 10 + THRESHOLD
    assert page_summary(client, page)[0] == 10 + THRESHOLD


@pytest.mark.django_db
def test_a_no_op_edit_does_not_touch_the_tallies(results_survey):
    from participation.submissions.models import AnswerTally

    submission = respond(results_survey, good=3)
    before = sorted(
        AnswerTally.objects.values_list(
            "segment", "question_id", "row_id", "choice_id", "value", "count"
        )
    )
    _edit(results_survey, submission, good=3)
    after = sorted(
        AnswerTally.objects.values_list(
            "segment", "question_id", "row_id", "choice_id", "value", "count"
        )
    )
    assert after == before
    _edit(results_survey, submission, good=4)  # A real edit still moves them.
    assert (
        sorted(
            AnswerTally.objects.values_list(
                "segment", "question_id", "row_id", "choice_id", "value", "count"
            )
        )
        != before
    )


@pytest.mark.django_db
def test_a_follow_ups_respondents_per_university_do_not_pin_a_hidden_count(client, results_index):
    # The issue's fifth attack: Mashhad's "never" (4) was hidden, but 21 answered the parent
    # and 17 the follow-up shown to everyone else: 21 − 17 = 4.
    from pages.models import SurveyCampaignPage
    from participation.questions.blocks import QuestionStreamBlock
    from participation.submissions.models import Answer
    from tests.helpers.results import make_survey

    page = make_survey(results_index, slug="show-if-attack")
    block = QuestionStreamBlock()
    questions = [
        (
            "single_choice",
            {
                "label": "چند وقت یک بار؟",
                "code": "often",
                "choices": [{"label": "هرگز"}, {"label": "گاهی"}, {"label": "اغلب"}],
            },
        ),
        (
            "likert",
            {
                "label": "راضی هستید؟",
                "code": "happy",
                "points": "5",
                "required": True,
                "show_if": {"question_code": "often", "answer_in": "گاهی، اغلب"},
            },
        ),
    ]
    page.questions = block.to_python(  # Block ids given, as an editor's saved form has them.
        [
            {"type": kind, "value": value, "id": f"a0000000-0000-4000-8000-00000000000{n}"}
            for n, (kind, value) in enumerate(questions)
        ]
    )
    page.save_revision().publish()
    page = SurveyCampaignPage.objects.get(pk=page.pk)
    questionnaire = read_questions(page.questions)
    often, happy = questionnaire.by_code()["often"], questionnaire.by_code()["happy"]
    assert happy.condition is not None and len(happy.condition.answers) == 2
    for university, spread in (("مشهد", (4, 10, 7)), ("تهران", (6, 20, 13))):
        for choice, times in enumerate(spread):
            for _ in range(times):
                rows = [Answer(question_id=often.id, choice_id=often.choices[choice].id)]
                if choice:
                    rows.append(Answer(question_id=happy.id, number=3))
                respond(page, university=university, answer_rows=rows)
    cache.clear()
    response = client.get(page.url + "results/")
    assert response.status_code == 200
    known = {}
    for section in response.context["sections"]:
        (table,) = [t for t in section.crosstabs if t["by"] == "university"]
        for column in table["columns"]:
            if "مشهد" in str(column["label"]):
                known[section.question.code] = _number_in(column["respondents"])
    # Both respondents shown would give the hidden 4 away.
    assert known["often"] is None or known["happy"] is None, known


def live_survey(results_index, slug, settings):
    settings.HADAF_RESULTS_MIN_GROUP = THRESHOLD
    return make_survey(
        results_index,
        slug=slug,
        results_visibility=ResultsVisibility.LIVE,
        results_published=False,
    )


@pytest.mark.django_db
def test_an_optional_question_moves_only_by_a_batch_of_its_own_answers(
    client, results_index, settings
):
    # The call's batch was full (ten new responses), but only the victim answered the
    # optional "good": 11 × 3.18 − 10 × 3 = 5 was their answer.
    page = live_survey(results_index, "optional-differencing", settings)
    for _ in range(10):
        respond(page, good=3)
    question = read_questions(page.questions).by_code()["good"]
    before_api = api_results(client, page)[question.id]
    before_page = page_summary(client, page)
    respond(page, good=5)  # The victim.
    for _ in range(2 * THRESHOLD):
        respond(page, good=None)
    after_page = page_summary(client, page)
    assert after_page[0] == 11 + 2 * THRESHOLD  # The call's figures moved…
    assert api_results(client, page)[question.id] == before_api  # …"good" did not.
    assert after_page[1:] == before_page[1:]
    for _ in range(THRESHOLD - 1):
        respond(page, good=3)
    respond(page, good=None)  # The call's next batch: now "good" has a batch of its own.
    moved = api_results(client, page)[question.id]
    assert moved["respondents"] == 10 + THRESHOLD
    assert page_summary(client, page)[1] != before_page[1]


@pytest.mark.django_db
def test_one_new_staff_member_among_a_batch_does_not_move_the_staff_column(
    client, results_index, settings
):
    # Five new responses fill the call's batch, but the staff column of the cross-tab
    # gains one: its change was that staff member's answer.
    page = live_survey(results_index, "segment-differencing", settings)
    for role, status in [("staff", 0)] * 6 + [("staff", 1)] * 6 + [("student", 0)] * 12:
        respond(page, role=role, status=status)
    cache.clear()
    _section, before = page_numbers(client.get(page.url + "results/"), "status")
    respond(page, role="staff", status=2)  # The victim.
    for _ in range(THRESHOLD - 1):
        respond(page, role="student", status=0)
    cache.clear()
    response = client.get(page.url + "results/")
    assert response.context["results"].responses == 24 + THRESHOLD
    _section, after = page_numbers(response, "status")
    assert after == before


def _exclude(page, submission, counted=False):
    from participation.submissions.services import set_counted

    set_counted(submission, read_questions(page.questions), counted=counted)


@pytest.mark.django_db
def test_an_exclusion_is_not_shown_by_the_next_batch_of_responses(client, results_index, settings):
    # An editor excludes one response; the next batch of new responses (five more than
    # the one excluded) retook the snapshot, and the answer whose count went down was the
    # excluded person's: "ج" 6 → 5.
    page = live_survey(results_index, "exclusion-differencing", settings)
    for status in [0] * 10 + [1] * 10 + [2] * 5:
        respond(page, status=status)
    victim = respond(page, status=2)
    question = read_questions(page.questions).by_code()["status"]
    before = api_results(client, page)[question.id]
    assert [choice["count"] for choice in before["choices"]] == [10, 10, 6]
    _exclude(page, victim)
    for _ in range(THRESHOLD + 1):
        respond(page, status=0)
    after = api_results(client, page)
    assert after[question.id] == before
    good = read_questions(page.questions).by_code()["good"]
    assert after[good.id]["respondents"] == 26 - 1 + THRESHOLD + 1  # Others moved.


def test_a_number_questions_mean_is_withheld_when_few_answered_otherwise(client, results_survey):
    """attacker4, survey 28: 57 of 60 answered 0 to a 0–1 question and the published mean,
    0.05, said exactly 3 answered 1. Through the API as the public sees it."""
    for index in range(12):
        respond(results_survey, hours=1 if index < 3 else 0)
    hours = read_questions(results_survey.questions).by_code()["hours"]
    published = api_results(client, results_survey)[hours.id]
    assert published["respondents"] == 12
    assert published["summary"] is None
    editors = aggregates.survey_results(results_survey, public=False)
    (seen,) = [q for q in editors.questions if q.question.id == hours.id]
    assert seen.summary.mean == pytest.approx(0.25)  # Editors see every number.


def test_a_number_questions_mean_is_shown_when_enough_answered_otherwise(client, results_survey):
    for index in range(12):
        respond(results_survey, hours=1 if index < 5 else 0)
    hours = read_questions(results_survey.questions).by_code()["hours"]
    assert api_results(client, results_survey)[hours.id]["summary"]["mean"] == pytest.approx(
        5 / 12, abs=0.01
    )


def test_mean_ranks_are_withheld_beside_a_small_count_of_a_rank(client, results_survey):
    """attacker4, survey 26: n = 65 and a mean rank of 1.05 said 3 ranked it second."""
    for index in range(12):
        respond(results_survey, prio=(1, 0, 2) if index < 3 else (0, 1, 2))
    prio = read_questions(results_survey.questions).by_code()["prio"]
    ranks = api_results(client, results_survey)[prio.id]["ranks"]
    assert [rank["mean_rank"] for rank in ranks] == [None, None, None]
    assert [rank["count"] for rank in ranks] == [12, 12, 12]


@pytest.mark.django_db
def test_a_text_or_number_follow_ups_respondents_give_no_hidden_count_away(client, results_index):
    """attacker4, survey 26: "colour" A = 2, B = 6, C = 52 were all hidden, but a required
    text follow-up shown on B had 6 respondents and a required number follow-up shown on A
    or B had 8: B = 6, A = 8 − 6 = 2. Only choice follow-ups were linked to their parent."""
    from pages.models import SurveyCampaignPage
    from participation.questions.blocks import QuestionStreamBlock
    from participation.submissions.models import Answer

    page = make_survey(results_index, slug="follow-up-kinds")
    questions = [
        (
            "single_choice",
            {
                "label": "رنگ",
                "code": "colour",
                "choices": [{"label": "الف"}, {"label": "ب"}, {"label": "پ"}],
            },
        ),
        (
            "long_text",
            {
                "label": "چرا ب؟",
                "code": "why",
                "required": True,
                "show_if": {"question_code": "colour", "answer_in": "ب"},
            },
        ),
        (
            "number",
            {
                "label": "چند بار؟",
                "code": "times",
                "required": True,
                "show_if": {"question_code": "colour", "answer_in": "الف، ب"},
            },
        ),
    ]
    page.questions = QuestionStreamBlock().to_python(
        [
            {"type": kind, "value": value, "id": f"b0000000-0000-4000-8000-00000000000{n}"}
            for n, (kind, value) in enumerate(questions)
        ]
    )
    page.save_revision().publish()
    page = SurveyCampaignPage.objects.get(pk=page.pk)
    q = read_questions(page.questions).by_code()
    for choice, times in enumerate((2, 6, 52)):
        for index in range(times):
            rows = [Answer(question_id=q["colour"].id, choice_id=q["colour"].choices[choice].id)]
            if choice == 1:
                rows.append(Answer(question_id=q["why"].id, text="چون"))
            if choice in (0, 1):
                rows.append(Answer(question_id=q["times"].id, number=index + 10))
            respond(page, answer_rows=rows)
    published = api_results(client, page)
    colour = [choice["count"] for choice in published[q["colour"].id]["choices"]]
    why, times = published[q["why"].id]["respondents"], published[q["times"].id]["respondents"]
    assert colour[0] is None  # The 2 is hidden…
    # …and nothing published adds back up to it: not 8 − 6, not a follow-up's own count.
    assert why is None or times is None, (colour, why, times)
    if colour[1] is not None:
        assert times is None


@pytest.mark.django_db
def test_pick_at_most_one_is_a_single_choice(client, results_index):
    """attacker5, survey 33: a multiple choice with at most one pick (no minimum) showed 30
    and 27 of 60 respondents beside a hidden count: 60 − 30 − 27 = 3."""
    from pages.models import SurveyCampaignPage
    from participation.questions.blocks import QuestionStreamBlock
    from participation.submissions.models import Answer

    page = make_survey(results_index, slug="at-most-one")
    value = {
        "label": "کدام؟",
        "code": "which",
        "max_selected": 1,
        "choices": [{"label": "الف"}, {"label": "ب"}, {"label": "پ"}],
    }
    page.questions = QuestionStreamBlock().to_python(
        [{"type": "multiple_choice", "value": value, "id": "c0000000-0000-4000-8000-000000000001"}]
    )
    page.save_revision().publish()
    page = SurveyCampaignPage.objects.get(pk=page.pk)
    which = read_questions(page.questions).by_code()["which"]
    for choice, times in enumerate((3, 30, 27)):
        for _ in range(times):
            respond(
                page, answer_rows=[Answer(question_id=which.id, choice_id=which.choices[choice].id)]
            )
    published = api_results(client, page)[which.id]
    counts = [choice["count"] for choice in published["choices"]]
    assert counts[0] is None
    assert None in counts[1:], (published["respondents"], counts)  # Else 60 − 30 − 27 = 3.


def _survey_with_an_optional_tick_box(results_index, slug, options):
    """A required single choice and an optional multiple choice of ``options`` options."""
    from pages.models import SurveyCampaignPage
    from participation.questions.blocks import QuestionStreamBlock

    page = make_survey(results_index, slug=slug)
    stream = [
        {
            "type": "single_choice",
            "value": {"label": "وضعیت", "code": "status", "choices": [{"label": "الف"}]},
            "id": "c0000000-0000-4000-8000-000000000002",
        },
        {
            "type": "multiple_choice",
            "value": {
                "label": "کدام را تجربه کرده‌اید؟",
                "code": "tick",
                "required": False,
                "choices": [{"label": label} for label in ("الف", "ب", "پ")[:options]],
            },
            "id": "c0000000-0000-4000-8000-000000000003",
        },
    ]
    page.questions = QuestionStreamBlock().to_python(stream)
    page.save_revision().publish()
    return SurveyCampaignPage.objects.get(pk=page.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("options", [1, 3])
def test_those_who_skipped_an_optional_multiple_choice_are_not_a_small_group_shown(
    client, results_index, options
):
    """attacker7: skipping an optional multiple choice is picking none of it, an answer
    like any other. 57 of 60 ticked the one box: responses − respondents = 3 said "no";
    per role too (30 students, 28 of them answered: 2)."""
    from participation.submissions.models import Answer

    page = _survey_with_an_optional_tick_box(results_index, f"skipped-{options}", options)
    q = read_questions(page.questions).by_code()
    skippers = {"student": 2, "faculty": 1}
    for role in ("student", "faculty"):
        for index in range(30):
            rows = [Answer(question_id=q["status"].id, choice_id=q["status"].choices[0].id)]
            if index >= skippers[role]:
                picked = q["tick"].choices[index % options]
                rows.append(Answer(question_id=q["tick"].id, choice_id=picked.id))
            respond(page, role=role, answer_rows=rows)
    published = api_results(client, page)
    tick = published[q["tick"].id]
    assert published[q["status"].id]["respondents"] == 60  # Everyone's: the 60 are public.
    # 60 − 57 = 3: those who ticked nothing are as many as what is shown says.
    assert tick["respondents"] is None, tick
    if options == 1:
        assert tick["choices"][0]["count"] is None, tick  # Everyone who answered ticked it.
    response = client.get(page.url + "results/")
    _section, status = page_numbers(response, "status")
    _section, ticked = page_numbers(response, "tick")
    for role in status:
        shown = status[role]["respondents"], ticked[role]["respondents"]
        if None not in shown:
            assert not 0 < shown[0] - shown[1] < THRESHOLD, (role, shown)


@pytest.mark.django_db
def test_those_who_left_an_optional_consent_unticked_are_not_a_small_group_shown(
    client, results_index
):
    """attacker8, survey atk8-a: 68 responses and 65 who ticked an optional consent said 3
    did not consent; a consent's respondents are those who ticked it."""
    from pages.models import SurveyCampaignPage
    from participation.questions.blocks import QuestionStreamBlock
    from participation.submissions.models import Answer

    page = make_survey(results_index, slug="consent-unticked")
    page.questions = QuestionStreamBlock().to_python(
        [
            {
                "type": "single_choice",
                "value": {"label": "وضعیت", "code": "status", "choices": [{"label": "الف"}]},
                "id": "c0000000-0000-4000-8000-000000000004",
            },
            {
                "type": "consent",
                "value": {"label": "موافقم", "code": "agree", "required": False},
                "id": "c0000000-0000-4000-8000-000000000005",
            },
        ]
    )
    page.save_revision().publish()
    page = SurveyCampaignPage.objects.get(pk=page.pk)
    q = read_questions(page.questions).by_code()
    for index in range(60):
        rows = [Answer(question_id=q["status"].id, choice_id=q["status"].choices[0].id)]
        if index >= 3:
            rows.append(Answer(question_id=q["agree"].id, number=1))
        respond(page, role="student", answer_rows=rows)
    published = api_results(client, page)
    assert published[q["status"].id]["respondents"] == 60
    assert published[q["agree"].id]["respondents"] is None  # Else 60 − 57 = 3 did not.


@pytest.mark.django_db
def test_a_number_questions_median_is_a_value_someone_gave(client, results_survey):
    """attacker8, survey atk8-b: 0–2, 60 answers, median 0.5 and mean 0.55: the median
    said exactly 30 answered 0, the mean then n1 + 2 × n2 = 33 with n1 + n2 = 30: n2 = 3.
    The public median is the lower middle value: at least 30 answered 0, no more."""
    for hours in [0] * 30 + [1] * 27 + [2] * 3:
        respond(results_survey, hours=hours)
    question = read_questions(results_survey.questions).by_code()["hours"]
    published = api_results(client, results_survey)[question.id]
    assert published["summary"]["median"] == 0, published
    editor = aggregates.survey_results(results_survey, public=False)
    (hours,) = [r for r in editor.questions if r.question.id == question.id]
    assert hours.summary.median == 0.5  # Editors see every number, the usual median.


@pytest.mark.django_db
def test_a_number_questions_mean_does_not_count_the_few_high_answers(client, results_survey):
    """attacker8's weaker case: 68 answers, a mean of 0.088 says the sum is 6; with the low
    median 0, the 2s were 0 to 3 people (true 1), though 5 answered other than 0."""
    for hours in [0] * 63 + [1] * 4 + [2]:
        respond(results_survey, hours=hours)
    question = read_questions(results_survey.questions).by_code()["hours"]
    published = api_results(client, results_survey)[question.id]
    assert published["respondents"] == 68
    assert published["summary"] is None, published
    response = client.get(results_survey.url + "results/")
    (section,) = [s for s in response.context["sections"] if s.question.code == "hours"]
    assert section.result.summary is None
    editor = aggregates.survey_results(results_survey, public=False)
    (hours,) = [r for r in editor.questions if r.question.id == question.id]
    assert hours.summary.mean == pytest.approx(6 / 68)  # Editors see every number.


@pytest.mark.django_db
def test_a_number_questions_mean_is_shown_where_it_counts_no_one(client, results_survey):
    """Answers spread wide: the mean and median fix no small group, and stay public."""
    for hours in [0] * 20 + [1] * 15 + [2] * 3 + [5] * 12 + [10] * 10:
        respond(results_survey, hours=hours)
    question = read_questions(results_survey.questions).by_code()["hours"]
    published = api_results(client, results_survey)[question.id]
    assert published["summary"]["mean"] == pytest.approx(3.02)  # 181 / 60, rounded
    assert published["summary"]["median"] == 1


# attacker9 ------------------------------------------------------------------------------


def _survey(results_index, slug, questions):
    """A survey of ``questions`` (``(kind, value)``), block ids given as a saved form has."""
    from pages.models import SurveyCampaignPage
    from participation.questions.blocks import QuestionStreamBlock

    page = make_survey(results_index, slug=slug)
    page.questions = QuestionStreamBlock().to_python(
        [
            {"type": kind, "value": value, "id": f"d0000000-0000-4000-8000-00000000000{n}"}
            for n, (kind, value) in enumerate(questions)
        ]
    )
    page.save_revision().publish()
    return SurveyCampaignPage.objects.get(pk=page.pk)


def _picks(question, *indices):
    from participation.submissions.models import Answer

    return [Answer(question_id=question.id, choice_id=question.choices[i].id) for i in indices]


def _surplus_is_no_small_group(counts, respondents):
    """Σ counts − respondents is how many picks went beyond each person's first."""
    if respondents is None or None in counts:
        return True
    return not 0 < sum(counts) - respondents < THRESHOLD


@pytest.mark.django_db
@pytest.mark.parametrize("max_selected", [None, 2])
def test_picks_beyond_the_first_do_not_count_a_few_who_picked_two(
    client, results_index, max_selected
):
    """attacker9 (A2, A3): 35 + 28 picks of 60 respondents said exactly 3 picked both; "at
    most two of three", 64 picks of 60 said exactly 4 picked two, per role 3 and 1."""
    options = 2 if max_selected is None else 3
    page = _survey(
        results_index,
        f"picks-{options}",
        [
            (
                "multiple_choice",
                {
                    "label": "کدام؟",
                    "code": "which",
                    "required": True,
                    "max_selected": max_selected,
                    "choices": [{"label": label} for label in ("الف", "ب", "پ")[:options]],
                },
            )
        ],
    )
    which = read_questions(page.questions).by_code()["which"]
    both = {"faculty": 1, "student": 2} if options == 2 else {"faculty": 3, "student": 1}
    for role, people in (("faculty", 28), ("student", 32)):
        for index in range(people):
            picked = (0, 1) if index < both[role] else (index % options,)
            respond(page, role=role, answer_rows=_picks(which, *picked))
    published = api_results(client, page)[which.id]
    counts = [choice["count"] for choice in published["choices"]]
    assert published["respondents"] == 60
    assert _surplus_is_no_small_group(counts, 60), counts
    _section, grid = page_numbers(client.get(page.url + "results/"), "which")
    for role, column in grid.items():
        shown = [column[label] for label in column if label != "respondents"]
        assert _surplus_is_no_small_group(shown, column["respondents"]), (role, column)


@pytest.mark.django_db
def test_a_follow_up_of_a_multiple_choice_does_not_count_those_who_picked_two(
    client, results_index
):
    """attacker9 (A): a follow-up shown on Theatre or Music is answered by whoever picked
    either, once: Theatre 30 + Music 19 − its 47 respondents said exactly 2 picked both."""
    from participation.submissions.models import Answer

    page = _survey(
        results_index,
        "union-follow-up",
        [
            (
                "multiple_choice",
                {
                    "label": "کدام؟",
                    "code": "arts",
                    "required": True,
                    "choices": [{"label": "تئاتر"}, {"label": "موسیقی"}, {"label": "سینما"}],
                },
            ),
            (
                "short_text",
                {
                    "label": "کدام اجرا؟",
                    "code": "which_show",
                    "required": True,
                    "show_if": {"question_code": "arts", "answer_in": "تئاتر، موسیقی"},
                },
            ),
        ],
    )
    q = read_questions(page.questions).by_code()
    assert q["which_show"].condition is not None
    plan = [((0,), 28), ((1,), 17), ((0, 1), 2), ((2,), 13)]
    for picked, times in plan:
        for index in range(times):
            rows = _picks(q["arts"], *picked)
            if 2 not in picked:
                rows.append(Answer(question_id=q["which_show"].id, text="اجرا"))
            respond(page, role=("student", "faculty")[index % 2], answer_rows=rows)
    published = api_results(client, page)
    arts, follow_up = published[q["arts"].id], published[q["which_show"].id]
    theatre, music = (choice["count"] for choice in arts["choices"][:2])
    answered = follow_up["respondents"]
    if None not in (theatre, music, answered):
        assert not 0 < theatre + music - answered < THRESHOLD, (theatre, music, answered)


@pytest.mark.django_db
def test_a_follow_up_of_an_optional_consent_does_not_count_those_who_left_it(client, results_index):
    """attacker9 (B): the consent's respondents are hidden (60 − 57 = 3 did not tick it),
    but its follow-up, shown to those who ticked it, showed 57 respondents."""
    from participation.submissions.models import Answer

    page = _survey(
        results_index,
        "consent-follow-up",
        [
            (
                "single_choice",
                {"label": "سال", "code": "year", "required": True, "choices": [{"label": "اول"}]},
            ),
            ("consent", {"label": "موافقم", "code": "agree", "required": False}),
            (
                "single_choice",
                {
                    "label": "از کجا شنیدید؟",
                    "code": "heard",
                    "required": True,
                    "choices": [{"label": "دوستان"}, {"label": "وبگاه"}],
                    "show_if": {"question_code": "agree", "answer_in": "1"},
                },
            ),
        ],
    )
    q = read_questions(page.questions).by_code()
    assert q["heard"].condition is not None
    for index in range(60):
        rows = _picks(q["year"], 0)
        if index >= 3:
            rows.append(Answer(question_id=q["agree"].id, number=1))
            rows += _picks(q["heard"], index % 2)
        respond(page, role=("student", "faculty")[index % 2], answer_rows=rows)
    published = api_results(client, page)
    assert published[q["year"].id]["respondents"] == 60
    assert published[q["agree"].id]["respondents"] is None
    heard = published[q["heard"].id]
    shown = [heard["respondents"], *(choice["count"] for choice in heard["choices"])]
    assert heard["respondents"] is None or None in shown[1:], heard  # Else 60 − 57 = 3.
    if heard["respondents"] is not None:
        assert not 0 < 60 - heard["respondents"] < THRESHOLD


@pytest.mark.django_db
def test_a_translation_behind_its_source_does_not_lend_it_its_protection(client, results_index):
    """attacker9 (C2): an English translation not yet synced kept the consent required;
    seen first, its protection (which hides nothing of a required consent) was cached under
    the same key and served to the Persian page, whose consent is optional: 57 of 60."""
    import dataclasses

    from participation.questions.schema import Questionnaire
    from participation.submissions.models import Answer

    page = _survey(
        results_index,
        "lagging-translation",
        [
            (
                "single_choice",
                {"label": "سال", "code": "year", "required": True, "choices": [{"label": "اول"}]},
            ),
            ("consent", {"label": "موافقم", "code": "agree", "required": False}),
        ],
    )
    source = read_questions(page.questions)
    q = source.by_code()
    for index in range(60):
        rows = _picks(q["year"], 0)
        if index >= 3:
            rows.append(Answer(question_id=q["agree"].id, number=1))
        respond(page, answer_rows=rows)
    lagging = Questionnaire(
        questions=tuple(
            dataclasses.replace(question, required=True) if question.code == "agree" else question
            for question in source.questions
        ),
        step_titles=source.step_titles,
    )
    cache.clear()
    tallies = aggregates.public_tallies([page])[page.call_key]
    aggregates.protection_of(lagging, tallies)  # The translation's page, seen first.
    protection = aggregates.protection_of(source, tallies)
    assert protection[q["agree"].id].respondents_hidden(ALL)
    published = api_results(client, page)
    assert published[q["agree"].id]["respondents"] is None


@pytest.mark.django_db
def test_a_follow_up_of_a_multiple_choice_does_not_count_those_it_was_not_shown_to(
    client, results_index
):
    """attacker10: Theatre or Music shows the follow-up; its 57 respondents of the parent's
    60 said exactly 3 picked only Cinema (no pair picked both few enough to be guarded)."""
    from participation.submissions.models import Answer

    page = _survey(
        results_index,
        "union-rest",
        [
            (
                "multiple_choice",
                {
                    "label": "کدام؟",
                    "code": "arts",
                    "required": True,
                    "choices": [{"label": "تئاتر"}, {"label": "موسیقی"}, {"label": "سینما"}],
                },
            ),
            (
                "short_text",
                {
                    "label": "کدام اجرا؟",
                    "code": "which_show",
                    "required": True,
                    "show_if": {"question_code": "arts", "answer_in": "تئاتر، موسیقی"},
                },
            ),
        ],
    )
    q = read_questions(page.questions).by_code()
    plan = [((0,), 22), ((1,), 20), ((0, 1), 5), ((0, 2), 5), ((1, 2), 5), ((2,), 3)]
    for picked, times in plan:
        for index in range(times):
            rows = _picks(q["arts"], *picked)
            if picked != (2,):
                rows.append(Answer(question_id=q["which_show"].id, text="اجرا"))
            respond(page, role=("student", "faculty")[index % 2], answer_rows=rows)
    published = api_results(client, page)
    parent, follow_up = published[q["arts"].id], published[q["which_show"].id]
    if None not in (parent["respondents"], follow_up["respondents"]):
        outside = parent["respondents"] - follow_up["respondents"]
        assert not 0 < outside < THRESHOLD, (parent["respondents"], follow_up["respondents"])


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["en", "fa"])
def test_a_lagging_translation_publishes_nothing_its_source_hides(client, results_index, first):
    """attacker10: the English copy kept the consent required after the Persian source made
    it optional. Its page published 57 consents of 60 through its own questions, and when
    it was looked at first, the snapshot taken through it lost the consent's asked column,
    so the Persian page showed 57 too."""
    from wagtail.models import Locale

    from participation.questions.blocks import QuestionStreamBlock
    from participation.submissions.models import Answer

    questions = [
        (
            "single_choice",
            {"label": "سال", "code": "year", "required": True, "choices": [{"label": "اول"}]},
        ),
        ("consent", {"label": "موافقم", "code": "agree", "required": True}),
    ]
    page = _survey(results_index, f"lagging-{first}", questions)
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(english, copy_parents=True)
    translation.save_revision().publish()
    # The source makes the consent optional; the translation is not synced.
    questions[1][1]["required"] = False
    page.questions = QuestionStreamBlock().to_python(
        [
            {"type": kind, "value": value, "id": f"d0000000-0000-4000-8000-00000000000{n}"}
            for n, (kind, value) in enumerate(questions)
        ]
    )
    page.save_revision().publish()
    page.refresh_from_db()
    translation.refresh_from_db()
    q = read_questions(page.questions).by_code()
    assert not q["agree"].required
    assert read_questions(translation.questions).by_code()["agree"].required
    for index in range(60):
        rows = _picks(q["year"], 0)
        if index >= 3:
            rows.append(Answer(question_id=q["agree"].id, number=1))
        respond(page, answer_rows=rows)
    order = [translation, page] if first == "en" else [page, translation]
    for seen in order:
        published = api_results(client, seen)
        assert published[q["year"].id]["respondents"] == 60
        assert published[q["agree"].id]["respondents"] is None, (seen.locale, published)


@pytest.mark.django_db
def test_a_follow_ups_few_do_not_say_a_hidden_parent_count_is_small(client, results_index):
    """attacker10: the parent's cell (3 of University A picked the first answer) was hidden,
    but the follow-up shown on that answer listed University A as "fewer than 5"."""

    page = _survey(
        results_index,
        "small-follow-up",
        [
            (
                "multiple_choice",
                {
                    "label": "کدام؟",
                    "code": "pick",
                    "required": False,
                    "choices": [{"label": "الف"}, {"label": "ب"}],
                },
            ),
            (
                "single_choice",
                {
                    "label": "چرا؟",
                    "code": "why",
                    "required": True,
                    "choices": [{"label": "یک"}, {"label": "دو"}],
                    "show_if": {"question_code": "pick", "answer_in": "الف"},
                },
            ),
        ],
    )
    q = read_questions(page.questions).by_code()
    plan = [("دانشگاه آ", 0, 3), ("دانشگاه آ", 1, 12), ("دانشگاه ب", 0, 22), ("دانشگاه ب", 1, 14)]
    plan += [("", 0, 9), ("", 1, 6)]
    for university, picked, times in plan:
        for index in range(times):
            rows = _picks(q["pick"], picked)
            if picked == 0:
                rows += _picks(q["why"], index % 2)
            respond(page, university=university, answer_rows=rows)
    cache.clear()
    tallies = aggregates.public_tallies([page])[page.call_key]
    by_segment = {}
    for code in ("pick", "why"):
        table = aggregates.crosstab(page, q[code], "university", public=True, tallies=tallies)
        by_segment[code] = {column.segment: column for column in table.columns}
    for segment, follow_up in by_segment["why"].items():
        parent = by_segment["pick"].get(segment)
        parent_cell = parent.cells[0].count if parent and not parent.suppressed else None
        if follow_up.suppressed:  # "fewer than 5": the parent's cell is 1 to 4
            assert parent_cell is not None, segment  # ... which must then be public anyway.


def _ranking(question, order):
    from participation.submissions.models import Answer

    return [
        Answer(question_id=question.id, choice_id=question.choices[i].id, number=rank)
        for rank, i in enumerate(order, start=1)
    ]


@pytest.mark.django_db
def test_a_ranking_follow_ups_hidden_respondents_are_not_fewer_than_k(client, results_index):
    """attacker11: a ranking shown to those who picked a hidden answer said "fewer than 5"
    beside each choice, so the hidden parent count was 1 to 4; and where it was 5 or more
    its choices came in the order of their mean ranks."""
    page = _survey(
        results_index,
        "ranking-follow-up",
        [
            (
                "multiple_choice",
                {
                    "label": "کدام؟",
                    "code": "pick",
                    "required": False,
                    "choices": [{"label": "الف"}, {"label": "ب"}],
                },
            ),
            (
                "ranking",
                {
                    "label": "اولویت",
                    "code": "order",
                    "choices": [{"label": "یک"}, {"label": "دو"}, {"label": "سه"}],
                    "show_if": {"question_code": "pick", "answer_in": "الف"},
                },
            ),
        ],
    )
    q = read_questions(page.questions).by_code()
    for index in range(40):
        rows = _picks(q["pick"], 0 if index < 3 else 1)
        if index < 3:
            rows += _ranking(q["order"], (2, 1, 0))
        respond(page, answer_rows=rows)
    published = api_results(client, page)
    assert published[q["pick"].id]["choices"][0]["count"] is None  # 3: hidden
    follow_up = published[q["order"].id]
    assert follow_up["respondents"] is None
    ranks = follow_up["ranks"]
    assert [rank["id"] for rank in ranks] == [choice.id for choice in q["order"].choices]
    assert not any(rank["suppressed"] for rank in ranks), ranks
    assert all(rank["hidden"] and rank["count"] is None for rank in ranks)
    response = client.get(page.url + "results/")
    (section,) = [s for s in response.context["sections"] if s.question.code == "order"]
    assert {rank["count"] for rank in section.ranking} == {"پنهان"}


def _item(label, block_id):
    return {"type": "item", "value": {"label": label}, "id": block_id}


@pytest.mark.django_db
def test_a_translation_with_its_choices_reordered_hides_the_same_choices(client, results_index):
    """attacker11: an English copy listed the choices in another order (and one more). The
    hidden cells were kept as positions in the Persian order, so on the English page the
    hidden 2 showed under its own label and a large count was hidden in its place."""
    from wagtail.models import Locale

    from participation.questions.blocks import QuestionStreamBlock

    ids = [f"c0000000-0000-4000-8000-00000000000{n}" for n in range(4)]
    source_choices = [_item(label, ids[n]) for n, label in enumerate(["کم", "متوسط", "زیاد"])]
    page = _survey(
        results_index,
        "reordered-translation",
        [("single_choice", {"label": "چقدر؟", "code": "much", "choices": source_choices})],
    )
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(english, copy_parents=True)
    english_choices = [
        _item("A lot", ids[2]),
        _item("Somewhat", ids[1]),
        _item("Little", ids[0]),
        _item("Not sure", ids[3]),
    ]
    translation.questions = QuestionStreamBlock().to_python(
        [
            {
                "type": "single_choice",
                "value": {"label": "How much?", "code": "much", "choices": english_choices},
                "id": "d0000000-0000-4000-8000-000000000000",
            }
        ]
    )
    translation.save_revision().publish()
    q = read_questions(page.questions).by_code()["much"]
    assert [c.id for c in q.choices] == ids[:3]
    for index in range(40):  # 2 little, 18 somewhat, 20 a lot
        picked = 0 if index < 2 else 1 if index < 20 else 2
        respond(page, answer_rows=_picks(q, picked))
    persian = {c["id"]: c["count"] for c in api_results(client, page)[q.id]["choices"]}
    assert persian[ids[0]] is None  # The 2 are hidden, with one more so they stay hidden.
    shown = api_results(client, translation)[q.id]["choices"]
    assert {c["id"]: c["count"] for c in shown if c["id"] in persian} == persian
    assert [c["label"] for c in shown] == ["A lot", "Somewhat", "Little", "Not sure"]
