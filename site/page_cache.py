"""Whole-page cache for anonymous visitors, made stale whenever the page tree changes.

A public page is stored after an anonymous visitor's GET and served from the cache
(Redis in production, memory otherwise) to the next anonymous visitors, without
touching the database. ``X-Hadaf-Cache`` says what happened: ``hit`` (from the cache),
``miss`` (rendered and stored) or ``pass`` (rendered, not shareable).

Why a small middleware and not Django's ``UpdateCacheMiddleware``/``FetchFromCacheMiddleware``:
those key each entry by the request headers the response varies on. Every page that
looks at ``request.user`` touches the session, and then varies on ``Cookie``, so each
visitor with any cookie (a CSRF cookie from the sign-in page, an analytics cookie)
gets an entry of their own; dropping that ``Vary`` instead would let them hand a
signed-in page to the next visitor, because they store responses of signed-in
requests too. They also cannot tell which responses carried a CSRF token or a
message, have no way to make everything stale at once short of ``cache.clear()``,
and send ``max-age`` downstream. The rules here are the ones we need, stated once:

* **Who reads the cache**: GET and HEAD requests for public paths (not the admin, API,
  health check, documents, static or media files) with no session cookie, no messages
  cookie and no ``Authorization`` header. A session may hold anything that shapes the
  page (a sign-in, a page password, a half-filled survey), so a request with one is
  always rendered; reading it to look would also cost a query per request.
* **What is stored**: a 200 response to a GET whose request carried no cookie other
  than the CSRF and language cookies, that set no cookie, did not use the CSRF token
  (Django then sets ``CSRF_COOKIE_NEEDS_UPDATE``), added no message, is not marked
  ``private``/``no-cache``/``no-store`` (Wagtail marks restricted pages so), varies on
  nothing but ``Cookie`` and ``Accept-Language``, and is in the language its URL names.
* **The key**: scheme, host, path with query string and the URL's language, under a
  *generation* number. :func:`invalidate` bumps the generation when a page is
  published, unpublished, moved or deleted, when view restrictions, sites, images or
  documents change: each cached page shows the navigation of the whole tree, so
  everything goes stale at once. Views whose numbers change without publishing
  (comment counts, live results) mark their response :func:`common.caching.short_lived`.
* **Downstream**: stored pages go out with ``Cache-Control: private, no-cache`` and an
  ``ETag``. No shared proxy may keep them (it could hand one to a signed-in visitor),
  and a browser asks again each time (a visitor who just signed in must not see the
  page they saw before), getting a bodiless 304 when the page is unchanged.
"""

import hashlib
import logging
import time

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language_from_path

from common.caching import DYNAMIC
from site.cache import is_degraded, recovered

logger = logging.getLogger(__name__)

HEADER = "X-Hadaf-Cache"
KEY_PREFIX = "hadaf:page-cache"
GENERATION_KEY = f"{KEY_PREFIX}:generation"
# Every route outside i18n_patterns in site/urls.py (a test checks): their language follows
# the browser, not the URL. STATIC_URL and MEDIA_URL are added from the settings.
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/oauth/", "/healthz", "/documents/", "/i18n/")
# The language comes from the URL on the public site, whatever these headers say.
SHAREABLE_VARY = {"accept-language", "cookie"}
UNSHAREABLE_CACHE_CONTROL = {"private", "no-cache", "no-store"}
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage.


def invalidate(**kwargs):
    """Make every cached page stale. Also a signal receiver.

    Bumped at once and again after the transaction commits: a page rendered from the
    old data in between would otherwise be stored under the new generation.
    """
    safely(_bump_generation)
    transaction.on_commit(lambda: safely(_bump_generation))


def _bump_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # Never set, or evicted: start from a number no old key used.
        cache.set(GENERATION_KEY, time.time_ns(), None)


def safely(operation, *args):
    """Run a cache operation; when the cache is down, log it and go on without (``None``)."""
    try:
        return operation(*args)
    except Exception:
        logger.warning("The page cache is unavailable.", exc_info=True)
        return None


def generation():
    """The current generation, part of every key; None while the shared cache is down.

    While Redis is unreachable the cache answers from each process's own memory
    (site/cache.py), where a publish would make pages stale in one process only: pages
    are then rendered, not stored.
    """
    was_degraded = is_degraded(cache)
    value = _read_generation()
    if is_degraded(cache):
        return None
    if was_degraded:
        # This very read was the probe that found Redis again, and the recovery made
        # every stored page stale only after it: read the new generation.
        value = _read_generation()
    return value


