"""Mixing anonymous-verified participation so that nothing stored keeps its arrival order.

An anonymous-verified response writes two rows in one transaction: the receipt (who took
part) and a sealed ballot (what was answered, encrypted: ``ballot_box``). Ids are random
and dates are days (see ``models``), but a database still remembers more than its columns:
on PostgreSQL every row version carries the id of the transaction that wrote it (``xmin``)
and sits where it was written (``ctid``), in arrival order. Two steps take that away
(docs/privacy.md says what each leaves):

* :func:`churn_receipts`, in the response's own transaction: ``BATCH - 1`` other receipts
  of the call are rewritten with the new one, in a random order, so the transaction that
  wrote a ballot also wrote at least ``BATCH`` receipts, in no telling order.
* :func:`mix`, once ``BATCH`` ballots wait (or when the call has closed): the ballots are
  opened into new submissions in a random order (``ballot_box.open_batch``), and in the
  same transaction as many receipts (when the call has closed: all of them, and all its
  submissions) and all the call's tallies (with new random ids) are rewritten in a random
  order. Then :data:`batch_released` is sent, so the incentives of anonymous calls are
  awarded per batch, in a random order, rather than one by one as people answer.
  Submissions stored in arrival order before the ballot box (``awaiting_mix``) are
  rewritten in a random order, padded with random earlier ones, by the same step.

On SQLite, rows are stored in the order of their (random) ids and there is no ``xmin``:
both steps are harmless there and kept for the same behaviour.
"""

import random

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Collate
from django.dispatch import Signal

from . import ballot_box
from .models import Answer, AnswerTally, ParticipationReceipt, Submission, random_id

DEFAULT_BATCH = 10

# Sent after a mixing step commits, with ``call_key``: the receipts of the call may now be
# rewarded (the receiver awards those not yet awarded, in a random order).
batch_released = Signal()

_random = random.SystemRandom()


def batch_size():
    """How many anonymous responses are mixed together at least (``HADAF_ANONYMOUS_BATCH``)."""
    return max(int(getattr(settings, "HADAF_ANONYMOUS_BATCH", DEFAULT_BATCH)), 2)


def _sample(queryset, count):
    """The primary keys of up to ``count`` random rows of ``queryset``."""
    if count <= 0:
        return []
    return list(queryset.order_by("?").values_list("pk", flat=True)[:count])


def _rewrite_in_random_order(model, pks, field_name):
    """Rewrite each row of ``pks`` in a random order; each gets a new version and place.

    ``field_name`` is written with its own value. The rows are locked first in key order
    (a fixed order, so concurrent calls cannot deadlock), then written one by one in a
    shuffled order.
    """
    pks = list(pks)
    if not pks:
        return
    _lock(model, pks)
    _random.shuffle(pks)
    for pk in pks:
        model.objects.filter(pk=pk).update(**{field_name: F(field_name)})


def _lock(model, pks):
    """Lock the rows ``pks`` in key order (one order for every caller: no deadlock)."""
    if pks:
        list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))


TALLY_FIELDS = ("call_key", "segment", "question_id", "row_id", "choice_id", "value", "count")


def _rewrite_tallies(call_key):
    """Write the call's tallies again, in a random order, with new random ids.

    A tally row that a response created (count 1) sits where, and carries the transaction
    id of when, it was written: in arrival order, matchable with logins. Deleted and
    inserted again in a shuffled order, with the same counts (the change counter too), the
    rows keep neither. They are locked first in the order submissions update them
    (``tally._upsert`` sorts its rows by code point, PostgreSQL's "C" collation), so the
    two cannot deadlock; a submission waiting on a deleted row finds the new one. Only the
    rows locked here are rewritten, so one inserted meanwhile is neither lost nor doubled.
    """
    tallies = AnswerTally.objects.filter(call_key=call_key).select_for_update()
    if connection.vendor == "postgresql":
        keys = ("segment", "question_id", "row_id", "choice_id", "value")
        tallies = tallies.order_by(*(Collate(F(name), "C") for name in keys))
    rows = list(tallies.values("pk", *TALLY_FIELDS))
    if not rows:
        return
    AnswerTally.objects.filter(pk__in=[row.pop("pk") for row in rows]).delete()
    _random.shuffle(rows)
    AnswerTally.objects.bulk_create(AnswerTally(pk=random_id(), **row) for row in rows)


def churn_receipts(receipt, *, call_key=None):
    """Rewrite ``receipt`` together with ``BATCH - 1`` random receipts of its call (or, for
    an edit, which writes no receipt, ``BATCH`` random receipts of ``call_key``).

    Called in the transaction that wrote ``receipt`` and its sealed ballot; see the module
    docstring.
    """
    own = [] if receipt is None else [receipt.pk]
    others = _sample(
        ParticipationReceipt.objects.filter(call_key=call_key or receipt.call_key).exclude(
            pk__in=own
        ),
        batch_size() - len(own),
    )
    _rewrite_in_random_order(ParticipationReceipt, [*own, *others], "call_key")


def waiting(call_key):
    """How many anonymous responses of ``call_key`` wait: sealed ballots, and rows written
    in arrival order before the ballot box (``awaiting_mix``)."""
    legacy = Submission.objects.filter(call_key=call_key, awaiting_mix=True).count()
    return ballot_box.waiting(call_key) + legacy


def mix(call_key, *, closing=False):
    """Open a batch of sealed ballots of ``call_key`` and mix, if enough wait (or closing).

    Args:
        call_key: the call's translation key.
        closing: the call is closed: open every waiting ballot, however few, and mix every
            response and receipt of the call, so the final state keeps no batch boundaries.

    Returns:
        int: how many responses were opened or mixed (0 when it was not yet time).
    """
    size = batch_size()
    with transaction.atomic():
        opened = ballot_box.open_batch(call_key, size, closing=closing)
        # Responses stored in arrival order before the ballot box existed.
        pending = list(
            Submission.objects.select_for_update()
            .filter(call_key=call_key, awaiting_mix=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not opened and not closing and len(pending) < size:
            return 0
        anonymous = Submission.objects.filter(call_key=call_key, participant__isnull=True)
        anonymous = anonymous.exclude(edit_token_hash="")
        receipts = ParticipationReceipt.objects.filter(call_key=call_key)
        if closing:
            padding = list(anonymous.filter(awaiting_mix=False).values_list("pk", flat=True))
            receipt_pks = list(receipts.values_list("pk", flat=True))
        else:
            padding = _sample(anonymous.filter(awaiting_mix=False), size - len(pending))
            receipt_pks = _sample(receipts, max(size, len(pending)))
        _lock(Submission, padding)
        group = pending + padding
        _random.shuffle(group)
        for pk in group:
            Submission.objects.filter(pk=pk).update(awaiting_mix=False)
            Answer.objects.filter(submission_id=pk).update(question_id=F("question_id"))
        _rewrite_in_random_order(ParticipationReceipt, receipt_pks, "call_key")
        _rewrite_tallies(call_key)
        if not opened and not group and not receipt_pks:
            return 0
        transaction.on_commit(
            lambda: batch_released.send(sender=ParticipationReceipt, call_key=call_key),
            robust=True,
        )
    return opened + len(pending)
