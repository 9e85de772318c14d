"""Partner sites, their API keys and the responses kept for idempotent retries.

A key's secret is never stored: only its SHA-256 (the secret is 256 random bits, so a
slow hash adds nothing) and a short public prefix to find the row by.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import KeyScope


class PartnerSite(models.Model):
    """A university or partner site allowed to submit for participants who authorized it."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    redirect_uris = models.TextField(
        _("OAuth redirect addresses"),
        blank=True,
        help_text=_(
            "One https address per line: where participants return after authorizing the site."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive site's keys and authorizations stop working at once."),
    )
    application = models.OneToOneField(
        "oauth2_provider.Application",
        verbose_name=_("OAuth application"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="partner_site",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner site")
        verbose_name_plural = _("partner sites")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def client_id(self):
        return self.application.client_id if self.application else ""


class PartnerKey(models.Model):
    """One API key of a partner site: its scopes, CORS origins, expiry and revocation."""

    site = models.ForeignKey(
        PartnerSite, verbose_name=_("partner site"), on_delete=models.CASCADE, related_name="keys"
    )
    name = models.CharField(
        _("label"), max_length=100, help_text=_("Where the key is used, e.g. “production server”.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    allowed_origins = models.TextField(
        _("allowed browser origins"),
        blank=True,
        help_text=_(
            "One origin per line (https://example.ac.ir) for calls from browsers (CORS). "
            "Leave empty for server-to-server use only."
        ),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.site} — {self.name} ({self.prefix}…)"

    @property
    def origins(self):
        """The allowed CORS origins, lower-cased, without trailing slashes."""
        return [
            line.strip().rstrip("/").lower()
            for line in self.allowed_origins.splitlines()
            if line.strip()
        ]

    def is_usable(self, now=None):
        """Whether the key works now: not revoked, not expired, its site active."""
        now = now or timezone.now()
        if self.revoked_at is not None or not self.site.is_active:
            return False
        return self.expires_at is None or self.expires_at > now

    def has_scope(self, scope):
        return scope in self.scopes

    def scope_labels(self):
        return [str(KeyScope(scope).label) for scope in self.scopes if scope in KeyScope.values]


class IdempotencyRecord(models.Model):
    """The stored outcome of a successful request sent with an ``Idempotency-Key``."""

    partner_key = models.ForeignKey(PartnerKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path, participant and body: a reused key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(
                fields=["partner_key", "key"], name="one_idempotency_record_per_key"
            )
        ]

    def __str__(self):
        return self.key
