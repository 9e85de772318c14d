"""The audit log: one row per thing an editor did with submissions, never changed or removed.

Rows refuse ``save()`` on an existing row, ``delete()``, and ``update()``/``delete()`` on
querysets of the default manager; on the database, triggers (migration 0002) refuse
UPDATE and DELETE, except the one update Django makes when an editor's account is
deleted: setting ``actor`` to NULL (the ``actor_label`` snapshot keeps who it was).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events are append-only.")


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who acted, frozen when the row is written: it outlives a renamed or deleted account.
    actor_label = models.CharField(_("editor"), max_length=200)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    call_page_id = models.IntegerField(_("call page id"), null=True, blank=True)
    call_key = models.UUIDField(_("call"), null=True, blank=True, db_index=True)
    # Counts, formats, filters and statuses only: never answer text or personal free text.
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        # Seeing the log is a permission of its own, on top of "access admin".
        default_permissions = ()
        permissions = [("view_auditevent", _("Can view the audit log"))]

    def __str__(self):
        return f"{self.action} #{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")
