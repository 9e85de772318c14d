"""Tests: fast hashing, in-memory email and cache; DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Text messages are kept in participation.people.sms.outbox.
HADAF_SMS = {"BACKEND": "participation.people.sms.LocmemBackend", "OPTIONS": {}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the source folders, as in development.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Enough demo responses for results above the suppression threshold, few enough to seed fast.
HADAF_DEMO_RESPONSES = 40
# No page cache, so no test sees another's page; tests/site/test_page_cache.py turns it on.
HADAF_PAGE_CACHE_SECONDS = 0
# Django's test Client.login() and authenticate() without a request, which many tests use,
# are refused by axes (it needs the request to count attempts). Tests of the lockout itself
# (tests/people/test_accounts.py, tests/browser/test_accounts.py) switch it on.
AXES_ENABLED = False
# Rate limits and the minimum fill time are off: many tests post from one address at
# once. tests/participation/protection/ turns them on.
HADAF_RATE_LIMITS = False
HADAF_MIN_FILL_SECONDS = 0
