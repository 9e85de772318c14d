"""Redis unreachable: the site answers from the database (issue 16, finding 8).

The cache is the production one (``site.cache.ResilientRedisCache``) pointed at a closed
port on 127.0.0.1. Pages, forms, sign-in and the API answer; rate limits count in the
process's memory; the page cache stands aside; ``/healthz`` says "degraded" from the
breaker's state, asking Redis at most once per interval.
"""

import socket

import pytest
import redis
from django.core.cache import cache, caches
from django.test import override_settings
from django_ratelimit.core import get_usage

from participation.submissions.models import Submission
from site import cache as resilient
from site import page_cache
from site.settings import environment
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

REDIS_DB = 9  # this helper's Redis database, for the recovery test


def closed_port():
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_settings(url, **options):
    config = environment.cache(url)
    config["OPTIONS"].update(options)
    return {"default": config}


@pytest.fixture
def redis_down():
    """The production cache pointed at a closed port, with the page cache and limits on."""
    resilient.reset_breakers()
    with override_settings(
        CACHES=redis_settings(f"redis://127.0.0.1:{closed_port()}/{REDIS_DB}"),
        HADAF_PAGE_CACHE_SECONDS=300,
        HADAF_RATE_LIMITS=True,
        SESSION_ENGINE="django.contrib.sessions.backends.db",
    ):
        yield caches["default"]
    resilient.reset_breakers()


@pytest.fixture
def connects(monkeypatch):
    """How many times a Redis connection was attempted."""
    attempts = []
    original = redis.connection.AbstractConnection.connect

    def counting(self, *args, **kwargs):
        attempts.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counting)
    return attempts


@pytest.fixture
def survey(home_page):
    return SurveyCampaignPageFactory(parent=home_page, slug="redis-down-survey")


@pytest.mark.django_db
def test_public_pages_forms_sign_in_and_the_api_answer(client, redis_down, home_page, survey):
    assert client.get(home_page.url).status_code == 200
    response = client.get(survey.url)
    assert response.status_code == 200
    assert response["X-Hadaf-Cache"] == "pass"  # not kept in one process's memory
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"login": "nobody@hadaf.test", "password": "wrong-password"}
    )
    assert response.status_code == 200 and "form" in response.content.decode()
    assert client.get("/api/v2/pages/").status_code == 200

    client.force_login(UserFactory(role="student"))
    data = {**valid_answers(), "_step": "1", "_action": "submit"}
    assert client.post(survey.url, data).status_code == 302
    assert Submission.objects.count() == 1
    assert redis_down.degraded


@pytest.mark.django_db
def test_healthz_says_degraded_and_asks_redis_once_per_interval(client, redis_down, connects):
    for _ in range(3):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {
            "status": "degraded",
            "checks": {"database": True, "cache": False},
        }
    cache.get("anything")
    cache.set("anything", 1)
    assert len(connects) == 1  # the breaker answered the rest


def test_rate_limits_count_in_process_memory_while_redis_is_down(rf, redis_down):
    request = rf.post("/", REMOTE_ADDR="185.211.88.10")
    usages = [
        get_usage(request, group="probe", key="ip", rate="3/m", method="POST", increment=True)
        for _ in range(4)
    ]
    assert [usage["count"] for usage in usages] == [1, 2, 3, 4]
    assert [usage["should_limit"] for usage in usages] == [False, False, False, True]
    assert redis_down.degraded


def test_the_page_cache_stands_aside_while_redis_is_down(redis_down):
    assert page_cache.safely(page_cache.generation) is None


def test_breaker_lets_one_probe_through_per_interval():
    breaker = resilient.Breaker(retry_seconds=60)
    assert breaker.allows() and breaker.failed()
    assert not breaker.allows() and breaker.tripped
    assert not breaker.failed()  # already open: the outage is reported once
    zero = resilient.Breaker(retry_seconds=0)
    zero.failed()
    assert zero.allows()
    assert zero.succeeded() and not zero.tripped and not zero.succeeded()


def _live_redis_or_skip(url):
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")


def test_recovery_empties_the_fallback_and_makes_stored_pages_stale():
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    _live_redis_or_skip(url)
    resilient.reset_breakers()
    with override_settings(
        CACHES=redis_settings(url, RETRY_SECONDS=0), HADAF_PAGE_CACHE_SECONDS=300
    ):
        live = caches["default"]
        before = page_cache.generation()
        assert before is not None and not live.degraded
        live._breaker.failed()  # as after a failed call
        live._fallback.set("only-in-memory", 1)
        assert live.degraded
        # The next call reaches Redis again (RETRY_SECONDS=0): the outage is over.
        live.get("anything")
        assert not live.degraded
        assert live._fallback.get("only-in-memory") is None
        assert page_cache.generation() not in (None, before)
    resilient.reset_breakers()


def test_the_first_page_read_after_recovery_already_sees_the_new_generation():
    """The probe that finds Redis again may be the page cache's own read: no old page."""
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    _live_redis_or_skip(url)
    resilient.reset_breakers()
    with override_settings(
        CACHES=redis_settings(url, RETRY_SECONDS=0), HADAF_PAGE_CACHE_SECONDS=300
    ):
        live = caches["default"]
        before = page_cache.generation()
        live._breaker.failed()  # Redis was unreachable; the next call is the probe
        assert page_cache.generation() not in (None, before)
        assert not live.degraded
    resilient.reset_breakers()
