"""The life of a call: opening and closing times, derived state, outcome.

State is computed from the dates and the outcome's publication, never stored.
"""

import datetime
import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from participation.choices import CallState

from .choices import AnonymityMode, Audience, AudienceRole, ResultsVisibility

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from wagtail.models import Page


def compute_state(
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    outcome_published_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> CallState:
    """The state of a call at ``now`` (default: the current time).

    Args:
        opens_at: when the call opens; ``None`` means it is not scheduled yet (upcoming).
        closes_at: when it closes; ``None`` means it stays open.
        outcome_published_at: when the editor published the outcome, if they did.
        now: the moment to judge at.

    Returns:
        CallState: upcoming before ``opens_at``, open until ``closes_at``, then closed,
        or outcome published once the outcome is out after closing.
    """
    now = now or timezone.now()
    if opens_at is None or now < opens_at:
        return CallState.UPCOMING
    if closes_at is None or now < closes_at:
        return CallState.OPEN
    if outcome_published_at is not None and outcome_published_at <= now:
        return CallState.OUTCOME_PUBLISHED
    return CallState.CLOSED


class CallPageMixin(models.Model):
    """Fields and behaviour every call page shares (survey, draft, idea call).

    A concrete page sets ``call_kind`` and adds ``call_settings_panels`` to its panels.
    """

    call_kind = None
    # Wagtail's Page gives it (TranslatableMixin); only pages use this mixin.
    translation_key: uuid.UUID

    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.SIGNED_IN
    )
    audience_roles = models.JSONField(
        _("roles"),
        default=list,
        blank=True,
        help_text=_("With “Chosen roles”: who may take part."),
    )
    anonymity = models.CharField(
        _("anonymity"), max_length=16, choices=AnonymityMode.choices, default=AnonymityMode.NAMED
    )
    results_visibility = models.CharField(
        _("public results"),
        max_length=16,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.WHEN_PUBLISHED,
    )
    results_published = models.BooleanField(_("results published"), default=False)
    outcome = RichTextField(
        _("outcome"),
        blank=True,
        help_text=_("“You said, we did”: what the ministry did with the contributions."),
    )
    outcome_published_at = models.DateTimeField(
        _("outcome published at"),
        null=True,
        blank=True,
        help_text=_("Set after the call closes to publish the outcome."),
    )

    call_settings_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("audience"),
                FieldPanel("audience_roles"),
                FieldPanel("anonymity"),
            ],
            heading=_("Participation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("results_visibility"),
                FieldPanel("results_published"),
                FieldPanel("outcome"),
                FieldPanel("outcome_published_at"),
            ],
            heading=_("Results and outcome"),
        ),
    ]

    class Meta:
        abstract = True

    @property
    def call_state(self) -> CallState:
        """The call's state now (see :func:`compute_state`)."""
        return compute_state(self.opens_at, self.closes_at, self.outcome_published_at)

    @property
    def is_open(self) -> bool:
        return self.call_state == CallState.OPEN

    @property
    def call_key(self) -> uuid.UUID:
        """What identifies the call across its translations: answers to fa and en count together."""
        return self.translation_key

    def clean(self) -> None:
        super().clean()
        from django.core.exceptions import ValidationError

        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing time must be after the opening time.")
        unknown = set(self.audience_roles or []) - set(AudienceRole.values)
        if unknown or not isinstance(self.audience_roles, list):
            errors["audience_roles"] = _("Choose roles from the list.")
        elif self.audience == Audience.ROLES and not self.audience_roles:
            errors["audience_roles"] = _("Choose at least one role.")
        if self.outcome_published_at and (
            self.closes_at is None or self.outcome_published_at < self.closes_at
        ):
            errors["outcome_published_at"] = _("The outcome can be published only after closing.")
        if errors:
            raise ValidationError(errors)


def editable_calls(
    user: "AbstractBaseUser | AnonymousUser", model: "type[Page]"
) -> "models.QuerySet[Page]":
    """Every language version of every ``model`` call page ``user`` may edit.

    What the editors' screens of a call type (moderation, screening, the jury) list
    and allow: Wagtail's page permissions decide, not a separate role.
    """
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if not user.is_authenticated:
        return model.objects.none()
    editable = PagePermissionPolicy.for_model(model).instances_user_has_permission_for(
        user, "change"
    )
    return model.objects.filter(pk__in=editable.values("pk"))
