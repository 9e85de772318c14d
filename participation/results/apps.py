from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Aggregate results (tallies live with submissions; published snapshots here)."""

    name = "participation.results"
    label = "results"
    verbose_name = _("Results")
