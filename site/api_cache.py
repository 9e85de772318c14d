"""HTTP caching of the read API (/api/v2/) for other sites' servers and browsers.

* **Anonymous reads** (GET/HEAD, no session cookie, no ``Authorization`` header) answer
  200 with ``Cache-Control: public, max-age=HADAF_API_CACHE_SECONDS`` (60 s), an ``ETag``
  (a hash of the body) and ``Last-Modified`` (when this exact body was first served), and a
  bodiless 304 to ``If-None-Match`` / ``If-Modified-Since`` when nothing changed.
* **Signed-in reads** get ``Cache-Control: private, no-store``: no shared cache keeps them.
  Errors are never kept (``no-store``).
* **On the server** anonymous 200 responses are kept for the same time in the page cache's
  store, under the page cache's *generation* (``site.page_cache``): publishing, unpublishing,
  moving or deleting any page (and view restrictions, images, documents) makes every kept
  response stale at once; so do a draft's decisions and rounds and an idea's award here.
  What changes with time alone (a call opening at 14:30, live survey results) is at most
  ``HADAF_API_CACHE_SECONDS`` late, as it is in every reader's cache anyway. The server
  copy is off when the page cache is (``HADAF_PAGE_CACHE_SECONDS=0``, the tests' default).

The headers are set here, in the view, so that a middleware adding ``no-store`` to forms
does not apply to these paths (``API_PATH_PREFIX``).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language

from participation.drafts.models import ClauseDecision, DraftRound
from participation.ideas.choices import AWARDED_STATUSES
from participation.ideas.models import Idea
from participation.impact.models import Commitment, CommitmentSource, CommitmentUpdate, Milestone
from participation.opinions.maps import map_published
from site import page_cache

API_PATH_PREFIX = "/api/v2/"
KEY_PREFIX = "hadaf:api-cache"
# How long the first-seen time of a body is remembered (its Last-Modified).
FIRST_SEEN_SECONDS = 7 * 24 * 60 * 60
KEPT_HEADERS = ("Content-Type", "Vary", "X-API-Limit")
# Like the page cache's X-Hadaf-Cache (hit, miss, pass), for the API's own store.
HEADER = "X-Hadaf-API-Cache"


def max_age():
    return max(int(settings.HADAF_API_CACHE_SECONDS), 0)


def server_seconds():
    """How long the server keeps a response: 0 when either cache is off."""
    return max(min(max_age(), settings.HADAF_PAGE_CACHE_SECONDS), 0)


def is_anonymous(request):
    """Whether the request certainly carries no identity, without opening a session.

    A session cookie that turns out to hold no sign-in still counts as anonymous.
    """
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return True
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def cache_key(request, generation):
    parts = (
        request.get_host(),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        get_language() or "",
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{generation}:{digest}"


def first_seen(etag):
    """When a body with ``etag`` was first served (now, if never), as a Unix time."""
    key = f"{KEY_PREFIX}:seen:{etag}"
    now = int(time.time())
    page_cache.safely(cache.add, key, now, FIRST_SEEN_SECONDS)
    return page_cache.safely(cache.get, key) or now


def mark_public(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=max_age())


def mark_private(response):
    patch_cache_control(response, private=True, no_store=True)


def serve(request, render):
    """The response to an API request, from the cache or ``render()`` (a rendered response).

    Args:
        request: the Django request.
        render: renders the response (DRF's, already rendered to bytes).
    """
    if request.method not in ("GET", "HEAD"):
        return render()
    if not is_anonymous(request):
        response = render()
        mark_private(response)
        return response
    seconds = server_seconds()
    generation = page_cache.safely(page_cache.generation) if seconds else None
    key = cache_key(request, generation) if generation is not None else None
    entry = page_cache.safely(cache.get, key) if key else None
    if entry is not None:
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        mark_public(response, entry["etag"], entry["last_modified"])
        response[HEADER] = "hit"
        return conditional(request, response)
    response = render()
    if response.status_code != 200 or response.streaming:
        patch_cache_control(response, no_store=True)
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    last_modified = first_seen(etag)
    mark_public(response, etag, last_modified)
    if key:
        entry = {
            "content": response.content,
            "headers": [(name, response[name]) for name in KEPT_HEADERS if name in response],
            "etag": etag,
            "last_modified": last_modified,
        }
        page_cache.safely(cache.set, key, entry, seconds)
    response[HEADER] = "miss" if key else "pass"
    return conditional(request, response)


def conditional(request, response):
    """A 304 (same validators and caching headers, no body) when the reader has this body."""
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


def invalidate_when_awarded(instance, **kwargs):
    """An idea becoming a winner or an honourable mention changes a published outcome."""
    if instance.status in AWARDED_STATUSES:
        page_cache.invalidate()


def invalidate_when_round_closes(sender, instance, created, **kwargs):
    """A draft's outcome changes when a round closes or a later one opens; the first round,
    opened quietly by the first comment, changes nothing a reader sees yet."""
    if created and instance.number == 1:
        return
    page_cache.invalidate()


def connect_invalidation():
    """Make kept responses stale when published outcomes change without a page being published.

    The page cache already follows pages, view restrictions, sites, images and documents.
    """
    uid = "hadaf_api_cache"
    for model in (ClauseDecision, DraftRound):
        name = model._meta.label_lower
        post_delete.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"{uid}_{name}_deleted"
        )
    post_save.connect(
        page_cache.invalidate, sender=ClauseDecision, dispatch_uid=f"{uid}_decision_saved"
    )
    post_save.connect(
        invalidate_when_round_closes, sender=DraftRound, dispatch_uid=f"{uid}_round_saved"
    )
    post_save.connect(invalidate_when_awarded, sender=Idea, dispatch_uid=f"{uid}_idea_saved")
    # Commitments change without a page being published (the tracker, the call pages'
    # section, /api/v2/commitments/).
    for model in (Commitment, CommitmentSource, CommitmentUpdate, Milestone):
        name = model._meta.label_lower
        post_save.connect(page_cache.invalidate, sender=model, dispatch_uid=f"{uid}_{name}_saved")
        post_delete.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"{uid}_{name}_deleted"
        )
    # An opinion map published or withdrawn (the call page's include, /api/v2/ opinion_map).
    map_published.connect(page_cache.invalidate, dispatch_uid=f"{uid}_opinion_map")
