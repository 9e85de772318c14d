"""The opinion map in the Wagtail admin: its screen and a header button on call pages.

Registered from ``apps.ready()`` (not a ``wagtail_hooks`` module, which the statements
moderation queue uses).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import map_admin as admin_views

admin_urls = [
    path("<int:page_id>/", admin_views.opinion_map, name="map"),
    path("<int:page_id>/recompute/", admin_views.recompute, name="recompute"),
    path("<int:page_id>/publish/", admin_views.publish, name="publish"),
    path("<int:page_id>/unpublish/", admin_views.unpublish, name="unpublish"),
    path(
        "<int:page_id>/export.<str:file_format>",
        admin_views.export,
        name="export",
    ),
]


@hooks.register("register_admin_urls")
def register_opinion_map_urls():
    return [path("opinion-map/", include((admin_urls, "hadaf_opinion_map")))]


class OpinionMapButton(PageMenuItem):
    """ "Opinion map" on a call page, for those who may edit it."""

    label = _("Opinion map")
    icon_name = "group"

    @property
    def url(self):
        return reverse("hadaf_opinion_map:map", args=[self.page.pk])

    def is_shown(self, user):
        return (
            getattr(self.page.specific_class, "call_kind", None) is not None
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def opinion_map_header_button(page, user, view_name, next_url=None):
    yield OpinionMapButton(page=page, priority=14)
