from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .approval import install


class SubmissionsConfig(AppConfig):
    name = "participation.submissions"
    label = "submissions"
    verbose_name = _("Submissions")

    def ready(self):
        install()  # Nobody approves their own submission (approval.py).
