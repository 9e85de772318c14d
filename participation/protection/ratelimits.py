"""Counting a POST against its scope's rules, with django-ratelimit's counters.

Each rule is one django-ratelimit counter (``get_usage`` with ``increment=True``) in the
shared cache: Redis in production, so every process agrees.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django_ratelimit.core import get_usage

from participation.people.throttling import client_ip

from .limits import ACCOUNT, BROWSER

security_log = logging.getLogger("hadaf.security")


@dataclass
class Count:
    """What counting one POST found: the rules it went over and how long they last."""

    hard: list = field(default_factory=list)
    soft: list = field(default_factory=list)
    hard_wait: int = 0
    soft_wait: int = 0


def address_key(request):
    """The client's address; an IPv6 client is its /64, which it can't hop around in."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(parsed)


def browser_key(request):
    """A stable, unguessable id of this browser: a hash of its CSRF cookie.

    Every form POST must carry that cookie (CSRF), so a client that throws it away to
    escape its own limit must load the form again, and still counts against its address.
    """
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not secret and hasattr(request, "session"):
        secret = request.session.session_key or ""
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def key_for(rule, request):
    """The counter's key for ``rule`` in this request; ``None`` when the rule doesn't apply."""
    signed_in = request.user.is_authenticated
    if rule.key == ACCOUNT:
        return f"account:{request.user.pk}" if signed_in else None
    if rule.key == BROWSER:
        return None if signed_in else f"browser:{address_key(request)}:{browser_key(request)}"
    return f"ip:{address_key(request)}"


def count(request, scope, *, increment=True):
    """Count this request against every rule of ``scope`` that applies to it.

    The cache being down lets the request through (logged): people taking part matter
    more than the limits, and the bot traps still apply.
    """
    result = Count()
    for rule in scope.rules:
        value = key_for(rule, request)
        if value is None:
            continue
        try:
            usage = get_usage(
                request,
                group=f"hadaf.{scope.name}",
                key=lambda _group, _request, value=value: value,
                rate=rule.rate,
                increment=increment,
            )
        except Exception:  # noqa: BLE001 - any cache failure
            security_log.exception("Rate limit counter unavailable (scope %s).", scope.name)
            return Count()
        if usage is None or not usage["should_limit"] or usage["time_left"] < 0:
            continue
        # The window ends one second after time_left reaches 0 (django-ratelimit counts the
        # boundary second in the old window).
        wait = usage["time_left"] + 1
        if rule.soft:
            result.soft.append(rule)
            result.soft_wait = max(result.soft_wait, wait)
        else:
            result.hard.append(rule)
            result.hard_wait = max(result.hard_wait, wait)
    return result
