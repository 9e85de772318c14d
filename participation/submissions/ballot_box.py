"""The ballot box of anonymous-verified calls: answers stay sealed until a batch opens.

A response's receipt (who took part) is written when the participant answers; nothing
else is. Its answers go into the box as a :class:`SealedBallot`, encrypted with a key the
database does not hold (derived from ``SECRET_KEY``), with no time and a random id. A
sealed ballot sits beside its receipt in arrival order (``xmin``, ``ctid``, the row's
neighbours), but it cannot be read from the database; when ``BATCH`` ballots of a call wait
(or the call has closed), :func:`open_batch` decrypts them all and stores them in one
transaction as new submissions, in a random order, with new random ids, and deletes them.
An edit of an anonymous response is sealed the same way and replaces the submission when
its batch opens, so no submission ever changes at the time its writer was online.

What remains for an operator (docs/privacy.md): with the database alone, which accounts
took part and which batch a response came out of (one in at least ``BATCH``, fewer only
for the last batch of a closed call); with the server's ``SECRET_KEY`` as well, the
ballots still waiting, at most ``BATCH - 1`` per call between two openings.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import random

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from participation.results import tally

from .models import Answer, SealedBallot, Submission, random_id

_random = random.SystemRandom()
NONCE_BYTES = 12
# Every ballot is padded to a multiple of this many bytes before it is encrypted: the length
# of a ciphertext must not tell how long the answers are, or the sizes of the waiting ballots
# (in arrival order) would match the answers of the submissions they became.
PADDING_BYTES = 64 * 1024


def _keys(purpose):
    """Keys for ``purpose`` from ``SECRET_KEY`` first, then ``SECRET_KEY_FALLBACKS``."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        HKDF(algorithm=SHA256(), length=32, salt=None, info=purpose).derive(secret.encode())
        for secret in secrets
    ]


def lookups_of(token):
    """The look-up keys a waiting ballot of this edit secret may have (one per key).

    Keyed, unlike the submission's ``edit_token_hash`` (plain SHA-256): without the key, a
    waiting ballot cannot be matched with the submission it will replace.
    """
    return [
        hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
        for key in _keys(b"hadaf ballot look-up")
    ]


def seal(call_key, content):
    """Encrypt ``content`` (JSON-serializable) for the box of ``call_key``, padded."""
    data = json.dumps(content, ensure_ascii=False, default=str).encode()
    padded_length = -(-(len(data) + 1) // PADDING_BYTES) * PADDING_BYTES
    data = data + b"\n" + b" " * (padded_length - len(data) - 1)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_keys(b"hadaf ballot box")[0]).encrypt(nonce, data, str(call_key).encode())
    return base64.b64encode(nonce + sealed).decode()


def unseal(call_key, text):
    """The content of a sealed ballot (tried with each key, for a rotated SECRET_KEY)."""
    raw = base64.b64decode(text)
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for key in _keys(b"hadaf ballot box"):
        try:
            data = AESGCM(key).decrypt(nonce, sealed, str(call_key).encode())
        except InvalidTag:
            continue
        return json.loads(data)  # JSON ignores the padding's trailing whitespace
    raise ValueError("This ballot was sealed with a key this server does not have.")


def ballot_content(*, call_id, language, duration, answers, question_types, edit_token_hash):
    """What a sealed ballot holds: the response as it will be stored, and how to tally it."""
    return {
        "call_id": call_id,
        "language": language,
        "duration": duration,
        "edit_token_hash": edit_token_hash,
        "question_types": question_types,
        "answers": [_answer_values(answer) for answer in answers],
    }


def _answer_values(answer):
    values = answer.values()
    if values["date"] is not None:
        values["date"] = values["date"].isoformat()
    return values


def answers_of(content):
    """Unsaved :class:`Answer` rows from a ballot's content."""
    answers = []
    for values in content["answers"]:
        if values["date"] is not None:
            values = {**values, "date": datetime.date.fromisoformat(values["date"])}
        answers.append(Answer(**values))
    return answers


