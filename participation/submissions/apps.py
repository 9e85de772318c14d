from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "participation.submissions"
    label = "submissions"
    verbose_name = _("Submissions")

    def ready(self):
        from .approval import install

        install()  # Nobody approves their own submission (approval.py).
