from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "participation.ideas"
    label = "ideas"
    verbose_name = _("Ideas and experiences")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        # Imported in ready(), as Django asks: they import models, loaded only now.
        from .attachments import remove_file_after_delete
        from .models import IdeaAttachment

        post_delete.connect(remove_file_after_delete, sender=IdeaAttachment)

        from participation import sources

        from .sources import PROVIDER

        sources.register(PROVIDER)
