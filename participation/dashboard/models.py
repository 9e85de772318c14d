"""A person's notifications, and what each call's contributions earn (incentive rules)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participation.choices import IncentiveKind

from .choices import TRIGGER_CALL_KIND, NotificationKind, Trigger
from .messages import render


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something the person should know, shown on their dashboard (and perhaps emailed).

    ``key`` names what the notice is about (``"idea-event:12"``); a person gets one
    notice per key, so replays and repeated signals never notify twice.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=NotificationKind.choices, default=NotificationKind.GENERAL
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(max_length=120, blank=True)
    # What it says, rendered in the reader's language when read (participation/dashboard/
    # messages.py); ``title`` and ``body`` keep the text as first written.
    message = models.CharField(_("message"), max_length=40, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    body_message = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "key"], condition=~Q(key=""), name="one_notification_per_key"
            ),
        ]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def display_title(self):
        """The title in the active language (the stored one for notices without a message)."""
        return render(self.message, self.params, fallback=self.title)

    @property
    def display_body(self):
        """The text in the active language; an editor's own words (a reason) stay as written."""
        return render(self.body_message, self.params, fallback=self.body)


class IncentiveRule(models.Model):
    """What one kind of contribution to one call earns, set by an editor.

    Rules point at the call by ``call_key`` (its translation key), like contributions,
    so the Persian and English versions of a call share them; ``call`` is the page the
    editor chose.
    """

    call = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_key = models.UUIDField(_("call"), db_index=True, editable=False)
    trigger = models.CharField(_("earned by"), max_length=24, choices=Trigger.choices)
    kind = models.CharField(_("incentive"), max_length=24, choices=IncentiveKind.choices)
    points = models.DecimalField(
        _("promotion points"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For promotion points only; faculty members receive them."),
    )
    amount = models.PositiveBigIntegerField(
        _("amount (rials)"), null=True, blank=True, help_text=_("For grants and prizes.")
    )
    with_certificate = models.BooleanField(_("issue a certificate"), default=False)
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("What the award says it is for; left empty, it names the contribution."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incentive rule")
        verbose_name_plural = _("incentive rules")
        ordering = ["call_key", "trigger", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_key", "trigger", "kind"], name="one_rule_per_call_trigger_kind"
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="incentive_rule_points_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.get_trigger_display()} → {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.call_id is not None:
            self.call_key = self.call.translation_key
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.call_id is not None:
            page = self.call.specific
            call_kind = getattr(page, "call_kind", None)
            if call_kind is None:
                errors["call"] = _("Choose a survey, a regulation draft or an idea call.")
            elif self.trigger and TRIGGER_CALL_KIND.get(self.trigger) != call_kind:
                errors["trigger"] = _("This contribution does not happen in this kind of call.")
        if self.kind == IncentiveKind.PROMOTION_POINTS and not self.points:
            errors["points"] = _("Say how many promotion points are awarded.")
        if self.kind != IncentiveKind.PROMOTION_POINTS and self.points:
            errors["points"] = _("Promotion points go with the “promotion points” incentive only.")
        if errors:
            raise ValidationError(errors)
