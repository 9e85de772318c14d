"""Telling contributors what became of their contribution, in a task after the commit.

The services queue :func:`tell_contributors` once the editor's transaction commits; it
asks each cited contribution's app who contributed it (``participation.sources``: never
anyone behind an anonymous-verified contribution) and tells each person once per update
(``participation.notices``: a dashboard notice and an email, in the reader's language).

:func:`refresh_effectiveness` recounts the effectiveness dashboard; ``signals`` queue it
(:func:`schedule_refresh`) once a change commits, coalesced.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from participation import notices, sources
from participation.persian import format_date

from .choices import UpdateKind
from .models import CommitmentUpdate

NOTICE_KIND = "impact"


def notice_title(update):
    """One line, in the active language, saying what happened to the commitment."""
    commitment = update.commitment
    if update.kind == UpdateKind.CREATED:
        return _("A commitment follows from your contribution: “%(title)s”") % {
            "title": commitment.title
        }
    return _("“%(title)s” is now: %(status)s") % {
        "title": commitment.title,
        "status": update.get_status_display(),
    }


def notice_body(update):
    """Who carries it out, by when, and the editor's reason if any, in the active language."""
    commitment = update.commitment
    lines = []
    if commitment.unit_label:
        lines.append(_("Responsible: %(unit)s") % {"unit": commitment.unit_label})
    if update.due_date:
        lines.append(_("Due: %(date)s") % {"date": format_date(update.due_date)})
    if update.text:
        lines.append(update.text)
    return "\n".join(lines)


def recipients(commitment):
    """The active people behind the commitment's sources, each once."""
    people = {}
    for source in commitment.sources.all():
        for person in sources.contributors(source.ref):
            if person is not None and person.is_active:
                people.setdefault(person.pk, person)
    return list(people.values())


@task()
def tell_contributors(update_id):
    """Tell everyone whose contribution the commitment cites about update ``update_id``."""
    update = (
        CommitmentUpdate.objects.select_related("commitment__university")
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return 0
    commitment = update.commitment
    title = notices.in_languages(notice_title, update)
    body = notices.in_languages(notice_body, update)
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("impact:detail", args=[commitment.pk])
    told = 0
    for person in recipients(commitment):
        notice = notices.notify(
            person,
            kind=NOTICE_KIND,
            key=f"commitment:{commitment.pk}:{update.pk}",
            title=title,
            body=body,
            url=url,
        )
        told += notice is not None
    return told


# Minutes between a contribution and the recount it queues: ``HADAF_EFFECTIVENESS_DELAY``.
DEFAULT_REFRESH_DELAY = 10
REFRESH_PENDING_KEY = "hadaf:effectiveness-refresh-pending"


def refresh_delay():
    """Seconds between the first change since the last recount and the recount it queues."""
    return int(getattr(settings, "HADAF_EFFECTIVENESS_DELAY", DEFAULT_REFRESH_DELAY)) * 60


@task()
def refresh_effectiveness():
    """Recount the effectiveness dashboard's figures (seconds at a million submissions).

    Queued after a contribution, a commitment or a "did we hear you?" answer is saved
    (:func:`schedule_refresh`, at most one waiting at a time), by an editor's "Recount
    now", and by ``manage.py refresh_effectiveness`` (cron, hourly: the embedded profile's
    immediate backend cannot wait, and bulk loads send no signals).
    """
    from .effectiveness import refresh

    # Cleared before counting: a change committed from now on queues the next recount.
    cache.delete(REFRESH_PENDING_KEY)
    return refresh()


def can_defer():
    """Whether the task backend runs tasks apart from the request, and later."""
    return task_backends[refresh_effectiveness.backend].supports_defer


def schedule_refresh():
    """Queue a recount :func:`refresh_delay` from now, unless one is already waiting: a
    burst of contributions gives one recount, at most one per delay. Returns the queued
    task's result, or ``None`` (one is pending, or the backend cannot defer: the immediate
    backend would recount inside the contributor's request)."""
    if not can_defer():
        return None
    # Kept longer than the delay, so a busy worker does not get a second recount queued;
    # if the mark is lost (the cache cleared), at most one extra recount is queued.
    if not cache.add(REFRESH_PENDING_KEY, 1, timeout=refresh_delay() * 3 + 60):
        return None
    run_after = timezone.now() + datetime.timedelta(seconds=refresh_delay())
    return refresh_effectiveness.using(run_after=run_after).enqueue()
