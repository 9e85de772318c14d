from django.db import models
from django.utils.translation import gettext_lazy as _


class InvitationStatus(models.TextChoices):
    """Where an invitation to join an organization stands."""

    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VerificationFilter(models.TextChoices):
    """The editors' list of organizations, narrowed by verification."""

    AWAITING = "awaiting", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    ALL = "all", _("All")
