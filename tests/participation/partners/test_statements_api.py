"""Partner sites vote on a call's statements and add statements for their participants.

The same rules as the statements block on the call's page (participation/opinions/services):
eligibility, published statements only, one vote per person and statement, moderation of
new statements, the per-account limits; and the scopes a key and a participant granted.
"""

import datetime
import json

import pytest
import time_machine
from django.core.cache import cache

from participation.choices import ModerationState
from participation.opinions import services
from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement, StatementVote
from participation.partners.choices import KeyScope
from tests.participation.opinions.factories import SEEDS
from tests.people.factories import EditorFactory, UserFactory

from .factories import grant_token, headers, make_partner

pytestmark = pytest.mark.django_db

SCOPE = "responses comments statements"


@pytest.fixture
def seeded(survey):
    editor = EditorFactory()
    return [services.seed_statement(editor, survey, text) for text in SEEDS]


@pytest.fixture
def statements_token(partner, participant):
    site, _key, _text = partner
    return grant_token(site, participant, scope=SCOPE)


def post_json(client, url, body, **kwargs):
    return client.post(url, json.dumps(body), content_type="application/json", **kwargs)


def next_url(page):
    return f"/api/hadaf/v1/calls/{page.pk}/statements/next/"


def vote_url(page, statement_id):
    return f"/api/hadaf/v1/calls/{page.pk}/statements/{statement_id}/vote/"


def add_url(page):
    return f"/api/hadaf/v1/calls/{page.pk}/statements/"


def error_code(response, status):
    assert response.status_code == status, response.content
    return response.json()["code"]


def test_a_participant_votes_through_the_whole_conversation(
    client, partner, survey, seeded, statements_token, participant
):
    _site, _key, key_text = partner
    auth = headers(key_text, statements_token)
    body = client.get(next_url(survey), **auth).json()
    assert (body["voted"], body["total"]) == (0, len(SEEDS))
    seen, current = [], body["statement"]
    words = ["agree", "disagree", "pass"] * 3
    while current is not None:
        assert current["id"] not in seen  # never the same statement twice
        seen.append(current["id"])
        word = words[len(seen) - 1]
        response = post_json(client, vote_url(survey, current["id"]), {"vote": word}, **auth)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["statement"] == current["id"] and body["vote"] == word
        assert body["voted"] == len(seen)
        current = body["next"]
    assert body["next"] is None and body["voted"] == len(SEEDS)
    assert sorted(seen) == sorted(str(s.uuid) for s in seeded)
    stored = dict(
        StatementVote.objects.filter(participant=participant).values_list(
            "statement__uuid", "value"
        )
    )
    assert len(stored) == len(SEEDS)
    assert stored[seeded[0].uuid] in VoteValue.values
    assert client.get(next_url(survey), **auth).json()["statement"] is None


def test_voting_again_changes_the_vote_and_counts_once(
    client, partner, survey, seeded, statements_token, participant
):
    _site, _key, key_text = partner
    auth = headers(key_text, statements_token)
    url = vote_url(survey, seeded[0].uuid)
    assert post_json(client, url, {"vote": "agree"}, **auth).status_code == 200
    assert post_json(client, url, {"vote": "disagree"}, **auth).json()["voted"] == 1
    (vote,) = StatementVote.objects.filter(participant=participant)
    assert vote.value == VoteValue.DISAGREE


@pytest.mark.parametrize("value", ["maybe", 1, "", None, ["agree", "agree"]])
def test_a_vote_other_than_agree_disagree_or_pass_is_refused(
    client, partner, survey, seeded, statements_token, value
):
    _site, _key, key_text = partner
    response = post_json(
        client,
        vote_url(survey, seeded[0].uuid),
        {"vote": value},
        **headers(key_text, statements_token),
    )
    assert error_code(response, 422) == "validation_error"
    assert not StatementVote.objects.exists()


def test_statements_not_of_this_call_or_not_published_cannot_be_voted_on(
    client, partner, survey, seeded, statements_token, calls
):
    _site, _key, key_text = partner
    auth = headers(key_text, statements_token)
    from tests.participation.factories import SurveyCampaignPageFactory

    other = SurveyCampaignPageFactory(parent=calls, slug="other")
    elsewhere = services.seed_statement(EditorFactory(), other, "گزاره‌ای در فراخوانی دیگر.")
    for statement_id in (elsewhere.uuid, "not-a-uuid", "00000000-0000-4000-8000-000000000000"):
        response = post_json(client, vote_url(survey, statement_id), {"vote": "agree"}, **auth)
        assert error_code(response, 404) == "statement_not_found"
    Statement.objects.filter(pk=seeded[1].pk).update(moderation_state=ModerationState.PENDING)
    response = post_json(client, vote_url(survey, seeded[1].uuid), {"vote": "agree"}, **auth)
    assert error_code(response, 403) == "refused"
    assert not StatementVote.objects.exists()


