"""Choices of the statements block: how a participant votes on a statement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteValue(models.IntegerChoices):
    """A vote on a statement, encoded as the opinion-map engine reads it (``engine.py``)."""

    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass")
