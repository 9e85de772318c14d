"""What an organization's registration adds to ``people.Organization``, and invitations.

``people.Organization`` and ``people.OrganizationMembership`` hold who the organization is
and who belongs to it; this app keeps what editors need to verify a registration and
the invitations representatives send.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participation.emails import canonical_email

from .choices import InvitationStatus


class OrganizationProfile(models.Model):
    """What a representative told editors when registering the organization."""

    organization = models.OneToOneField(
        "people.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    description = models.TextField(_("description"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organization profile")
        verbose_name_plural = _("organization profiles")
        permissions = [("verify_organization", _("Can verify organizations"))]

    def __str__(self):
        return str(self.organization)


class OrganizationInvitation(models.Model):
    """An email address a representative invited to join the organization."""

    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to an organization")
        verbose_name_plural = _("invitations to organizations")
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organization_id}"

    def save(self, *args, **kwargs):
        # One spelling per address, so the pending-invitation constraint and the
        # invitee's look-up compare like sign-in does (participation/emails.py).
        self.email = canonical_email(self.email)
        super().save(*args, **kwargs)
