from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    """What taking part earns: the awards ledger, certificates and the promotion report."""

    name = "participation.incentives"
    label = "incentives"
    verbose_name = _("Incentives and certificates")
    default_auto_field = "django.db.models.BigAutoField"
