from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    """Regulation drafts: clause comments, moderation, rounds and decisions."""

    name = "participation.drafts"
    label = "drafts"
    verbose_name = _("Regulation drafts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported in ready(), as Django asks: they import models, loaded only now.
        from participation import sources as citable

        from . import opinion_source, signals, sources

        signals.connect()
        opinion_source.register()
        for provider in sources.PROVIDERS:
            citable.register(provider)
