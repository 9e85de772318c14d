"""Anonymous-verified responses through the partner API: nothing ties the participant to them.

The API answers "received" (no submission id, no time), and the Idempotency-Key record keeps
no submission id, no exact time and no fingerprint the database alone can test.
"""

import hashlib
import json

import pytest
from django.apps import apps
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from participation.choices import AnonymityMode
from participation.partners import idempotency
from participation.partners.models import IdempotencyRecord
from participation.submissions import mixing
from participation.submissions.models import SealedBallot, Submission, coarse_time
from tests.participation.factories import SurveyCampaignPageFactory

from .factories import headers, json_answers
from .test_api import post_json, responses_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_survey(calls):
    return SurveyCampaignPageFactory(parent=calls, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)


def send(client, survey, key_text, token, idempotency_key):
    return post_json(
        client,
        responses_url(survey),
        {"answers": json_answers()},
        **headers(key_text, token, **{"Idempotency-Key": idempotency_key}),
    )


def oauth_models():
    return [get_access_token_model(), get_application_model()]


def plain_fingerprint(survey, participant, body):
    digest = hashlib.sha256()
    for part in ("POST", responses_url(survey), str(participant.pk)):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(body)
    return digest.hexdigest()


def test_an_anonymous_response_is_received_without_id_or_time(
    client, partner, anonymous_survey, token, participant
):
    _site, key, key_text = partner
    response = send(client, anonymous_survey, key_text, token, "anon-1")
    assert response.status_code == 201, response.content
    assert response.json() == {"result": "received", "call": anonymous_survey.pk}
    # Sealed until its batch opens; then stored with no account.
    assert SealedBallot.objects.count() == 1 and not Submission.objects.exists()
    mixing.mix(anonymous_survey.call_key, closing=True)
    submission = Submission.objects.get()
    assert submission.participant is None
    # The idempotency record: generic body, the day only, a keyed fingerprint.
    record = IdempotencyRecord.objects.get()
    stored = str(record.body) + record.fingerprint + record.key
    assert str(submission.uuid) not in stored and str(submission.pk) not in stored
    assert "submitted_at" not in record.body and "id" not in record.body
    assert record.created_at == coarse_time(record.created_at)
    body = json.dumps({"answers": json_answers()}).encode()
    assert record.fingerprint != plain_fingerprint(anonymous_survey, participant, body)
    assert str(participant.pk) not in str(record.body)
    # The replay gives the same generic body and stores nothing more.
    retry = send(client, anonymous_survey, key_text, token, "anon-1")
    assert retry.status_code == 201
    assert retry.json() == response.json()
    assert retry[idempotency.REPLAYED_HEADER] == "true"
    assert Submission.objects.count() == 1 and not SealedBallot.objects.exists()
    # No partner-API or OAuth row names the submission or carries its transaction's time.
    for model in [*apps.get_app_config("partners").get_models(), *oauth_models()]:
        for row in model.objects.values():
            assert str(submission.uuid) not in str(row), model
    assert key.pk  # the key's last use is dated by the minute, in its own transaction


def test_a_named_response_still_gets_its_id_and_a_day_record_is_kept_a_day(
    client, partner, survey, token, participant
):
    _site, _key, key_text = partner
    response = send(client, survey, key_text, token, "named-1")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == str(Submission.objects.get().uuid) and body["submitted_at"]
    sent = json.dumps({"answers": json_answers()}).encode()
    # Named calls keep the plain fingerprint (so the anonymous check above is not vacuous).
    assert IdempotencyRecord.objects.get().fingerprint == plain_fingerprint(
        survey, participant, sent
    )
    # An anonymous record dated by the day is still found 23 hours later (kept 24 to 48 h).
    record = IdempotencyRecord.objects.get()
    midnight = coarse_time(timezone.now())
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=midnight)
    assert idempotency.purge_expired(now=midnight + idempotency.RETENTION) == 0
    assert IdempotencyRecord.objects.exists()
