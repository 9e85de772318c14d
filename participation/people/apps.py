from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "participation.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from . import signals  # noqa: F401 - connects the email_confirmed receiver
