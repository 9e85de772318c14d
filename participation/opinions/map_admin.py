"""The opinion map of a call in the Wagtail admin: see it, recompute it, publish it, export it.

Editors of the call see the latest computed snapshot (group-level figures only, suppressed
as the public's are: a snapshot holds nothing else), the groups by role and by university,
and publish or withdraw it (``maps.publish``/``maps.unpublish``, audited). Exports are
audited like the other exports.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from participation import audit
from participation.audit.choices import AuditAction
from participation.security import deny

from . import display, exports, maps, services, tasks
from .models import OpinionMapSnapshot


def call_for_editor(request, page_id):
    """The call page ``page_id`` (any kind) with a statements conversation, if the user may
    edit it; 404 otherwise, and a logged 403 for someone who may not edit it."""
    page = get_object_or_404(Page, id=page_id).specific
    if getattr(page, "call_kind", None) is None:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise deny(request, "opinion map", page=page_id)
    return page


def _here(page):
    return reverse("hadaf_opinion_map:map", args=[page.pk])


def _labelled_breakdown(snapshot, by):
    table = snapshot.data.get("breakdown", {}).get(by)
    if not table:
        return None
    label = maps.role_label if by == "role" else (lambda value: value)
    return {
        "columns": [label(column) or _("Not given") for column in table["columns"]],
        "rows": [
            (display.group_name(group["key"]), row)
            for group, row in zip(snapshot.data["groups"], table["rows"], strict=True)
        ],
        "totals": table["totals"],
    }


@require_GET
def opinion_map(request, page_id):
    """The latest computed map and the published one."""
    page = call_for_editor(request, page_id)
    snapshot = maps.latest(page.call_key)
    context = {
        "page": page,
        "snapshot": snapshot,
        "published": maps.published(page.call_key),
        "has_statements": services.has_statements(page.call_key),
        "view": display.map_view(snapshot) if snapshot else None,
        "votes_since": maps.votes_since(snapshot) if snapshot else 0,
        "by_role": _labelled_breakdown(snapshot, "role") if snapshot else None,
        "by_university": _labelled_breakdown(snapshot, "university") if snapshot else None,
        "background": tasks.can_defer(),
    }
    return TemplateResponse(request, "participation/opinions/admin/opinion_map.html", context)


@require_POST
def recompute(request, page_id):
    """Compute the map again now: queued for the worker, or here when there is none."""
    page = call_for_editor(request, page_id)
    if tasks.can_defer():
        tasks.recompute_opinion_map.enqueue(str(page.call_key))
        messages.success(request, _("The opinion map will be computed again in a moment."))
    else:
        maps.recompute(page.call_key)
        messages.success(request, _("The opinion map was computed again."))
    return redirect(_here(page))


@require_POST
def publish(request, page_id):
    """Publish the snapshot the editor looked at (its id is in the form)."""
    page = call_for_editor(request, page_id)
    try:
        snapshot_id = int(request.POST.get("snapshot", ""))
    except ValueError:
        snapshot_id = None
    snapshot = OpinionMapSnapshot.objects.filter(pk=snapshot_id, call_key=page.call_key).first()
    if snapshot is None:
        messages.error(request, _("This opinion map no longer exists; look at the latest one."))
    elif not snapshot.data.get("groups"):
        messages.error(
            request, _("This opinion map has no group to show, so it cannot be published.")
        )
    else:
        maps.publish(request.user, page, snapshot)
        messages.success(request, _("The opinion map is now public."))
    return redirect(_here(page))


@require_POST
def unpublish(request, page_id):
    page = call_for_editor(request, page_id)
    if maps.unpublish(request.user, page):
        messages.success(request, _("The opinion map is no longer public."))
    else:
        messages.warning(request, _("No opinion map of this call was public."))
    return redirect(_here(page))


@require_GET
def export(request, page_id, file_format):
    """The latest snapshot's group-level statistics as XLSX or CSV; audited."""
    page = call_for_editor(request, page_id)
    snapshot = maps.latest(page.call_key)
    if snapshot is None:
        raise Http404
    audit.record(
        request, AuditAction.EXPORT, target=page, call=page, format=file_format, what="opinion_map"
    )
    if file_format == "csv":
        return exports.csv_response(page, snapshot)
    return exports.xlsx_response(page, snapshot)
