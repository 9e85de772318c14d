"""Recomputing a call's opinion map in the background (django-tasks), coalesced.

A vote (or a statement's moderation), a survey response that starts or stops counting, or a
draft's clause stance that changes queues :func:`recompute_opinion_map` after its
transaction commits (``signals``), to run :data:`delay` seconds later; until that run
starts, further votes of the call queue nothing (a key in the shared cache marks the call
as pending), so a burst of votes gives one computation, reading every vote cast until it
starts. The run clears the mark *before* reading the votes: a vote committed after that
queues the next run, so none is left out.

The embedded profile's immediate backend would run the task inside the voter's request;
it cannot defer, so nothing is queued there: the editor's "Recompute" button and
``manage.py recompute_opinion_maps`` (cron) compute the map instead.
"""

import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task, task_backends

from . import maps

DEFAULT_DELAY = 60  # seconds: ``HADAF_OPINION_MAP_DELAY``
PENDING_KEY = "hadaf:opinion-map-pending:{}"


def delay():
    """Seconds between a call's first new vote and the recomputation it queues."""
    return int(getattr(settings, "HADAF_OPINION_MAP_DELAY", DEFAULT_DELAY))


def pending_key(call_key):
    return PENDING_KEY.format(call_key)


@task()
def recompute_opinion_map(call_key):
    """Compute and store the call's opinion map (a new, unpublished snapshot); its id, or
    ``None`` when the call has nothing to map."""
    cache.delete(pending_key(call_key))
    snapshot = maps.recompute(uuid.UUID(str(call_key)))
    return snapshot.pk if snapshot else None


def can_defer():
    """Whether the task backend runs tasks apart from the request (and later)."""
    return task_backends[recompute_opinion_map.backend].supports_defer


def schedule_recompute(call_key):
    """Queue the call's recomputation unless one is already waiting; returns the queued
    task's result, or ``None`` (already pending, or a backend that cannot defer)."""
    if not can_defer():
        return None
    # Kept longer than the delay, so a busy worker does not get a second run queued; if
    # the mark is lost (cache cleared), at most one extra run is queued.
    if not cache.add(pending_key(call_key), 1, timeout=delay() * 10 + 60):
        return None
    run_after = timezone.now() + datetime.timedelta(seconds=delay())
    return recompute_opinion_map.using(run_after=run_after).enqueue(str(call_key))
