"""``/healthz``: is this process able to reach its database and cache?"""

import logging
import time

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database():
    """True when a trivial query succeeds on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return False
    return True


def check_cache():
    """True when the shared cache answers (a value written reads back).

    Redis (``site.cache.ResilientRedisCache``) is asked with one short PING, and not at
    all while its circuit breaker is open: the answer is then "degraded" at once.
    """
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return ping()
    key = "healthz:probe"
    token = str(time.monotonic_ns())
    try:
        cache.set(key, token, timeout=10)
        return cache.get(key) == token
    except Exception:  # Cache backends raise their own client errors.
        logger.exception("Health check: cache unreachable")
        return False


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not; the cache is reported either way."""
    database_ok = check_database()
    cache_ok = check_cache()
    body = {
        "status": "ok" if database_ok and cache_ok else ("degraded" if database_ok else "error"),
        "checks": {"database": database_ok, "cache": cache_ok},
    }
    return JsonResponse(body, status=200 if database_ok else 503)
