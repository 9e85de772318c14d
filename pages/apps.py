from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")

    def ready(self):
        # Imported in ready(), as Django asks: they import models, loaded only now.
        from .admin_digits import localize_admin_numbers
        from .slugs import register_admin_slug_fields

        localize_admin_numbers()
        register_admin_slug_fields()
