"""Commitments and the effectiveness dashboard in the Wagtail admin (see ``admin_views``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import (
    CommitmentViewSet,
    can_see_effectiveness,
    effectiveness_view,
    effectiveness_xlsx_view,
)


@hooks.register("register_admin_viewset")
def register_commitments():
    return CommitmentViewSet("commitments")


@hooks.register("register_admin_urls")
def register_effectiveness_urls():
    return [
        path("effectiveness/", effectiveness_view, name="impact_effectiveness"),
        path(
            "effectiveness/figures.xlsx",
            effectiveness_xlsx_view,
            name="impact_effectiveness_xlsx",
        ),
    ]


class EffectivenessMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_effectiveness(request.user)


@hooks.register("register_admin_menu_item")
def register_effectiveness_menu_item():
    return EffectivenessMenuItem(
        _("Effectiveness"),
        reverse("impact_effectiveness"),
        icon_name="table",
        order=273,
    )
