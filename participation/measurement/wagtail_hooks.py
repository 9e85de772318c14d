"""Measurement in the Wagtail admin: the population frames menu, the survey's measurement
report button, and their history entries."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.viewsets.base import ViewSet

from participation.calls import is_call_of_kind
from participation.choices import CallKind

from . import admin_views, permissions, services


class FramesMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_frames(request.user)


class PopulationFrameViewSet(ViewSet):
    """Editors keep the populations surveys are measured against."""

    name = "hadaf_frames"
    url_prefix = "population-frames"
    icon = "table"
    menu_label = _("Population frames")
    menu_item_class = FramesMenuItem
    menu_order = 285
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", admin_views.frame_index, name="index"),
            path("<int:pk>/", admin_views.frame_detail, name="frame"),
            path("<int:pk>/v<int:number>/", admin_views.version_detail, name="version"),
        ]


@hooks.register("register_admin_viewset")
def register_frame_viewset():
    return PopulationFrameViewSet()


report_urls = [path("<int:page_id>/", admin_views.survey_report, name="report")]


@hooks.register("register_admin_urls")
def register_measurement_urls():
    return [path("survey-measurement/", include((report_urls, "hadaf_measurement")))]


class MeasurementReportButton(PageMenuItem):
    """ "Representativeness" on a survey page, for those who may edit it."""

    label = _("Representativeness and weights")
    icon_name = "table"

    @property
    def url(self):
        return reverse("hadaf_measurement:report", args=[self.page.pk])

    def is_shown(self, user):
        return (
            is_call_of_kind(self.page, CallKind.SURVEY)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def measurement_header_button(page, user, view_name, next_url=None):
    yield MeasurementReportButton(page=page, priority=14)


@hooks.register("register_page_listing_more_buttons")
def measurement_listing_button(page, user, next_url=None):
    yield MeasurementReportButton(page=page, priority=8)


@hooks.register("register_permissions")
def register_measurement_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="measurement", codename="change_populationframe"
    )


@hooks.register("register_log_actions")
def register_measurement_log_actions(actions):
    actions.register_action(
        services.SETTING_ACTION,
        _("Set what a survey is measured against"),
        _("Survey measurement setting changed"),
    )
