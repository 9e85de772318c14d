"""Cross-origin calls to the partner API, allowed per key (django-cors-headers' signal).

A browser's real request carries the key: its origin must be on that key's list. A
preflight (OPTIONS) carries no key, so it is answered for an origin on the list of any
usable key; the real request that follows is still checked against its own key.
Nothing outside /api/hadaf/ is enabled here.
"""

from django.db.models import Q
from django.utils import timezone

from .auth import KEY_HEADER
from .keys import find_key
from .models import PartnerKey

API_PREFIX = "/api/hadaf/"


def _normalized(origin):
    return (origin or "").strip().rstrip("/").lower()


def usable_keys(now=None):
    now = now or timezone.now()
    return PartnerKey.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        revoked_at__isnull=True,
        site__is_active=True,
    ).exclude(allowed_origins="")


def origin_allowed_for_request(request):
    """Whether ``request``'s Origin may call the partner API (see the module docstring)."""
    if not request.path_info.startswith(API_PREFIX):
        return False
    origin = _normalized(request.headers.get("Origin"))
    if not origin:
        return False
    is_preflight = (
        request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    )
    if is_preflight:
        return any(origin in key.origins for key in usable_keys().only("allowed_origins"))
    partner_key = getattr(request, "partner_key", None) or find_key(
        request.headers.get(KEY_HEADER, "")
    )
    return bool(partner_key and partner_key.is_usable() and origin in partner_key.origins)


def check_request_enabled(sender, request, **kwargs):
    return origin_allowed_for_request(request)
