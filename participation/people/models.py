from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.choices import AcademicRank, AcademicVerification, OrganizationKind, Role
from participation.emails import canonical_email, email_problem
from participation.phones import canonical_phone

from .domains import clean_domain, domain_problem
from .fields import CanonicalEmailField
from .managers import UserManager
from .names import normalize_name


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

    def clean(self):
        domains = self.domains
        problems = [problem for problem in map(domain_problem, domains) if problem]
        taken = {
            own: other.name
            for other in University.objects.exclude(pk=self.pk).exclude(email_domains="")
            for own in other.domains
        }
        problems += [
            _("%(domain)s is already registered for %(university)s.")
            % {"domain": domain, "university": taken[domain]}
            for domain in domains
            if domain in taken
        ]
        if problems:
            raise ValidationError({"email_domains": problems})
        self.email_domains = "\n".join(dict.fromkeys(domains))

    @property
    def domains(self):
        """The registered domains, lower-cased, without a leading ``@`` or dot."""
        cleaned = (clean_domain(word) for word in self.email_domains.split())
        return [domain for domain in cleaned if domain]

    def matching_domain(self, domain):
        """The registered domain that covers ``domain`` (itself or a parent), or ``""``.

        ``mail.ut.ac.ir`` is covered by ``ut.ac.ir``; ``evilut.ac.ir`` is not. Of several
        registered domains that cover it, the longest (most specific) is returned.
        """
        domain = domain.strip().rstrip(".").lower()
        covering = [own for own in self.domains if domain == own or domain.endswith("." + own)]
        return max(covering, key=len, default="")


class User(AbstractUser):
    """A person: signs in with their email or mobile number; students, faculty and staff alike.

    Someone who signs up by mobile number has no email address until they add one (and
    the reverse): ``email`` and ``phone`` are each empty (``NULL``) or unique, and every
    account has at least one of them.

    Profile details that grow with later work (university, faculty, rank,
    verification) belong here or in models beside it, never in a second user table.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    # The one identity behind every spelling of the address (emails.py). Empty only on
    # accounts the 0006 migration found sharing one with an older account, which it
    # deactivated for an operator to review; the check constraint below keeps it so.
    email_canonical = CanonicalEmailField(
        _("canonical email address"), unique=True, null=True, blank=True
    )
    # E.164 (+989…), the one form every spelling of the number is compared in (phones.py).
    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("mobile number verified at"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    university = models.ForeignKey(
        University,
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    faculty = models.CharField(
        _("faculty or field of study"),
        max_length=200,
        blank=True,
        help_text=_("For example: Faculty of Engineering, or Sociology."),
    )
    academic_rank = models.CharField(
        _("academic rank"),
        max_length=24,
        choices=AcademicRank.choices,
        blank=True,
        help_text=_("Faculty members only."),
    )
    academic_verified_at = models.DateTimeField(
        _("academic status verified at"),
        null=True,
        blank=True,
        help_text=_("Set when a university email or an editor confirms the person is an academic."),
    )
    academic_verified_via = models.CharField(
        _("academic status verified by"),
        max_length=16,
        choices=AcademicVerification.choices,
        blank=True,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        permissions = [("verify_academic", _("Can verify academic status"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=True)
                | models.Q(email_canonical__isnull=False)
                | models.Q(is_active=False),
                name="active_people_have_a_canonical_email",
            ),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="people_have_an_email_or_a_phone",
            ),
            # Only the canonical form is stored; anything else would escape `unique`.
            models.CheckConstraint(
                condition=models.Q(phone__isnull=True) | models.Q(phone__startswith="+98"),
                name="phones_are_stored_canonical",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email or self.phone or ""

    def clean(self):
        """Refuse a new look-alike address, and one that is another person's in any spelling.

        Admin forms call this; without it a second spelling would reach the unique index
        as a server error instead of a message under the field.
        """
        super().clean()
        if self.phone:
            try:
                self.phone = canonical_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error
            if User.objects.filter(phone=self.phone).exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"phone": _("Another account already has this mobile number.")}
                )
        if not self.email:
            if not self.phone:
                raise ValidationError({"email": _("Give an email address or a mobile number.")})
            return
        canonical = canonical_email(self.email)
        stored = User.objects.filter(pk=self.pk).values_list("email", flat=True).first()
        if stored != self.email and email_problem(self.email):
            raise ValidationError({"email": email_problem(self.email)})
        if User.objects.filter(email_canonical=canonical).exclude(pk=self.pk).exists():
            raise ValidationError({"email": _("Another account already has this email address.")})

    def save(self, *args, **kwargs):
        # Empty is NULL, so that any number of phone-only accounts fit the unique index.
        self.email = (self.email or "").strip().lower() or None
        self.phone = self.phone or None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_canonical"}
        self.first_name = normalize_name(self.first_name)
        self.last_name = normalize_name(self.last_name)
        self.faculty = normalize_name(self.faculty)
        super().save(*args, **kwargs)

    @property
    def is_phone_verified(self):
        return bool(self.phone) and self.phone_verified_at is not None

    @property
    def is_academic_verified(self):
        return self.academic_verified_at is not None

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

    def save(self, *args, **kwargs):
        # Names come from forms, the admin and later the API: one spelling for all of them.
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)

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
