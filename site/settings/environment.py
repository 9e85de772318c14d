"""Read settings from the environment, with the project's embedded defaults.

Plain functions so that base, dev, test and production settings (and tests)
build database and cache settings the same way.
"""

import os
from pathlib import Path

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
    """Redis when ``REDIS_URL`` is set, otherwise a per-process memory cache.

    Redis through ``site.cache.ResilientRedisCache``: when Redis is unreachable the site
    keeps answering from the database, each process counting its rate limits in its own
    memory (docs/deploy.md, "When Redis is down"). The timeouts are short because a
    healthy Redis answers in a millisecond; a dead one then costs one short wait per
    ``REDIS_RETRY_SECONDS`` and process, not one per request.
    """
    redis_url = redis_url or os.environ.get("REDIS_URL")
    if redis_url:
        return {
            "BACKEND": "site.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "hadaf",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "1")),
                "RETRY_SECONDS": float(os.environ.get("REDIS_RETRY_SECONDS", "5")),
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


SMS_BACKENDS = {
    "console": "participation.people.sms.ConsoleBackend",
    "locmem": "participation.people.sms.LocmemBackend",
    "kavenegar": "participation.people.sms.KavenegarBackend",
}


def sms(default="console"):
    """``HADAF_SMS``: the text-message gateway for one-time codes (participation/people/sms.py).

    ``SMS_BACKEND`` is ``console`` (the default: messages on standard output), ``locmem``
    or ``kavenegar`` (with ``KAVENEGAR_API_KEY`` and ``KAVENEGAR_TEMPLATE``;
    ``KAVENEGAR_URL`` only to point at a test server), or a dotted path to a backend class.
    ``SMS_TIMEOUT`` is how many seconds a gateway may take to answer.
    """
    name = os.environ.get("SMS_BACKEND", default).strip() or default
    options = {"timeout": float(os.environ.get("SMS_TIMEOUT", "5"))}
    if name == "kavenegar":
        options.update(
            api_key=os.environ.get("KAVENEGAR_API_KEY", ""),
            template=os.environ.get("KAVENEGAR_TEMPLATE", ""),
            url=os.environ.get("KAVENEGAR_URL", ""),
        )
    return {"BACKEND": SMS_BACKENDS.get(name, name), "OPTIONS": options}


# Task backends (django-tasks). The embedded default runs each task in the process that
# queued it; the database backend stores it as a row for `manage.py db_worker`.
IMMEDIATE_TASKS_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"


def tasks(default_backend=IMMEDIATE_TASKS_BACKEND):
    """``TASKS`` with one default backend: ``TASKS_BACKEND`` or ``default_backend``."""
    return {"default": {"BACKEND": os.environ.get("TASKS_BACKEND") or default_backend}}


def _s3_options(bucket_name, location, **extra):
    """S3Storage options shared by public media and private files.

    Keys are not settings: django-storages reads ``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY`` from the environment itself.
    """
    options = {
        "bucket_name": bucket_name,
        "location": location,
        # Django's contract: a second upload with the same name gets a new name.
        "file_overwrite": False,
        **extra,
    }
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        ("signature_version", "AWS_S3_SIGNATURE_VERSION"),
    ):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return options


def storages(media_root, private_root, static_backend):
    """``STORAGES``: public media, private files (``"private"``) and static files.

    Media and private files live on the filesystem, or on S3-compatible storage
    when ``AWS_STORAGE_BUCKET_NAME`` is set. Private files (idea attachments) are
    never under ``MEDIA_ROOT``, so no web server configured for media can serve
    them; on S3 they are private objects reached only through short-lived signed
    URLs.
    """
    from django.core.exceptions import ImproperlyConfigured

    media_root, private_root = Path(media_root).resolve(), Path(private_root).resolve()
    if private_root == media_root or media_root in private_root.parents:
        raise ImproperlyConfigured(
            "PRIVATE_MEDIA_ROOT must be outside MEDIA_ROOT: files under MEDIA_ROOT are public."
        )
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME")
    if bucket:
        s3 = "storages.backends.s3.S3Storage"
        media_options = _s3_options(
            bucket,
            os.environ.get("AWS_MEDIA_LOCATION", "media"),
            # Public media get stable, cacheable URLs; the bucket policy (or
            # AWS_DEFAULT_ACL=public-read) makes them readable.
            querystring_auth=env_bool("AWS_QUERYSTRING_AUTH"),
            default_acl=os.environ.get("AWS_DEFAULT_ACL") or None,
        )
        if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
            media_options["custom_domain"] = os.environ["AWS_S3_CUSTOM_DOMAIN"]
        private_options = _s3_options(
            os.environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME") or bucket,
            os.environ.get("AWS_PRIVATE_LOCATION", "private"),
            default_acl="private",
            querystring_auth=True,
            querystring_expire=int(os.environ.get("AWS_PRIVATE_URL_EXPIRE", "300")),
        )
        default = {"BACKEND": s3, "OPTIONS": media_options}
        private = {"BACKEND": s3, "OPTIONS": private_options}
    else:
        filesystem = "django.core.files.storage.FileSystemStorage"
        default = {"BACKEND": filesystem, "OPTIONS": {"location": str(media_root)}}
        # No URL serves these: a view checks permissions and streams the file.
        private = {
            "BACKEND": filesystem,
            "OPTIONS": {
                "location": str(private_root),
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    return {"default": default, "private": private, "staticfiles": {"BACKEND": static_backend}}
