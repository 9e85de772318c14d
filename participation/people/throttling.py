"""Abuse limits on signing in: django-axes' identity of an attempt and its lockout page.

Axes counts failed sign-ins per (email, IP address) pair on every login form — ours at
/accounts/login/ and the Wagtail admin's — and locks the pair out for a while
(``AXES_FAILURE_LIMIT`` and ``AXES_COOLOFF_TIME`` in the settings). The two forms name
their field differently (allauth's ``login``, Wagtail's ``username``), so the email is
read from whichever the attempt carries, in one letter case.
"""

from django.conf import settings
from django.template.response import TemplateResponse

from pages.persian import localize_digits

LOCKOUT_TEMPLATE = "account/lockout.html"
TOO_MANY_REQUESTS_TEMPLATE = "account/too_many_requests.html"
_CREDENTIAL_KEYS = ("email", "username", "login")


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
    """The email address a sign-in attempt is for, lower-cased (axes' username)."""
    sources = [credentials or {}, getattr(request, "POST", {})]
    for source in sources:
        for key in _CREDENTIAL_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
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


def too_many_requests(request, exception=None):
    """HTTP 429 for allauth's rate limits (sign-up, password reset) and ours."""
    return TemplateResponse(request, TOO_MANY_REQUESTS_TEMPLATE, status=429).render()
