from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    """Population frames, representativeness and raking weights for surveys (issue 20)."""

    name = "participation.measurement"
    label = "measurement"
    verbose_name = _("Measurement")
