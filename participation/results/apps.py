from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Aggregate results: no models of its own (tallies live with submissions)."""

    name = "participation.results"
    label = "results"
    verbose_name = _("Results")
