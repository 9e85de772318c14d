"""The idea calls an editor may edit, with the submissions awaiting screening."""

from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from ..choices import IdeaStatus
from ..models import Idea
from .common import editable_calls


def _representatives(calls):
    """{translation key: one page}, the first language version created of each call."""
    chosen = {}
    for call in sorted(calls, key=lambda page: page.pk):
        chosen.setdefault(call.translation_key, call)
    return chosen


@require_GET
def call_list(request):
    """The idea calls this person may edit, with their submissions awaiting screening."""
    calls = _representatives(editable_calls(request.user).defer_streamfields())
    counts = {
        row["call_key"]: row
        for row in Idea.objects.filter(call_key__in=list(calls))
        .exclude(status=IdeaStatus.DRAFT)
        .values("call_key")
        .annotate(
            total=Count("id"),
            waiting=Count("id", filter=Q(status=IdeaStatus.SUBMITTED)),
            in_review=Count("id", filter=Q(status=IdeaStatus.IN_REVIEW)),
        )
    }
    rows = [
        {"page": call, **counts.get(key, {"total": 0, "waiting": 0, "in_review": 0})}
        for key, call in calls.items()
    ]
    rows.sort(key=lambda row: (-row["waiting"], row["page"].title))
    return TemplateResponse(request, "participation/ideas/admin/calls.html", {"rows": rows})
