from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partner sites: API keys, OAuth authorizations and submissions through the API."""

    name = "participation.partners"
    label = "partners"
    verbose_name = _("Partner sites")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        # Imported in ready(), as Django asks: they import models, loaded only now.
        from .cors import check_request_enabled as allow_partner_origins

        check_request_enabled.connect(allow_partner_origins, dispatch_uid="hadaf_partner_cors")
