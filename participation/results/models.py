"""What public results are read from: a snapshot of a call's tallies, taken in batches."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublishedSnapshot(models.Model):
    """The tallies public results of one call are computed from.

    Taken again only after enough submissions changed since (see
    :func:`participation.results.disclosure.published_tallies`), so that comparing two
    versions of public results never isolates one response. ``changes`` is the call's
    change counter when the snapshot was taken; ``tallies`` are its tally rows
    ``[segment, question, row, choice, value, count]``.
    """

    call_key = models.UUIDField(_("call"), unique=True)
    changes = models.BigIntegerField(_("changes counted"), default=0)
    tallies = models.JSONField(_("tallies"), default=list)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("published results snapshot")
        verbose_name_plural = _("published results snapshots")

    def __str__(self):
        return f"{self.call_key} @ {self.changes}"
