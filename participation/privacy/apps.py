from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation import eligibility


class PrivacyConfig(AppConfig):
    """Download my data, and account erasure."""

    name = "participation.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: services imports this app's models, loaded only once apps are ready.
        from .services import has_answered_before

        eligibility.register_answered_before(has_answered_before)
