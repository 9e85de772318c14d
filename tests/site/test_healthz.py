import pytest
from django.db import OperationalError
from django.test import override_settings

from site import health


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": True, "cache": True}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    class UnreachableConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", UnreachableConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "cache": True}
    assert response.json()["status"] == "error"


def _redis_cache(url):
    from site.settings import environment

    return {"default": environment.cache(url)}


@pytest.mark.django_db
def test_healthz_reaches_a_real_redis(client):
    with override_settings(CACHES=_redis_cache("redis://127.0.0.1:6379/15")):
        from django.core.cache import cache

        try:
            cache.get("probe")
        except Exception:
            pytest.skip("no Redis on 127.0.0.1:6379")
        response = client.get("/healthz")
    assert response.json()["checks"]["cache"] is True


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_cache_without_failing(client):
    # Port 9 (discard) has no Redis: the site still serves pages from the database.
    with override_settings(CACHES=_redis_cache("redis://127.0.0.1:9/0")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": True, "cache": False}}


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
