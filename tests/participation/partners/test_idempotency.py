"""Idempotency-Key: a retried request stores once and gets the first answer again."""

import datetime
import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from participation.partners import idempotency
from participation.partners.models import IdempotencyRecord
from participation.submissions.models import Submission

from .factories import headers, json_answers
from .test_api import assert_error, post_json, responses_url

THREADS = 6


def send(client, survey, key_text, token, idempotency_key, body=None):
    return post_json(
        client,
        responses_url(survey),
        body or {"answers": json_answers()},
        **headers(key_text, token, **{"Idempotency-Key": idempotency_key}),
    )


@pytest.mark.django_db
def test_a_retry_replays_the_first_answer_and_stores_once(client, partner, survey, token):
    _site, _key, key_text = partner
    first = send(client, survey, key_text, token, "retry-1")
    assert first.status_code == 201
    retry = send(client, survey, key_text, token, "retry-1")
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry[idempotency.REPLAYED_HEADER] == "true"
    assert idempotency.REPLAYED_HEADER not in first
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_stores_nothing(
    client, partner, survey, token
):
    _site, _key, key_text = partner
    assert send(client, survey, key_text, token, "k").status_code == 201
    answers = json_answers()
    answers[next(name for name in answers if answers[name] == "9")] = "3"
    response = send(client, survey, key_text, token, "k", {"answers": answers})
    assert_error(response, 422, "idempotency_key_reused")
    assert Submission.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_is_not_kept_so_a_corrected_retry_goes_through(client, partner, survey, token):
    _site, _key, key_text = partner
    response = send(client, survey, key_text, token, "fix-me", {"answers": {}})
    assert response.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    assert send(client, survey, key_text, token, "fix-me").status_code == 201
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_partner_key(client, partner, survey, token, participant):
    from .factories import grant_token, make_partner

    _site, _key, key_text = partner
    other_site, _other, other_text = make_partner("دانشگاه دیگر")
    other_token = grant_token(other_site, participant)
    assert send(client, survey, key_text, token, "same").status_code == 201
    # Another partner's identical key is its own: here it meets the one-response rule.
    assert_error(send(client, survey, other_text, other_token, "same"), 409, "already_submitted")


@pytest.mark.django_db
@pytest.mark.parametrize("bad_key", ["x" * 256, "tab\tinside"])
def test_a_malformed_idempotency_key_is_a_400(client, partner, survey, token, bad_key):
    _site, _key, key_text = partner
    assert_error(send(client, survey, key_text, token, bad_key), 400, "invalid_idempotency_key")
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_records_older_than_a_day_are_purged(partner, survey):
    _site, key, _text = partner
    old = IdempotencyRecord.objects.create(
        partner_key=key,
        key="old",
        fingerprint="0" * 64,
        created_at=timezone.now() - idempotency.RETENTION - datetime.timedelta(minutes=1),
    )
    fresh = IdempotencyRecord.objects.create(partner_key=key, key="fresh", fingerprint="0" * 64)
    assert idempotency.purge_expired() == 1
    assert list(IdempotencyRecord.objects.all()) == [fresh]
    assert not IdempotencyRecord.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_store_exactly_one_submission(partner, survey, token):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's in-memory test database is not shared between threads' connections; "
            "run with DATABASE_URL=postgres://… to check this."
        )
    _site, _key, key_text = partner
    body = json.dumps({"answers": json_answers()})
    start = threading.Barrier(THREADS)
    results, errors = [], []

    def post():
        try:
            start.wait()
            response = Client().post(
                responses_url(survey),
                body,
                content_type="application/json",
                **headers(key_text, token, **{"Idempotency-Key": "race"}),
            )
            results.append((response.status_code, response.json()))
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert Submission.objects.count() == 1
    statuses = [status for status, _body in results]
    assert len(statuses) == THREADS and all(status in (201, 409) for status in statuses)
    submission_id = str(Submission.objects.get().uuid)
    assert all(body["id"] == submission_id for status, body in results if status == 201)
