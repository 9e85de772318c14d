"""Choices shared by page types, listings and participation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallKind(models.TextChoices):
    """The three levels of participation a call can belong to."""

    SURVEY = "survey", _("Survey")
    DRAFT = "draft", _("Regulation draft")
    IDEA = "idea", _("Idea call")


class CallState(models.TextChoices):
    """Where a call is in its life, derived from its dates by the call page types."""

    OPEN = "open", _("Open")
    UPCOMING = "upcoming", _("Upcoming")
    CLOSED = "closed", _("Closed")
    OUTCOME_PUBLISHED = "outcome", _("Outcome published")


class IncentiveKind(models.TextChoices):
    """What a participant can receive for taking part, offered by a call's incentives block."""

    CERTIFICATE = "certificate", _("Certificate")
    GRANT = "grant", _("Research grant")
    PRIZE = "prize", _("Prize")
    WORKSHOP = "workshop", _("Workshop")
    COUNCIL_MEMBERSHIP = "council_membership", _("Council membership")
    PROMOTION_POINTS = "promotion_points", _("Promotion points")


class NoticeLevel(models.TextChoices):
    """How prominent a notice block is; each level has its own style."""

    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    SUCCESS = "success", _("Success")
