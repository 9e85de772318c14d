from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Download my data, and account erasure."""

    name = "participation.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, as Django asks of AppConfig modules: both import models, which exist
        # only once every app is loaded.
        from participation import eligibility

        from .services import has_answered_before

        eligibility.register_answered_before(has_answered_before)
