from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partner sites: API keys, OAuth authorizations and submissions through the API."""

    name = "participation.partners"
    label = "partners"
    verbose_name = _("Partner sites")
    default_auto_field = "django.db.models.BigAutoField"
