"""Statements in the Wagtail admin: the moderators' queue and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from participation.persian import localize_digits

from . import admin_views

opinion_urls = [
    path("statement-moderation/", admin_views.moderation_queue, name="moderation"),
    path(
        "statement-moderation/<uuid:statement_uuid>/",
        admin_views.moderate_statement,
        name="moderate",
    ),
]


@hooks.register("register_admin_urls")
def register_opinion_urls():
    return [path("", include((opinion_urls, "hadaf_opinions")))]


class StatementModerationMenuItem(MenuItem):
    """The statements queue, with how many wait, for editors of some survey or draft."""

    def is_shown(self, request):
        return admin_views.edits_conversations(request.user)

    def render_component(self, request):
        waiting = admin_views.waiting_statements(request.user).count()
        component = super().render_component(request)
        if waiting:
            component.label = _("Statement moderation (%(count)s)") % {
                "count": localize_digits(waiting)
            }
        return component


@hooks.register("register_admin_menu_item")
def register_statement_moderation_menu_item():
    return StatementModerationMenuItem(
        gettext_lazy("Statement moderation"),
        reverse("hadaf_opinions:moderation"),
        name="statement-moderation",
        icon_name="list-ul",
        order=251,
    )
