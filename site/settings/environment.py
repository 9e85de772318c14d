"""Read settings from the environment, with the project's embedded defaults.

Plain functions so that base, dev, test and production settings (and tests)
build database and cache settings the same way.
"""

import os

import dj_database_url
import dj_email_url

# Concurrent writers on SQLite wait this long for the write lock before failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 20


def env_bool(name, default=False):
    """Read a yes/no environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    """Read a comma-separated environment variable into a list of stripped items."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def sqlite_options():
    """SQLite options that let concurrent writers queue instead of failing.

    WAL lets readers and one writer work at once; ``IMMEDIATE`` transactions take
    the write lock at ``BEGIN`` so two writers never deadlock upgrading a read
    lock; the busy timeout makes the second writer wait for the first.
    """
    return {
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000};"
            "PRAGMA foreign_keys=ON;"
        ),
    }


def database_from_url(url):
    """Django database settings for a ``DATABASE_URL``-style URL."""
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**config.get("OPTIONS", {}), **sqlite_options()}
    else:
        config["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
    return config


def database(default_sqlite_path):
    """The default database: ``DATABASE_URL`` or an embedded SQLite file."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite_path}"
    return database_from_url(url)


def cache(redis_url=None):
    """Redis when ``REDIS_URL`` is set, otherwise a per-process memory cache."""
    redis_url = redis_url or os.environ.get("REDIS_URL")
    if redis_url:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "hadaf",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hadaf",
    }


def email(default_url="console://"):
    """Email settings from ``EMAIL_URL`` (for example ``smtp://user:pw@host:587/?tls=True``)."""
    config = dj_email_url.parse(os.environ.get("EMAIL_URL", default_url))
    return {
        "EMAIL_BACKEND": config["EMAIL_BACKEND"],
        "EMAIL_HOST": config["EMAIL_HOST"] or "localhost",
        "EMAIL_PORT": config["EMAIL_PORT"] or 25,
        "EMAIL_HOST_USER": config["EMAIL_HOST_USER"] or "",
        "EMAIL_HOST_PASSWORD": config["EMAIL_HOST_PASSWORD"] or "",
        "EMAIL_USE_TLS": config["EMAIL_USE_TLS"],
        "EMAIL_USE_SSL": config["EMAIL_USE_SSL"],
        "EMAIL_TIMEOUT": config["EMAIL_TIMEOUT"] or 10,
    }
