from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    """“You said, we did” to the end: commitments, what led to them, and how they stand."""

    name = "participation.impact"
    label = "impact"
    verbose_name = _("Commitments")
    default_auto_field = "django.db.models.BigAutoField"
