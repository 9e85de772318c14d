"""Counts no one can inflate: one answer row per (submission, question, row, choice).

A choice repeated in one POST, through the web form or the partner API, is refused with a
translated error and changes nothing; reordered choices count once each; choices from outside
the question are refused; the database refuses a second row for the same choice.
"""

import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from participation.submissions.models import Answer, AnswerTally, Submission
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import C, Q, SurveyCampaignPageFactory, valid_answers
from tests.participation.partners.factories import (
    grant_token,
    headers,
    json_answers,
    make_partner,
)
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

INTERESTS = f"q_{Q['interests']}"
CAMPUS = f"q_{Q['campus']}"
REPEATED_FA = "هر گزینه را فقط یک بار انتخاب کنید."
INVALID_FA = "یکی از گزینه‌های نمایش‌داده‌شده را انتخاب کنید."


@pytest.fixture
def survey(home_page):
    return SurveyCampaignPageFactory(parent=CallIndexPageFactory(parent=home_page))


@pytest.fixture
def others(survey, client):
    """Five earlier responses, so there are tallies to leave unchanged."""
    for _ in range(5):
        client.force_login(UserFactory())
        assert post_web(client, survey).status_code == 302
    client.logout()
    return tallies(survey)


def tallies(survey):
    """Every tally of the survey, to compare before and after a refused POST."""
    rows = AnswerTally.objects.filter(call_key=survey.translation_key).values_list(
        "segment", "question_id", "row_id", "choice_id", "value", "count"
    )
    return {row[:-1]: row[-1] for row in rows}


def choice_count(survey, choice):
    row = AnswerTally.objects.filter(
        call_key=survey.translation_key,
        segment="",
        question_id=Q["interests"],
        choice_id=C[choice],
        value="",
    ).first()
    return row.count if row else 0


def post_web(client, survey, **changes):
    data = {**valid_answers(), "_step": "1", "_action": "submit", **changes}
    return client.post(survey.url, data)


def post_api(client, survey, answers):
    site, _key, key_text = make_partner()
    token = grant_token(site, UserFactory())
    return client.post(
        f"/api/hadaf/v1/calls/{survey.pk}/responses/",
        json.dumps({"answers": answers}),
        content_type="application/json",
        **headers(key_text, token),
    )


def test_the_web_form_refuses_a_repeated_choice_and_changes_nothing(client, survey, others):
    client.force_login(UserFactory())
    before = Submission.objects.count(), Answer.objects.count()
    response = post_web(client, survey, **{INTERESTS: [C["theatre"]] * 1000})
    assert response.status_code == 200
    assert REPEATED_FA in response.content.decode()
    assert (Submission.objects.count(), Answer.objects.count()) == before
    assert tallies(survey) == others
    assert choice_count(survey, "theatre") == 5


def test_the_web_form_refuses_a_choice_repeated_among_others(client, survey, others):
    client.force_login(UserFactory())
    response = post_web(client, survey, **{INTERESTS: [C["books"], C["theatre"], C["books"]]})
    assert response.status_code == 200
    assert REPEATED_FA in response.content.decode()
    assert tallies(survey) == others


def test_the_web_form_refuses_a_choice_of_another_question(client, survey, others):
    client.force_login(UserFactory())
    # "yes" belongs to another question of the same survey; "x" to none.
    for wrong in ([C["theatre"], C["yes"]], ["x"]):
        response = post_web(client, survey, **{INTERESTS: wrong})
        assert response.status_code == 200
        assert INVALID_FA in response.content.decode()
        assert tallies(survey) == others


def test_reordered_choices_count_once_each(client, survey, others):
    client.force_login(UserFactory())
    response = post_web(client, survey, **{INTERESTS: [C["books"], C["theatre"]]})
    assert response.status_code == 302
    assert choice_count(survey, "theatre") == 6
    assert choice_count(survey, "books") == 6


def test_the_partner_api_refuses_a_repeated_choice_and_changes_nothing(client, survey, others):
    before = Submission.objects.count(), Answer.objects.count()
    answers = {**json_answers(), INTERESTS: [C["theatre"]] * 500}
    with translation.override("fa"):
        response = post_api(client, survey, answers)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert {"loc": ["body", "answers", INTERESTS], "msg": REPEATED_FA} in body["errors"]
    assert (Submission.objects.count(), Answer.objects.count()) == before
    assert tallies(survey) == others


@pytest.mark.parametrize(
    "answer",
    [[C["theatre"], C["north"]], ["no-such-choice"], [C["books"], "no-such-choice"]],
)
def test_the_partner_api_refuses_choices_from_outside_the_question(client, survey, others, answer):
    response = post_api(client, survey, {**json_answers(), INTERESTS: answer})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"] == ["body", "answers", INTERESTS]
    assert tallies(survey) == others


def test_the_partner_api_refuses_several_answers_to_a_single_answer_question(
    client, survey, others
):
    response = post_api(client, survey, {**json_answers(), CAMPUS: [C["north"]] * 3})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"] == ["body", "answers", CAMPUS]
    assert tallies(survey) == others


def test_the_partner_api_counts_reordered_choices_once_each(client, survey, others):
    response = post_api(client, survey, {**json_answers(), INTERESTS: [C["books"], C["theatre"]]})
    assert response.status_code == 201, response.content
    assert choice_count(survey, "theatre") == 6
    assert choice_count(survey, "books") == 6


def test_the_database_refuses_a_second_row_for_the_same_choice(client, survey, others):
    submission = Submission.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            submission=submission, question_id=Q["interests"], choice_id=C["theatre"]
        )
    # A matrix's rows and a ranking's items stay one row each, as before.
    assert submission.answers.count() == 16
