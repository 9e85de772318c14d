"""Abuse limits on signing in: django-axes' identity of an attempt and its lockout page.

Axes counts failed sign-ins per (email, IP address) pair on every login form — ours at
/accounts/login/ and the Wagtail admin's — and locks the pair out for a while
(``AXES_FAILURE_LIMIT`` and ``AXES_COOLOFF_TIME`` in the settings). The two forms name
their field differently (allauth's ``login``, Wagtail's ``username``), so the email is
read from whichever the attempt carries, in its canonical form (``emails.py``): the same
form the backends look the account up by, so no other spelling of an address (``ſ`` for
``s``, a fullwidth letter) gets fresh attempts at the same account.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from participation.emails import canonical_email
from participation.persian import localize_digits

LOCKOUT_TEMPLATE = "account/lockout.html"
TOO_MANY_REQUESTS_TEMPLATE = "account/too_many_requests.html"
_CREDENTIAL_KEYS = ("email", "username", "login")
# When nothing says how long a limit lasts: allauth's limits are mostly per minute.
DEFAULT_RETRY_AFTER = 60
# allauth's rate-limited views and the action each counts under (ACCOUNT_RATE_LIMITS).
ALLAUTH_ACTIONS = {
    "account_signup": "signup",
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_email": "manage_email",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_reauthenticate": "reauthenticate",
}


def client_ip(request):
    """The visitor's IP address, the same for axes, allauth and django-ratelimit.

    ``REMOTE_ADDR`` unless ``HADAF_TRUSTED_PROXIES`` proxies of ours stand in front of the
    app: then the address the outermost of them saw, read from the right of
    ``X-Forwarded-For`` (entries further left are whatever the client chose to send).
    """
    proxies = settings.HADAF_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def attempt_username(request, credentials):
    """The canonical email address a sign-in attempt is for (axes' username)."""
    sources = [credentials or {}, getattr(request, "POST", {})]
    for source in sources:
        for key in _CREDENTIAL_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return canonical_email(value)
    return None


def cooloff_minutes():
    """How many minutes a lockout lasts, per the settings."""
    cooloff = settings.AXES_COOLOFF_TIME
    return max(1, round(cooloff.total_seconds() / 60)) if cooloff else 0


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out visitor sees instead of the login form (HTTP 429)."""
    return TemplateResponse(
        request,
        LOCKOUT_TEMPLATE,
        {"minutes": cooloff_minutes(), "minutes_shown": localize_digits(cooloff_minutes())},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    ).render()


def wants_json(request):
    """An API path, or a client that asked for JSON (a browser's ``*/*`` does not count)."""
    if request.path.startswith("/api/"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def wait_text(seconds):
    """How long to wait ("40 seconds", "3 minutes"), in the page's digits."""
    if seconds < 60:
        return ngettext("%(count)s second", "%(count)s seconds", seconds) % {
            "count": localize_digits(seconds)
        }
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {
        "count": localize_digits(minutes)
    }


def too_many_requests(request, exception=None, *, retry_after=None, replay=None, message=None):
    """HTTP 429 with Retry-After, for allauth's rate limits and ours.

    Args:
        retry_after: seconds until the limit's window ends; worked out from allauth's
            counters when allauth calls this as ``handler429``.
        replay: the posted (name, value) pairs, which the page offers to send again,
            so a person who was limited loses nothing.
        message: what was limited, when it is more than "too many requests" (translated).
    """
    if retry_after is None:
        retry_after = allauth_retry_after(request)
    retry_after = max(1, int(retry_after))
    detail = message or gettext("Too many requests came from your connection in a short time.")
    if wants_json(request):
        response = JsonResponse(
            {"error": "too_many_requests", "detail": str(detail), "retry_after": retry_after},
            status=429,
        )
    else:
        context = {
            "message": message,
            "wait": wait_text(retry_after),
            "replay": replay or [],
            "action": request.get_full_path(),
        }
        response = TemplateResponse(
            request, TOO_MANY_REQUESTS_TEMPLATE, context, status=429
        ).render()
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def allauth_retry_after(request):
    """Seconds until allauth lets this view's action through again (its counters keep the
    time of each attempt); :data:`DEFAULT_RETRY_AFTER` when that can't be told."""
    match = getattr(request, "resolver_match", None)
    action = ALLAUTH_ACTIONS.get(getattr(match, "url_name", None))
    if action is None:
        return DEFAULT_RETRY_AFTER
    return rate_limit_wait(request, action, canonical_email(request.POST.get("email")) or None)


def rate_limit_wait(request, action, key=None, default=DEFAULT_RETRY_AFTER):
    """Seconds until allauth's limits for ``action`` (``ACCOUNT_RATE_LIMITS``) let this
    request through again, counting per-``key`` rates only when ``key`` is given;
    ``default`` when that can't be told or no rate is exhausted."""
    # allauth keeps these helpers internal; if they change, fall back to the default.
    try:
        from allauth.core.internal import ratelimit as allauth_ratelimit

        waits = []
        for rate in allauth_ratelimit.get_rates(app="allauth.account", action=action):
            if (rate.per == "key" and not key) or (
                rate.per == "user" and not request.user.is_authenticated
            ):
                continue
            cache_key = allauth_ratelimit.get_cache_key(
                request,
                app="allauth.account",
                action=action,
                rate=rate,
                key=key if rate.per == "key" else None,
            )
            history = cache.get(cache_key, [])
            if len(history) >= rate.amount:
                waits.append(history[rate.amount - 1] + rate.duration - time.time())
    except Exception:  # noqa: BLE001 - allauth's internals moved
        return default
    return math.ceil(max(waits)) if waits else default