def put(call_key, token, content):
    """Seal ``content`` into the box, or replace the waiting ballot of the same secret."""
    lookups = lookups_of(token)
    sealed = seal(call_key, content)
    updated = SealedBallot.objects.filter(call_key=call_key, lookup__in=lookups).update(
        sealed=sealed, lookup=lookups[0]
    )
    if not updated:
        SealedBallot.objects.create(
            pk=random_id(), call_key=call_key, lookup=lookups[0], sealed=sealed
        )


def waiting_content(call_key, token):
    """The content of the ballot waiting for ``token``'s response, or ``None``."""
    ballot = SealedBallot.objects.filter(call_key=call_key, lookup__in=lookups_of(token)).first()
    return None if ballot is None else unseal(call_key, ballot.sealed)


def waiting(call_key):
    """How many sealed ballots of ``call_key`` wait for their batch."""
    return SealedBallot.objects.filter(call_key=call_key).count()


def open_batch(call_key, size, *, closing=False):
    """Store the call's sealed new responses as submissions, in a random order, if a batch
    waits; when the call has closed, every ballot, edits included.

    Called inside the mixing step's transaction (``mixing.mix``). Each new response becomes
    a submission with a new random id, its answers and its tallies. A ballot that changes an
    already stored response waits for the call to close: replacing that response in the
    middle of a call would show which response changed in the batch its writer was online
    for; at closing, it is one among every edit of the call. Opened ballots are deleted.

    Returns:
        int: how many ballots were opened (0 when fewer than ``size`` new ones wait and the
        call is not closing).
    """
    ballots = list(
        SealedBallot.objects.select_for_update().filter(call_key=call_key).order_by("pk")
    )
    contents = {ballot.pk: unseal(call_key, ballot.sealed) for ballot in ballots}
    stored = set(
        Submission.objects.filter(
            call_key=call_key,
            participant=None,
            # Sorted, like every list below: a statement log keeps these lists in the order
            # given, and the ballots' order (arrival, by their ids) must not pair with the
            # order the submissions are written in.
            edit_token_hash__in=sorted(content["edit_token_hash"] for content in contents.values()),
        ).values_list("edit_token_hash", flat=True)
    )
    opening = [
        pk
        for pk, content in contents.items()
        if closing or content["edit_token_hash"] not in stored
    ]
    if not opening or (not closing and len(opening) < size):
        return 0
    _random.shuffle(opening)
    for pk in opening:
        _store(call_key, contents[pk])
    SealedBallot.objects.filter(pk__in=sorted(opening)).delete()
    return len(opening)


def _store(call_key, content):
    """One opened ballot: a new submission, or the replacement of an earlier one."""
    question_types = content["question_types"]
    earlier = (
        Submission.objects.select_for_update()
        .filter(call_key=call_key, participant=None, edit_token_hash=content["edit_token_hash"])
        .first()
    )
    kept = {}
    if earlier is not None:
        if earlier.counts_in_results:
            tally.retract(earlier, list(earlier.answers.all()), question_types)
        kept = {
            "submitted_at": earlier.submitted_at,
            "status": earlier.status,
            "excluded_from_results": earlier.excluded_from_results,
            "is_speeder": earlier.is_speeder,
            "is_straightliner": earlier.is_straightliner,
        }
        earlier.delete()
    submission = Submission.objects.create(
        pk=random_id(),
        call_id=content["call_id"],
        call_key=call_key,
        participant=None,
        edit_token_hash=content["edit_token_hash"],
        language=content["language"],
        started_at=None,
        duration_seconds=content["duration"],
        # A new response's day is the day its batch opened (``Submission.save`` keeps the
        # day only): the day it was answered is its receipt's, and would match the two.
        **kept,
    )
    answers = answers_of(content)
    for answer in answers:
        answer.pk = random_id()
        answer.submission = submission
    Answer.objects.bulk_create(answers)
    if submission.counts_in_results:
        tally.record(submission, answers, question_types)
