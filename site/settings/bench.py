"""Benchmarks (``make bench``): production-like settings on a dedicated PostgreSQL database.

DEBUG off, PostgreSQL, gunicorn on loopback; adds ``bench.baseline`` (the
wagtail.contrib.forms page the survey is measured against), which no other settings
install. The database is ``BENCH_DATABASE_URL`` (default ``hadaf_bench`` on the local
server), never ``DATABASE_URL``, so running the bench cannot touch the tests' database.
"""

import os

from . import environment
from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-throwaway-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hadaf_bench"
)
DATABASES = {"default": environment.database_from_url(BENCH_DATABASE_URL)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ValueError("The benchmarks run on PostgreSQL: set BENCH_DATABASE_URL to postgres://…")

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline"]

# One line per request would dominate the throughput figures.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Static files from the source folders (no collectstatic step before a bench run).
WHITENOISE_USE_FINDERS = True

# The throughput benchmark's ceiling: a static file whitenoise serves from this folder.
WHITENOISE_ROOT = os.environ.get("BENCH_WHITENOISE_ROOT") or None

# The throughput and load benchmarks post from one address as fast as they can: no rate
# limits, no minimum fill time (participation/protection), or they would measure challenges.
HADAF_RATE_LIMITS = False
HADAF_MIN_FILL_SECONDS = 0
