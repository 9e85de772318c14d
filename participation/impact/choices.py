"""Choices of commitments: where one stands, and what an update records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentStatus(models.TextChoices):
    """Where a commitment stands. Dropping one needs a reason, which the public sees."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class UpdateKind(models.TextChoices):
    """What a dated update of a commitment records."""

    CREATED = "created", _("Commitment made")
    CHANGED = "changed", _("Status, progress or date changed")
    NOTE = "note", _("News")
