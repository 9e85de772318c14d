"""``Idempotency-Key``: a retried request is answered from the first one's stored outcome.

The record and the submission are written in one transaction, so they exist together
or not at all. Two identical requests racing meet at the record's unique constraint:
on PostgreSQL the second waits for the first to commit, then replays its answer. Only
successful outcomes are kept: after a refusal the client may correct the request and
send it again under the same key. Records older than :data:`RETENTION` are purged.

For an anonymous-verified call the record must not link the participant to the response
(docs/privacy.md): its body says only "received", its time is the day, and its
fingerprint is keyed with ``SECRET_KEY``, so the database alone cannot test which
participant and answers it was made from.
"""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from participation.submissions.models import coarse_time

from .errors import ApiError
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
RETENTION = datetime.timedelta(hours=24)
FINGERPRINT_SALT = "hadaf.partners.idempotency"


def fingerprint(request, participant_id, keyed=False):
    """A hash of what makes two requests the same: method, path, participant, body
    (``keyed``: an HMAC under ``SECRET_KEY``, for anonymous-verified calls)."""
    digest = hashlib.sha256()
    for part in (request.method, request.path, str(participant_id or "")):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    if keyed:
        return salted_hmac(FINGERPRINT_SALT, digest.hexdigest(), algorithm="sha256").hexdigest()
    return digest.hexdigest()


def idempotency_key(request):
    """The request's ``Idempotency-Key`` (``""`` when absent); refuses a malformed one."""
    key = request.headers.get(HEADER, "")
    if not key:
        return ""
    if len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.strip():
        raise ApiError(
            400,
            "invalid_idempotency_key",
            _("The Idempotency-Key header must be 1 to 255 printable characters."),
        )
    return key


def replay(record):
    response = JsonResponse(record.body, status=record.status_code)
    response[REPLAYED_HEADER] = "true"
    return response


def _stored(partner_key, key, request_fingerprint):
    record = IdempotencyRecord.objects.filter(
        partner_key=partner_key, key=key, created_at__gte=timezone.now() - RETENTION
    ).first()
    if record is not None and record.fingerprint != request_fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request."
            ),
        )
    return record


def run_once(request, partner_key, participant_id, handler, *, anonymous=False):
    """Run ``handler`` at most once per idempotency key; return a JSON response.

    Args:
        request: the API request (its ``Idempotency-Key`` header and body).
        partner_key: the calling :class:`PartnerKey` (keys are per partner key).
        participant_id: the participant's id, part of what makes requests the same.
        handler: a callable storing the change and returning ``(status, body)``; it may
            raise :class:`ApiError`, which rolls everything back.
        anonymous: an anonymous-verified call: the record is dated by the day (kept 24 to
            48 hours) and keyed (see the module's docstring); the handler's body must
            name no response.

    Returns:
        JsonResponse: the handler's outcome, or the stored one for a retry (with the
        ``Idempotent-Replayed: true`` header).
    """
    key = idempotency_key(request)
    if not key:
        with transaction.atomic():
            status, body = handler()
        return JsonResponse(body, status=status)
    request_fingerprint = fingerprint(request, participant_id, keyed=anonymous)
    record = _stored(partner_key, key, request_fingerprint)
    if record is not None:
        return replay(record)
    purge_expired(partner_key)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        partner_key=partner_key,
                        key=key,
                        fingerprint=request_fingerprint,
                        created_at=coarse_time(timezone.now()) if anonymous else timezone.now(),
                    )
            except IntegrityError:
                raise _AlreadyStored() from None
            status, body = handler()
            record.status_code, record.body = status, body
            record.save(update_fields=["status_code", "body"])
    except _AlreadyStored:
        # A racing request with the same key committed first (it waited for it).
        record = _stored(partner_key, key, request_fingerprint)
        if record is None:
            raise ApiError(
                409,
                "idempotency_conflict",
                _("A request with this Idempotency-Key is being processed; try again."),
            ) from None
        return replay(record)
    return JsonResponse(body, status=status)


class _AlreadyStored(Exception):
    pass


def purge_expired(partner_key=None, now=None):
    """Delete records older than :data:`RETENTION` (of one key, or all); return how many."""
    now = now or timezone.now()
    records = IdempotencyRecord.objects.filter(created_at__lt=now - RETENTION)
    if partner_key is not None:
        records = records.filter(partner_key=partner_key)
    deleted, _by_model = records.delete()
    return deleted


def body_json(request):
    """The request body as a dict; refuses malformed JSON or a body that is not an object."""
    try:
        data = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", _("The request body must be a JSON object."))
    return data
