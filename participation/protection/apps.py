from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    """Rate limits, the honeypot, the minimum fill time and the fallback challenge."""

    name = "participation.protection"
    label = "protection"
    verbose_name = _("Abuse protection")
    default_auto_field = "django.db.models.BigAutoField"
