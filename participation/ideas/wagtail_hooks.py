"""Idea calls in the Wagtail admin: submissions, jury, ranking and export; history labels."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from participation.calls import is_call_of_kind
from participation.choices import CallKind
from participation.persian import localize_digits

from . import exports, jury, workflow
from .admin_screens import calls, common, detail, export, jury_screen, ranking, steps, submissions
from .choices import IdeaStatus

idea_urls = [
    path("", calls.call_list, name="calls"),
    path("<int:page_id>/", submissions.submission_list, name="submissions"),
    path("<int:page_id>/move/", steps.move_submissions, name="move"),
    path(
        "<int:page_id>/submissions/<uuid:idea_uuid>/",
        detail.submission_detail,
        name="submission",
    ),
    path("<int:page_id>/jury/", jury_screen.jury_view, name="jury"),
    path("<int:page_id>/jury/add/", jury_screen.add_juror, name="add_juror"),
    path(
        "<int:page_id>/jury/<int:member_id>/remove/",
        jury_screen.remove_juror,
        name="remove_juror",
    ),
    path("<int:page_id>/jury/assign/", jury_screen.assign, name="assign"),
    path("<int:page_id>/ranking/", ranking.ranking_view, name="ranking"),
    path("<int:page_id>/export/", export.export, name="export"),
]


@hooks.register("register_admin_urls")
def register_idea_urls():
    return [path("idea-calls/", include((idea_urls, "hadaf_ideas")))]


class IdeaSubmissionsMenuItem(MenuItem):
    """The idea calls, with how many submissions await screening, for their editors."""

    def is_shown(self, request):
        return common.editable_calls(request.user).exists()

    def render_component(self, request):
        waiting = common.awaiting_screening(request.user).count()
        component = super().render_component(request)
        if waiting:
            component.label = _("Idea submissions (%(count)s)") % {
                "count": localize_digits(waiting)
            }
        return component


@hooks.register("register_admin_menu_item")
def register_idea_menu_item():
    return IdeaSubmissionsMenuItem(
        gettext_lazy("Idea submissions"),
        reverse("hadaf_ideas:calls"),
        name="idea-submissions",
        icon_name="clipboard-list",
        order=260,
    )


class IdeaSubmissionsButton(PageMenuItem):
    """ "Submissions" on an idea call, for those who may edit it."""

    label = pgettext_lazy("idea call", "Submissions")
    icon_name = "clipboard-list"

    @property
    def url(self):
        return reverse("hadaf_ideas:submissions", args=[self.page.pk])

    def is_shown(self, user):
        return (
            is_call_of_kind(self.page, CallKind.IDEA)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def idea_submissions_header_button(page, user, view_name, next_url=None):
    yield IdeaSubmissionsButton(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def idea_submissions_listing_button(page, user, next_url=None):
    yield IdeaSubmissionsButton(page=page, priority=7)


def _status_label(value):
    return IdeaStatus(value).label if value in IdeaStatus.values else value


@hooks.register("register_log_actions")
def register_idea_log_actions(actions):
    actions.register_action(
        exports.EXPORTED_ACTION,
        gettext_lazy("Export idea submissions and scores"),
        gettext_lazy("Idea submissions and scores exported"),
    )
    actions.register_action(
        jury.ASSIGNED_ACTION,
        gettext_lazy("Assign reviewers"),
        gettext_lazy("Reviewers assigned to the submissions in review"),
    )

    @actions.register_action(workflow.TRANSITION_ACTION)
    class TransitionFormatter(LogFormatter):
        label = gettext_lazy("Move an idea submission")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            message = _("“%(title)s”: %(from)s → %(to)s") % {
                "title": data.get("title", ""),
                "from": _status_label(data.get("from", "")),
                "to": _status_label(data.get("to", "")),
            }
            if data.get("reason"):
                message = _("%(step)s (reason: %(reason)s)") % {
                    "step": message,
                    "reason": data["reason"],
                }
            return message

    @actions.register_action(jury.JUROR_ADDED_ACTION)
    class JurorAddedFormatter(LogFormatter):
        label = gettext_lazy("Add a juror")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Juror added: %(email)s") % {"email": data.get("email", "")}

    @actions.register_action(jury.JUROR_REMOVED_ACTION)
    class JurorRemovedFormatter(LogFormatter):
        label = gettext_lazy("Remove a juror")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Juror removed: %(email)s") % {"email": data.get("email", "")}
