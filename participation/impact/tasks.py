"""Telling contributors what became of their contribution, in a task after the commit.

The services queue :func:`tell_contributors` once the editor's transaction commits; it
asks each cited contribution's app who contributed it (``participation.sources``: never
anyone behind an anonymous-verified contribution) and tells each person once per update
(``participation.notices``: a dashboard notice and an email, in the reader's language).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

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


@task()
def refresh_effectiveness():
    """Recount the effectiveness dashboard's figures (seconds at a million submissions).

    Queued by an editor's "Recount now" and by ``manage.py refresh_effectiveness --queue``
    (run it from cron, e.g. hourly, in production).
    """
    from .effectiveness import refresh

    return refresh()
