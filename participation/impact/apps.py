from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    """“You said, we did” to the end: commitments, what led to them, and how they stand."""

    name = "participation.impact"
    label = "impact"
    verbose_name = _("Commitments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported in ready(), as Django asks: they import models, loaded only now.
        from participation import my_impact, personal_data, sources

        from . import citations, hearing, mine, signals

        my_impact.register_reader(mine.impact_of)
        sources.register_citation_reader(citations.citations_of)
        signals.connect()
        personal_data.register(hearing.PERSONAL_DATA)
