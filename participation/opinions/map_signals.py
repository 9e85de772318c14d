"""Queue the opinion map's recomputation after its inputs change (``tasks.schedule_recompute``).

Signals rather than calls in ``services``: every way a vote is stored (the web form, the
partner API, an admin) then reaches it, and bulk loads (``import_polis``, the demo) do not
queue one computation per vote. The other inputs (``inputs``) reach it the same way: a
survey response that starts or stops counting in results, or whose counted answers change
(``results.tally.counted_responses_changed``), and a draft's clause stance that is written,
moderated or removed (the drafts app says so through ``participation.opinion_inputs``). All
queue the same coalesced task, after their transaction commits.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from participation import opinion_inputs
from participation.results.tally import counted_responses_changed

from .models import Statement, StatementVote
from .tasks import schedule_recompute


def _queue(call_key):
    transaction.on_commit(lambda: schedule_recompute(call_key), robust=True)


def vote_changed(sender, instance, **kwargs):
    try:
        call_key = instance.statement.call_key
    except Statement.DoesNotExist:  # deleted with its statement
        return
    _queue(call_key)


def statement_changed(sender, instance, created=False, **kwargs):
    if not created:  # A new statement has no votes but its author's (a vote of its own).
        _queue(instance.call_key)


def responses_changed(sender, call_key, **kwargs):
    _queue(call_key)


def connect():
    post_save.connect(vote_changed, sender=StatementVote, dispatch_uid="opinion_map_vote")
    post_delete.connect(vote_changed, sender=StatementVote, dispatch_uid="opinion_map_unvote")
    post_save.connect(statement_changed, sender=Statement, dispatch_uid="opinion_map_statement")
    counted_responses_changed.connect(responses_changed, dispatch_uid="opinion_map_responses")
    opinion_inputs.listen(_queue)
