"""Issuing, finding and revoking partner API keys.

A key reads ``hdf_<prefix>_<secret>``: the prefix finds the row, the secret's SHA-256
is compared in constant time. The full key is shown once, when it is issued.
"""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from .models import PartnerKey

KEY_TAG = "hdf"
PREFIX_BYTES = 6
SECRET_BYTES = 32
# last_used_at is written at most this often per key: one UPDATE a minute, not per request.
LAST_USED_INTERVAL = datetime.timedelta(minutes=1)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(key, user=None):
    """Give ``key`` (unsaved or saved) a new prefix and secret; return the full key text.

    The caller shows the returned text once; only the secret's hash is stored.
    """
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    key.prefix = prefix
    key.secret_hash = hash_secret(secret)
    if user is not None and user.is_authenticated and key.created_by_id is None:
        key.created_by = user
    key.save()
    return f"{KEY_TAG}_{prefix}_{secret}"


def split_key(text):
    """(prefix, secret) of a key's text, or ``None`` if it is not shaped like one."""
    parts = (text or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_TAG or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def find_key(text):
    """The :class:`PartnerKey` whose full text is ``text`` (usable or not), or ``None``."""
    parts = split_key(text)
    if parts is None:
        return None
    prefix, secret = parts
    key = (
        PartnerKey.objects.select_related("site", "site__application").filter(prefix=prefix).first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(secret)):
        return None
    return key


def touch(key, now=None):
    """Record that ``key`` was used, at most once per :data:`LAST_USED_INTERVAL`."""
    now = now or timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_INTERVAL:
        return
    PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


def revoke(key, user):
    """Revoke ``key`` now (idempotent: a revoked key keeps its first revocation)."""
    with transaction.atomic():
        updated = PartnerKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user if user.is_authenticated else None
        )
    key.refresh_from_db()
    return bool(updated)
