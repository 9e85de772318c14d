"""Choices of the incentives ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """Where a certificate stands, read from its dates (see ``Certificate.status``)."""

    PREPARING = "preparing", _("PDF being prepared")
    READY = "ready", _("Valid")
    REVOKED = "revoked", _("Revoked")
