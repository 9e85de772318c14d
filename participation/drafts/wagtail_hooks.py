"""Regulation drafts in the Wagtail admin: the moderation queue, decisions, history labels."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from participation.calls import is_call_of_kind
from participation.choices import CallKind
from participation.persian import localize_digits

from . import admin_views, services
from .choices import DecisionOutcome

draft_urls = [
    path("draft-moderation/", admin_views.moderation_queue, name="moderation"),
    path(
        "draft-moderation/<uuid:comment_uuid>/",
        admin_views.moderate_comment,
        name="moderate",
    ),
    path("draft-decisions/<int:page_id>/", admin_views.decisions, name="decisions"),
    path("draft-decisions/<int:page_id>/new-round/", admin_views.new_round, name="new_round"),
    path("draft-decisions/<int:page_id>/export/", admin_views.export_comments, name="export"),
]


@hooks.register("register_admin_urls")
def register_draft_urls():
    return [path("", include((draft_urls, "hadaf_drafts")))]


class ModerationMenuItem(MenuItem):
    """The moderation queue, with how many comments wait, for editors of some draft."""

    def is_shown(self, request):
        return admin_views.editable_drafts(request.user).exists()

    def render_component(self, request):
        waiting = admin_views.waiting_comments(request.user).count()
        component = super().render_component(request)
        if waiting:
            component.label = _("Comment moderation (%(count)s)") % {
                "count": localize_digits(waiting)
            }
        return component


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        gettext_lazy("Comment moderation"),
        reverse("hadaf_drafts:moderation"),
        name="draft-moderation",
        icon_name="comment",
        order=250,
    )


class DraftDecisionsButton(PageMenuItem):
    """ "Decisions" on a regulation draft, for those who may edit it."""

    label = gettext_lazy("Decisions")
    icon_name = "tasks"

    @property
    def url(self):
        return reverse("hadaf_drafts:decisions", args=[self.page.pk])

    def is_shown(self, user):
        return (
            is_call_of_kind(self.page, CallKind.DRAFT)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def draft_decisions_header_button(page, user, view_name, next_url=None):
    yield DraftDecisionsButton(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def draft_decisions_listing_button(page, user, next_url=None):
    yield DraftDecisionsButton(page=page, priority=7)


@hooks.register("register_log_actions")
def register_draft_log_actions(actions):
    actions.register_action(
        services.COMMENT_ACTION,
        gettext_lazy("Comment on a clause"),
        gettext_lazy("Clause comment written"),
    )
    actions.register_action(
        services.APPROVED_ACTION,
        gettext_lazy("Publish a clause comment"),
        gettext_lazy("Clause comment published by a moderator"),
    )
    actions.register_action(
        services.REMOVED_ACTION,
        gettext_lazy("Remove a clause comment"),
        gettext_lazy("Clause comment removed by a moderator"),
    )
    actions.register_action(
        services.EXPORTED_ACTION,
        gettext_lazy("Export clause comments"),
        gettext_lazy("Clause comments exported"),
    )

    @actions.register_action(services.DECIDED_ACTION)
    class DecisionFormatter(LogFormatter):
        label = gettext_lazy("Decide on a clause")

        def format_message(self, log_entry):
            data = log_entry.data or {}

            outcome = data.get("outcome")
            outcome_label = (
                DecisionOutcome(outcome).label if outcome in DecisionOutcome.values else outcome
            )
            return _("Decision recorded in round %(round)s: %(outcome)s") % {
                "round": localize_digits(data.get("round", "")),
                "outcome": outcome_label,
            }

    @actions.register_action(services.ROUND_ACTION)
    class RoundFormatter(LogFormatter):
        label = gettext_lazy("Start a new round")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Round %(round)s started") % {"round": localize_digits(data.get("round", ""))}


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def report_pasted_text(request, page):
    """After a paste was turned into blocks, tell the editor what to check."""
    from django.contrib import messages

    for note in getattr(page, "pasted_text_notes", []):
        messages.warning(request, note)
