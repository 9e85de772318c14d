"""The shared cache (Redis) that degrades instead of failing when Redis is unreachable.

Redis holds nothing the site cannot do without: pages are rendered from the database,
sessions live in the database (production settings), and the page and API caches are an
optimisation. So when Redis cannot be reached, :class:`ResilientRedisCache`

* answers from a **per-process memory cache** instead (the fallback). Rate-limit counters
  (django-ratelimit, allauth, participation/protection), challenge nonces and Wagtail's
  small caches keep working there, counted per process: with N processes a limit lets
  through at most N times its rate, instead of failing open entirely or refusing every
  request (docs/deploy.md, "When Redis is down");
* opens a **circuit breaker** per process and server: after one failed call, no call
  tries Redis again for ``RETRY_SECONDS``; then one caller probes while the others keep
  using the fallback. A dead Redis costs at most one short timeout per interval, and
  ``/healthz`` reads the breaker's state at once;
* tells the page and API caches (:func:`is_degraded`) that the store is no longer shared
  by every process, so they stand aside rather than keep pages a publish cannot reach;
* on recovery empties the fallback and sends :data:`recovered`, on which the page cache
  makes every page stored before the outage stale.
"""

import contextlib
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.dispatch import Signal
from django_redis.cache import RedisCache
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

# What "Redis is unreachable" looks like: refused or timed-out connections, a server
# still loading, out of memory or read-only. Other errors are bugs and are raised.
UNAVAILABLE = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.OutOfMemoryError,
    redis_errors.ReadOnlyError,
    OSError,
)
DEFAULT_RETRY_SECONDS = 5
# Django's cache API; each answers from the fallback while Redis is unreachable.
FALLBACK_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
    "incr_version",
    "decr_version",
)

# Sent (sender=the cache) in the process that first reaches Redis again after an outage.
recovered = Signal()


class Breaker:
    """Whether to try the server now: after a failure, once per ``retry_seconds`` at most."""

    def __init__(self, retry_seconds):
        self.retry_seconds = retry_seconds
        self.tripped = False
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def allows(self):
        """True when a call may go to the server; claims the one probe of an interval."""
        if not self.tripped:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._retry_at:
                return False
            self._retry_at = now + self.retry_seconds  # the others wait for this probe
            return True

    def failed(self):
        """Open the breaker; True when it was closed (the outage starts now)."""
        with self._lock:
            first = not self.tripped
            self.tripped = True
            self._retry_at = time.monotonic() + self.retry_seconds
        return first

    def succeeded(self):
        """Close the breaker; True when it was open (the outage ends now)."""
        if not self.tripped:
            return False
        with self._lock:
            was_open, self.tripped = self.tripped, False
        return was_open


# One breaker per server in each process: Django makes a cache object per thread.
_breakers = {}
_breakers_lock = threading.Lock()


def breaker(location, retry_seconds=DEFAULT_RETRY_SECONDS):
    """The process's breaker for the Redis server at ``location``."""
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = Breaker(retry_seconds)
        return _breakers[location]


def reset_breakers():
    """Forget every breaker's state (for tests)."""
    with _breakers_lock:
        _breakers.clear()


class LocalFallback(LocMemCache):
    """The per-process stand-in; keys are Redis keys, so no memcached key warnings."""

    def validate_key(self, key):
        pass


class ResilientRedisCache(RedisCache):
    """django-redis's cache, answering from process memory while Redis is unreachable.

    ``OPTIONS["RETRY_SECONDS"]`` (default 5) is how long a process leaves Redis alone
    after a failed call; ``OPTIONS["FALLBACK_MAX_ENTRIES"]`` (default 10,000) bounds the
    fallback.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 10_000))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = breaker(server, retry_seconds)
        self._fallback = LocalFallback(
            f"hadaf-redis-fallback:{server}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": max_entries},
            },
        )

    @property
    def degraded(self):
        """True while Redis is unreachable and calls go to this process's memory."""
        return self._breaker.tripped

    def ping(self):
        """Whether Redis answers now; False at once while the breaker is open."""
        if not self._breaker.allows():
            return False
        try:
            self.client.get_client(write=True).ping()
        except UNAVAILABLE as error:
            self._failed("ping", error)
            return False
        self._succeeded()
        return True

    def close(self, **kwargs):
        with contextlib.suppress(*UNAVAILABLE):
            super().close(**kwargs)

    def _call(self, name, args, kwargs):
        if self._breaker.allows():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNAVAILABLE as error:
                self._failed(name, error)
            else:
                self._succeeded()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def _failed(self, operation, error):
        if self._breaker.failed():
            logger.error(
                "Redis at %s is unreachable (%s: %s); serving from process memory, "
                "retrying every %s s.",
                self._server,
                operation,
                error,
                self._breaker.retry_seconds,
            )

    def _succeeded(self):
        if self._breaker.succeeded():
            logger.warning("Redis at %s answers again; leaving process memory.", self._server)
            self._fallback.clear()
            recovered.send(sender=self)


def _falling_back(name):
    def method(self, *args, **kwargs):
        return self._call(name, args, kwargs)

    method.__name__ = name
    method.__doc__ = getattr(RedisCache, name).__doc__
    return method


for _name in FALLBACK_METHODS:
    setattr(ResilientRedisCache, _name, _falling_back(_name))


def is_degraded(cache):
    """Whether ``cache`` is standing in for an unreachable shared store in this process."""
    return bool(getattr(cache, "degraded", False))
