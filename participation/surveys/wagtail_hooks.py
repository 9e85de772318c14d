"""The survey report in the Wagtail admin: its URLs, its buttons and its history entries."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from participation.calls import is_call_of_kind
from participation.choices import CallKind

from . import admin_views, services

report_urls = [
    path("<int:page_id>/", admin_views.report, name="report"),
    path("<int:page_id>/submissions/", admin_views.submission_list, name="submissions"),
    path(
        "<int:page_id>/submissions/<uuid:submission_uuid>/counted/",
        admin_views.set_submission_counted,
        name="set_counted",
    ),
    path("<int:page_id>/export/", admin_views.export, name="export"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("survey-reports/", include((report_urls, "hadaf_survey_report")))]


class SurveyReportButton(PageMenuItem):
    """ "Report" on a survey page, for those who may edit it."""

    label = _("Report")
    icon_name = "table"

    @property
    def url(self):
        return reverse("hadaf_survey_report:report", args=[self.page.pk])

    def is_shown(self, user):
        return (
            is_call_of_kind(self.page, CallKind.SURVEY)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def survey_report_header_button(page, user, view_name, next_url=None):
    yield SurveyReportButton(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def survey_report_listing_button(page, user, next_url=None):
    yield SurveyReportButton(page=page, priority=7)


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action(
        services.EXCLUDED_ACTION,
        _("Exclude a submission from results"),
        _("Submission excluded from results"),
    )
    actions.register_action(
        services.INCLUDED_ACTION,
        _("Count a submission in results"),
        _("Submission counted in results again"),
    )
    actions.register_action(
        services.EXPORTED_ACTION, _("Export submissions"), _("Submissions exported")
    )