def _read_generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def invalidate_after_outage(**kwargs):
    """Redis answers again: pages it kept may predate what was published meanwhile."""
    safely(_bump_generation)


def url_language(request):
    """The language the public site serves ``request`` in: its URL prefix, else the default."""
    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def cache_key(request, generation_number):
    """The key of ``request``'s page: scheme, host, path, query string and language."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"{KEY_PREFIX}:{generation_number}:{url_language(request)}:{digest}"


def is_public_path(path):
    """Whether ``path`` is on the public site (not the admin, API, health, files)."""
    excluded = (*EXCLUDED_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
    return not path.startswith(tuple(prefix for prefix in excluded if prefix))


def may_read_cache(request):
    """Whether ``request`` is anonymous for certain: no session, message or credentials."""
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.COOKIES.get(MESSAGES_COOKIE)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def lifetime(request, response):
    """Seconds to keep ``response`` for every anonymous visitor; 0 when it must not be shared."""
    ignored_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    messages = getattr(request, "_messages", None)
    cache_control = {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    shareable = (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and {name for name, value in request.COOKIES.items() if value} <= ignored_cookies
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and not (messages is not None and messages.added_new)
        and not cache_control & UNSHAREABLE_CACHE_CONTROL
        and vary - {""} <= SHAREABLE_VARY
        and response.get("Content-Language", url_language(request)) == url_language(request)
    )
    if not shareable:
        return 0
    seconds = settings.HADAF_PAGE_CACHE_SECONDS
    if getattr(response, "hadaf_page_cache", None) == DYNAMIC:
        seconds = min(seconds, settings.HADAF_PAGE_CACHE_DYNAMIC_SECONDS)
    return max(seconds, 0)


def store(key, response, seconds):
    """Mark ``response`` for browsers (private, ETag) and keep it under ``key``."""
    response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    patch_cache_control(response, private=True, no_cache=True)
    entry = {
        "status": response.status_code,
        "headers": [(name, value) for name, value in response.items() if name != HEADER],
        "content": response.content,
    }
    cache.set(key, entry, seconds)


def from_entry(request, entry):
    """The cached response, or a 304 when the browser already has it."""
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    response = get_conditional_response(request, etag=response["ETag"], response=response)
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serve anonymous visitors from the cache; store what every anonymous visitor may see.

    Place it before ``SessionMiddleware``: a hit then costs no session, user or database
    work, and on the way out it sees every cookie the inner middleware sets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.HADAF_PAGE_CACHE_SECONDS <= 0 or not is_public_path(request.path_info):
            return self.get_response(request)
        # None for a visitor who may not read it, or when the cache is down.
        generation_number = safely(generation) if may_read_cache(request) else None
        if generation_number is None:
            return self.render_unshared(request)
        key = cache_key(request, generation_number)
        entry = safely(cache.get, key)
        if entry is not None:
            return from_entry(request, entry)
        response = self.get_response(request)
        seconds = lifetime(request, response)
        if seconds:
            safely(store, key, response, seconds)
        response[HEADER] = "miss" if seconds else "pass"
        return response

    def render_unshared(self, request):
        response = self.get_response(request)
        response[HEADER] = "pass"
        return response


class PageCacheConfig(AppConfig):
    """Connects the invalidation signals in every process (web, worker, ``publish_scheduled``)."""

    name = "site.page_cache"
    label = "page_cache"
    verbose_name = "Page cache"

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        uid = "hadaf_page_cache"
        recovered.connect(invalidate_after_outage, dispatch_uid=f"{uid}_redis_recovered")
        page_published.connect(invalidate, dispatch_uid=f"{uid}_published")
        page_unpublished.connect(invalidate, dispatch_uid=f"{uid}_unpublished")
        post_page_move.connect(invalidate, dispatch_uid=f"{uid}_moved")
        post_delete.connect(invalidate, sender=Page, dispatch_uid=f"{uid}_deleted")
        for model in (PageViewRestriction, Site, get_image_model(), get_document_model()):
            name = model._meta.label_lower
            post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}_{name}_saved")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}_{name}_deleted")
        # Published outcomes (decisions, awards) change without a page being published.
        from site import api_cache  # it imports every call type's models

        api_cache.connect_invalidation()