def test_a_call_without_statements_is_a_404(client, partner, survey, statements_token):
    _site, _key, key_text = partner
    response = client.get(next_url(survey), **headers(key_text, statements_token))
    assert error_code(response, 404) == "no_statements"


def test_the_participant_must_have_granted_statements_and_the_key_must_allow_them(
    client, partner, survey, seeded, participant
):
    site, _key, key_text = partner
    without = grant_token(site, participant, scope="responses comments")
    url = vote_url(survey, seeded[0].uuid)
    response = post_json(client, url, {"vote": "agree"}, **headers(key_text, without))
    assert error_code(response, 403) == "insufficient_token_scope"
    _site2, _key2, read_only = make_partner(
        "دانشگاه دیگر", scopes=[KeyScope.READ, KeyScope.RESPONSES_WRITE]
    )
    response = post_json(client, url, {"vote": "agree"}, **headers(read_only))
    assert error_code(response, 403) == "insufficient_key_scope"
    assert not StatementVote.objects.exists()


def test_an_ineligible_participant_cannot_vote(client, partner, survey, seeded):
    site, _key, key_text = partner
    survey.audience = "verified"
    survey.save_revision().publish()
    token = grant_token(site, UserFactory(), scope=SCOPE)
    response = post_json(
        client, vote_url(survey, seeded[0].uuid), {"vote": "agree"}, **headers(key_text, token)
    )
    assert error_code(response, 403) == "not_eligible"
    assert (
        error_code(client.get(next_url(survey), **headers(key_text, token)), 403) == "not_eligible"
    )
    assert not StatementVote.objects.exists()


def test_a_participants_statement_waits_for_moderation_and_is_refused_twice(
    client, partner, survey, seeded, statements_token, participant
):
    _site, _key, key_text = partner
    text = "دانشگاه باید فضای بیشتری برای گفت‌وگوی آزاد داشته باشد."
    auth = headers(key_text, statements_token, idempotency_key="first-statement")
    response = post_json(client, add_url(survey), {"text": text}, **auth)
    assert response.status_code == 201, response.content
    assert response.json()["moderation_state"] == ModerationState.PENDING
    replay = post_json(client, add_url(survey), {"text": text}, **auth)
    assert replay.status_code == 201 and replay.json() == response.json()
    again = post_json(
        client, add_url(survey), {"text": text}, **headers(key_text, statements_token)
    )
    assert error_code(again, 422) == "validation_error"
    (statement,) = Statement.objects.filter(author=participant)
    assert statement.text == text and not statement.is_public
    # Not public until a moderator approves it: not drawn for anyone.
    other = grant_token(partner[0], UserFactory(), scope=SCOPE)
    drawn = client.get(next_url(survey), **headers(key_text, other)).json()
    assert drawn["total"] == len(SEEDS)


@pytest.mark.parametrize("text", ["", "   ", "گ" * 2001])
def test_an_empty_or_overlong_statement_is_refused(
    client, partner, survey, seeded, statements_token, text
):
    _site, _key, key_text = partner
    response = post_json(
        client, add_url(survey), {"text": text}, **headers(key_text, statements_token)
    )
    assert error_code(response, 422) == "validation_error"
    assert Statement.objects.count() == len(SEEDS)


def test_a_participant_over_the_vote_limit_gets_429(
    client, partner, survey, seeded, statements_token, settings
):
    """The block's per-account limit (40 votes a minute) holds through the API too."""
    settings.HADAF_RATE_LIMITS = True
    cache.clear()
    _site, _key, key_text = partner
    auth = headers(key_text, statements_token)
    url = vote_url(survey, seeded[0].uuid)
    moment = datetime.datetime(2026, 12, 7, 12, 0, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        statuses = [
            post_json(client, url, {"vote": "agree"}, **auth).status_code for _ in range(41)
        ]
    assert statuses[:40] == [200] * 40
    assert statuses[40] == 429
    cache.clear()


def test_the_schema_names_the_participants_token_for_the_statement_operations(client):
    schema = client.get("/api/hadaf/v1/openapi.json").json()
    operations = {
        operation["operationId"]: operation
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    for name in ("partner_next_statement", "partner_vote_on_statement", "partner_add_statement"):
        assert {"X-Hadaf-Key": [], "ParticipantToken": []} in operations[name]["security"]
