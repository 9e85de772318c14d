from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import OrganizationKind, Role
from .managers import UserManager


class University(models.Model):
    """A university, from a list editors manage; its email domains verify academics."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    email_domains = models.TextField(
        _("email domains"),
        blank=True,
        help_text=_("One per line, e.g. ut.ac.ir. An address there verifies academic status."),
    )

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def domains(self):
        return [line.strip().lower() for line in self.email_domains.split() if line.strip()]


class User(AbstractUser):
    """A person: signs in with their email; students, faculty and staff alike.

    Profile details that grow with later work (university, faculty, rank,
    verification) belong here or in models beside it, never in a second user table.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    university = models.ForeignKey(
        University,
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    academic_verified_at = models.DateTimeField(
        _("academic status verified at"),
        null=True,
        blank=True,
        help_text=_("Set when a university email or an editor confirms the person is an academic."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def represents_verified_organization(self):
        """Whether the person represents at least one verified organization."""
        return self.memberships.filter(
            is_representative=True, organization__verified_at__isnull=False
        ).exists()

    def represented_organizations(self):
        """The verified organizations this person may act for."""
        return Organization.objects.filter(
            verified_at__isnull=False,
            memberships__person=self,
            memberships__is_representative=True,
        )


class Organization(models.Model):
    """A legal entity: a student association or a university's cultural deputy.

    Registered by a representative and verified by an editor before it can act.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    university = models.ForeignKey(
        University,
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "university"], name="one_organization_name_per_university"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self):
        return self.verified_at is not None


class OrganizationMembership(models.Model):
    """A person's place in an organization; representatives act for it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    is_representative = models.BooleanField(_("representative"), default=False)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"], name="one_membership_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person_id} @ {self.organization_id}"
