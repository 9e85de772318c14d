from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """A person's own page: contributions across calls, notifications, certificates, awards."""

    name = "participation.dashboard"
    label = "dashboard"
    verbose_name = _("Personal dashboard")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported in ready(), as Django asks: they import models, loaded only now.
        from participation import notices

        from . import signals
        from .notifications import notify_in_languages

        signals.connect()
        notices.register_notifier(notify_in_languages)
