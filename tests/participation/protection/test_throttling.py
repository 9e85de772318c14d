"""The 429 answer itself: allauth's limits get Retry-After too, JSON for the API, and what
happens when the limits are off or the cache is down."""

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from participation.drafts.models import ClauseComment
from participation.people.throttling import (
    DEFAULT_RETRY_AFTER,
    too_many_requests,
    wait_text,
)
from tests.participation.drafts.factories import CLAUSE_A

from .conftest import campus_client
from .test_limits import comment_data

pytestmark = pytest.mark.django_db


def test_allauths_own_limit_answers_with_retry_after(mailoutbox):
    """Three resets a minute for one address (ACCOUNT_RATE_LIMITS), below our own limits."""
    browser = campus_client()
    browser.get(reverse("account_reset_password"))
    url = reverse("account_reset_password")
    statuses = [browser.post(url, {"email": "forgot@gmail.com"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 302]
    limited = browser.post(url, {"email": "forgot@gmail.com"})
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "درخواست‌های زیادی" in limited.content.decode()


def test_the_api_gets_json():
    request = RequestFactory().post("/api/v3/partner/responses/")
    response = too_many_requests(request, retry_after=42)
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    body = json.loads(response.content)
    assert body["retry_after"] == 42
    assert body["error"] == "too_many_requests"


def test_a_client_asking_for_json_gets_json():
    request = RequestFactory().post("/ideas/x/attachments/", HTTP_ACCEPT="application/json")
    assert json.loads(too_many_requests(request, retry_after=5).content)["retry_after"] == 5


def test_an_unknown_limit_says_a_minute(rf):
    response = too_many_requests(rf.get("/somewhere/"))
    assert response["Retry-After"] == str(DEFAULT_RETRY_AFTER)


def test_the_wait_is_said_in_persian_digits():
    with translation.override("fa"):
        assert "۴۰" in wait_text(40)
        assert "۲" in wait_text(61)


def test_limits_switched_off_let_everything_through(settings, clock, draft, person_client):
    settings.HADAF_RATE_LIMITS = False
    url = f"{draft.url}clause/{CLAUSE_A}/"
    statuses = {person_client.post(url, comment_data(clock)).status_code for _ in range(8)}
    assert 429 not in statuses


def test_the_cache_down_lets_people_through(monkeypatch, clock, draft, person_client, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("participation.protection.ratelimits.get_usage", broken)
    url = f"{draft.url}clause/{CLAUSE_A}/"
    assert person_client.post(url, comment_data(clock)).status_code == 302
    assert ClauseComment.objects.count() == 1
    assert "Rate limit counter unavailable" in caplog.text
