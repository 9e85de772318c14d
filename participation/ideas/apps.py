from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "participation.ideas"
    label = "ideas"
    verbose_name = _("Ideas and experiences")
    default_auto_field = "django.db.models.BigAutoField"
