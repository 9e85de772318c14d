"""Data exports ("download my data") and what an erased account leaves behind.

An erased account keeps no email address, only an HMAC of it (``ErasedIdentity``) and
the calls it had answered (``ErasedParticipation``), so that signing up again with the
same address cannot answer the same call twice.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Exports live in the "private" storage: never at a public media URL."""
    return storages["private"]


def export_path(export, filename):
    # A random name on disk: the link's token is never part of it.
    return f"data-exports/{export.person_id}/{uuid.uuid4().hex}.zip"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class DataExport(models.Model):
    """One "download my data" request: a zip behind a random link that expires."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    # SHA-256 of the link's token; the token itself is only in the email.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    language = models.CharField(_("language"), max_length=8, default="fa")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    file = models.FileField(
        storage=private_storage, upload_to=export_path, max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One export being prepared per person at a time, whichever process asks.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="one_export_in_progress_per_person",
            ),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="unique_export_token_hash",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} · {self.created_at:%Y-%m-%d}"


class ErasedIdentity(models.Model):
    """An erased account's email address, as an HMAC only (see ``services.email_hash``)."""

    email_hash = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("erased identity")
        verbose_name_plural = _("erased identities")

    def __str__(self):
        return self.email_hash[:12]


class ErasedParticipation(models.Model):
    """A call an erased identity had answered: it may not answer it again."""

    identity = models.ForeignKey(
        ErasedIdentity, on_delete=models.CASCADE, related_name="participations"
    )
    call_key = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "call_key"], name="one_erased_participation_per_call"
            )
        ]

    def __str__(self):
        return f"{self.identity_id} @ {self.call_key}"
