"""The page editor's side of four-eyes approval (see ``approval.py``)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from .approval import refused


@hooks.register("construct_page_action_menu")
def hide_publish_from_the_submitter(menu_items, request, context):
    """While their own submission awaits approval, its submitter is not offered «انتشار»."""
    page = context.get("page")
    if page is not None and page.pk and refused(page, request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_edit_page")
def refuse_publishing_ones_own_submission(request, page):
    """A publish request from the submitter of the pending workflow changes nothing."""
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and refused(page, request.user)
    ):
        messages.error(
            request,
            _(
                "You submitted this page for approval, so someone else must approve it "
                "before it is published."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
