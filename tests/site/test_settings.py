"""Settings come from the environment; production refuses to start half-configured."""

import re

import pytest

from site.settings import environment
from tests.helpers import PROJECT_ROOT, project_env, run_manage

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "site.settings.production",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-0123456789abcdef",
    "ALLOWED_HOSTS": "hadaf.example.org",
}


def test_production_refuses_to_start_without_a_secret_key():
    env = project_env(**{**PRODUCTION_ENV, "SECRET_KEY": ""})
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = project_env(**{**PRODUCTION_ENV, "ALLOWED_HOSTS": ""})
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def documented_deploy_warnings():
    """The deploy-check IDs docs/deploy.md lists and justifies."""
    text = (PROJECT_ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    section = text.split("## Deployment check", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`(security\.W\d+)`", section))


def test_deploy_check_reports_only_what_the_deploy_guide_justifies():
    result = run_manage("check", "--deploy", env=project_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))
    assert reported <= documented_deploy_warnings(), result.stdout + result.stderr


def test_sqlite_url_gets_wal_immediate_transactions_and_busy_timeout(tmp_path):
    config = environment.database_from_url(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_postgres_url_keeps_connections_and_checks_them():
    config = environment.database_from_url("postgres://hadaf:pw@db.internal:5432/hadaf")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5432, "hadaf")
    assert config["CONN_MAX_AGE"] > 0 and config["CONN_HEALTH_CHECKS"] is True


def test_default_database_is_embedded_sqlite(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = environment.database(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_cache_uses_redis_when_redis_url_is_set(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    config = environment.cache()
    # Degrades to process memory when Redis is unreachable (tests/site/test_redis_down.py),
    # after one short wait per interval.
    assert config["BACKEND"] == "site.cache.ResilientRedisCache"
    assert config["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert config["OPTIONS"]["SOCKET_TIMEOUT"] <= 1
    monkeypatch.delenv("REDIS_URL")
    assert environment.cache()["BACKEND"].endswith("LocMemCache")


def test_email_url_configures_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mailer:secret@mail.example.org:587/?tls=True")
    config = environment.email()
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert config["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a.org, b.org,,", ["a.org", "b.org"]), ("", []), (None, ["fallback"])],
)
def test_env_list(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("HADAF_TEST_LIST", raising=False)
    else:
        monkeypatch.setenv("HADAF_TEST_LIST", raw)
    assert environment.env_list("HADAF_TEST_LIST", ["fallback"]) == expected


def production_value(script):
    result = run_manage("shell", "-c", script, env=project_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_language_cookie_is_secure_lax_and_http_only():
    script = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    assert production_value(script) == "True Lax True"


@pytest.mark.django_db
def test_the_language_cookie_is_sent_with_its_flags(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # as in production
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
