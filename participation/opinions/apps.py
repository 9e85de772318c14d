from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    """Opinion maps: statements participants vote on, and the map computed from the votes."""

    name = "participation.opinions"
    label = "opinions"
    verbose_name = _("Opinion maps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported in ready(), as Django asks: they import models, loaded only now.
        from . import map_hooks, map_signals, personal_data, signals  # noqa: F401 (map_hooks: admin hooks)

        signals.connect()
        personal_data.register_providers()
        map_signals.connect()
