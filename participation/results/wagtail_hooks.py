"""Results in the Wagtail admin: the "republish results" action of a survey."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from participation.calls import is_call_of_kind
from participation.choices import CallKind

from . import admin_views

admin_urls = [path("<int:page_id>/", admin_views.republish, name="republish")]


@hooks.register("register_admin_urls")
def register_results_urls():
    return [path("results-republish/", include((admin_urls, "hadaf_results_admin")))]


class RepublishResultsButton(PageMenuItem):
    """ "Republish results" on a survey page, for those who may edit it."""

    label = _("Republish results")
    icon_name = "resubmit"

    @property
    def url(self):
        return reverse("hadaf_results_admin:republish", args=[self.page.pk])

    def is_shown(self, user):
        return (
            is_call_of_kind(self.page, CallKind.SURVEY)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def republish_results_header_button(page, user, view_name, next_url=None):
    yield RepublishResultsButton(page=page, priority=13)


@hooks.register("register_log_actions")
def register_results_log_actions(actions):
    actions.register_action(
        admin_views.REPUBLISHED_ACTION,
        _("Republish results"),
        _("Public results republished"),
    )
