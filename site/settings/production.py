"""Production: refuses to start without a secret key and allowed hosts.

Every value that differs between deployments comes from the environment; see
docs/deploy.md for the list and for the topology (gunicorn, a task worker,
PostgreSQL, Redis). `make serve-prod` runs this profile on one machine.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from . import environment
from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, MEDIA_ROOT, PRIVATE_MEDIA_ROOT, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable for production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the ALLOWED_HOSTS environment variable (comma-separated host names) for production."
    )

DEBUG = False

# Uploads on the filesystem, or S3-compatible storage when AWS_STORAGE_BUCKET_NAME is
# set; "private" (idea attachments) outside MEDIA_ROOT, never served by a URL. Static
# files compressed (gzip, and Brotli when installed) with content-hashed names, so
# browsers may cache them forever.
STORAGES = environment.storages(
    media_root=MEDIA_ROOT,
    private_root=PRIVATE_MEDIA_ROOT,
    static_backend="whitenoise.storage.CompressedManifestStaticFilesStorage",
)

# Tasks are rows in the database, run by `manage.py db_worker` (a separate process), so
# a slow or unreachable mail server never holds up a request.
TASKS = environment.tasks(environment.DATABASE_TASKS_BACKEND)

# Sessions live in the database only (Django's default engine, one primary-key read per
# signed-in request), so any app server can serve any visitor and an unreachable Redis
# logs no one out. Not "cached_db": while Redis is down its copies would be per process,
# and a session deleted then (sign-out) would come back from Redis once it answers.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# HTTPS. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 so Django
# trusts its X-Forwarded-Proto header.
if environment.env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = environment.env_bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = environment.env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = environment.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = environment.env_bool("SECURE_HSTS_PRELOAD")
# Not for a script's eyes (no script of ours reads them), and only over HTTPS.
CSRF_COOKIE_HTTPONLY = True
# The other headers (CSP, nosniff, Referrer-Policy, X-Frame-Options, COOP) are the same in
# every environment: base.py, "Security headers".

# HSTS for subdomains and preloading are the domain owner's decision (docs/deploy.md,
# "Deployment check"): off by default, so their deploy-check warnings are silenced until set, and
# `check --deploy --fail-level WARNING` passes on a correct deployment.
SILENCED_SYSTEM_CHECKS = [
    *(() if SECURE_HSTS_INCLUDE_SUBDOMAINS else ("security.W005",)),
    *(() if SECURE_HSTS_PRELOAD else ("security.W021",)),
]

# The anonymous page cache must be shared by every process, or a publish would reach
# only the worker that handled it: without Redis it is off unless set explicitly.
if not os.environ.get("REDIS_URL"):
    HADAF_PAGE_CACHE_SECONDS = int(os.environ.get("HADAF_PAGE_CACHE_SECONDS", "0"))
