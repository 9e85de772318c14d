from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "participation.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        # Imported in ready(), as Django asks: they import models, loaded only now.
        from participation import sources

        from .sources import PROVIDER

        sources.register(PROVIDER)
