"""The incentives ledger and the certificates that prove an award.

An ``Award`` is one line of the ledger: who received what, for which call and why.
What earned it is named by ``source`` (``"idea:<uuid>"``, ``"comment:<uuid>"``,
``"submission:<uuid>"``, ``"manual:<token>"``); the database refuses a second award of
the same kind to the same recipient for the same source, so no contribution ever earns
twice, whichever process records it. Like every contribution, an award points at its
call by ``call_key`` (the page's translation key) and keeps the call's title as it was.

A ``Certificate`` proves one award. Its PDF lives in the private storage and is written
in the background (see ``tasks``); its status (being prepared, ready, revoked) is read
from its dates, never stored twice.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from participation.choices import IncentiveKind

from . import codes
from .choices import CertificateStatus

SOURCE_MAX_LENGTH = 100


def private_storage():
    """Certificate PDFs live in the "private" storage: never at a public media URL."""
    return storages["private"]


def certificate_path(certificate, filename):
    return f"certificates/{certificate.issued_on:%Y}/{certificate.code}.pdf"


class Award(models.Model):
    """One incentive given to a person or an organization: a line of the ledger."""

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="awards",
    )
    recipient_organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("recipient organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="awards",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=IncentiveKind.choices)
    call_key = models.UUIDField(_("call"), null=True, blank=True, db_index=True)
    call_title = models.CharField(_("call title"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    amount = models.PositiveBigIntegerField(_("amount (rials)"), null=True, blank=True)
    points = models.DecimalField(
        _("promotion points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("earned by"), max_length=SOURCE_MAX_LENGTH)
    awarded_at = models.DateTimeField(_("awarded at"), auto_now_add=True, db_index=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("awarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_at", "-pk"]
        permissions = [
            ("manage_incentives", _("Can award incentives and revoke certificates")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recipient_user__isnull=False, recipient_organization__isnull=True)
                    | Q(recipient_user__isnull=True, recipient_organization__isnull=False)
                ),
                name="award_has_exactly_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="award_points_not_negative",
            ),
            # The same contribution never earns the same incentive twice.
            models.UniqueConstraint(
                fields=["recipient_user", "kind", "source"],
                condition=Q(recipient_user__isnull=False),
                name="one_award_per_person_kind_source",
            ),
            models.UniqueConstraint(
                fields=["recipient_organization", "kind", "source"],
                condition=Q(recipient_organization__isnull=False),
                name="one_award_per_organization_kind_source",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recipient}"

    @property
    def recipient(self):
        """The person or organization who received the award."""
        return self.recipient_user or self.recipient_organization


class CertificateQuerySet(models.QuerySet):
    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def ready(self):
        return self.valid().filter(generated_at__isnull=False)

    def preparing(self):
        return self.valid().filter(generated_at__isnull=True)


class Certificate(models.Model):
    """The verifiable proof of an award: a code, a PDF, and whether it still holds."""

    code = models.CharField(_("verification code"), max_length=codes.LENGTH, unique=True)
    award = models.OneToOneField(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="certificate"
    )
    # Snapshots: the certificate says what it said the day it was issued.
    holder_name = models.CharField(_("holder"), max_length=300)
    call_title = models.CharField(_("for"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=certificate_path, max_length=255, blank=True
    )
    generated_at = models.DateTimeField(_("PDF generated at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="certificate_revoked_with_reason",
            ),
        ]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self):
        """The code as printed: ``7KQ2-M9XD-4HZT``."""
        return codes.display(self.code)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_ready(self):
        return self.generated_at is not None and bool(self.pdf)

    @property
    def status(self):
        """A ``CertificateStatus``: revoked, ready, or being prepared."""
        if self.is_revoked:
            return CertificateStatus.REVOKED
        return CertificateStatus.READY if self.is_ready else CertificateStatus.PREPARING

    def get_status_display(self):
        return CertificateStatus(self.status).label


# Who signs the certificates ---------------------------------------------------------------

_SIGNATORY_HELP = _("Left empty, the site-wide value (Settings → Certificates) is used.")


class SignatoryFields(models.Model):
    """The issuing official printed on a certificate: name, title, signature and seal."""

    signatory_name = models.CharField(_("issuing official's name"), max_length=150, blank=True)
    signatory_title = models.CharField(
        _("issuing official's title"),
        max_length=200,
        blank=True,
        help_text=_("For example «معاون فرهنگی و اجتماعی وزارت علوم، تحقیقات و فناوری»."),
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A scan of the signature, preferably a PNG with a transparent background."),
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


@register_setting(icon="doc-full")
class CertificateSettings(SignatoryFields, BaseSiteSetting):
    """Site-wide: who issues the certificates (a call may name someone else)."""

    panels = [
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("signature"),
        FieldPanel("seal"),
    ]

    class Meta:
        verbose_name = _("certificates")

    def __str__(self):
        return str(self._meta.verbose_name)


class CallSignatory(SignatoryFields):
    """One call's own issuing official; each empty field falls back to the site-wide one.

    Like awards, it points at the call by ``call_key``, so the Persian and English
    versions of a call share it.
    """

    call = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_key = models.UUIDField(_("call"), unique=True, editable=False)

    panels = [
        PageChooserPanel("call"),
        FieldPanel("signatory_name", help_text=_SIGNATORY_HELP),
        FieldPanel("signatory_title", help_text=_SIGNATORY_HELP),
        FieldPanel("signature", help_text=_SIGNATORY_HELP),
        FieldPanel("seal", help_text=_SIGNATORY_HELP),
    ]

    class Meta:
        verbose_name = _("certificate signatory of a call")
        verbose_name_plural = _("certificate signatories of calls")

    def __str__(self):
        title = self.call.title if self.call_id else str(self.call_key)
        return f"{title}: {self.signatory_name}" if self.signatory_name else title

    def save(self, *args, **kwargs):
        if self.call_id is not None:
            self.call_key = self.call.translation_key
        super().save(*args, **kwargs)
