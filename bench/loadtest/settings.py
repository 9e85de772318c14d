"""Load-test settings (``make loadtest``): production-like, on PostgreSQL or SQLite.

The same choices as ``site.settings.bench`` (DEBUG off, loopback only, static files from
the source folders, warnings-only logging), but the database is ``LOADTEST_DATABASE_URL``
— a throwaway PostgreSQL database or SQLite file that ``bench/loadtest/run.py`` creates —
because the SQLite phase measures the embedded profile, which the bench settings refuse.

Two protections are switched off, and the report says so: every simulated client comes
from 127.0.0.1, so the per-address rate limits would refuse most of them (they are
tested on their own), and the clients post without the seconds a person takes to fill
in a form (the minimum-fill-time trap).
"""

import os

from site.settings import environment
from site.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "loadtest-only-throwaway-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

DATABASES = {"default": environment.database_from_url(os.environ["LOADTEST_DATABASE_URL"])}

HADAF_RATE_LIMITS = False
HADAF_MIN_FILL_SECONDS = 0
HADAF_PAGE_CACHE_SECONDS = 0
WHITENOISE_USE_FINDERS = True

# Warnings and errors only: the database-unavailable warnings are what the report counts.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
