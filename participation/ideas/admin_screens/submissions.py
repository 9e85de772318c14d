"""A call's submissions: filtered, paginated, screened one by one or several at once."""

import uuid

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from participation.access import call_for_editor
from participation.choices import CallKind
from participation.forms import normalize_text

from .. import exports, services
from ..choices import CoAuthorStatus, IdeaKind, IdeaStatus
from ..models import Idea, IdeaAuthor
from .common import SCREENING_TARGETS, editors_only, short_code, submissions_of
from .steps import MoveForm

PER_PAGE = 50


def filtered_submissions(page, params):
    """The call's submissions narrowed by the list's filters and search."""
    ideas = submissions_of(page)
    status = params.get("status", "")
    if status in IdeaStatus.values and status != IdeaStatus.DRAFT:
        ideas = ideas.filter(status=status)
    if params.get("theme"):
        ideas = ideas.filter(category=params["theme"])
    if params.get("kind") in IdeaKind.values:
        ideas = ideas.filter(kind=params["kind"])
    query = normalize_text(params.get("q") or "")
    if query:
        try:
            ideas = ideas.filter(uuid=uuid.UUID(query))
        except ValueError:
            ideas = ideas.filter(Q(title__icontains=query) | Q(uuid__startswith=query.lower()))
    return ideas


def status_counts(page):
    """``[(value, label, count)]`` of the call's submissions in each status but draft."""
    counts = dict(submissions_of(page).values_list("status").annotate(count=Count("id")).order_by())
    return [
        (status.value, status.label, counts.get(status.value, 0))
        for status in IdeaStatus
        if status != IdeaStatus.DRAFT
    ]


def _accepted_authors():
    return Prefetch(
        "authors",
        queryset=IdeaAuthor.objects.filter(status=CoAuthorStatus.ACCEPTED).select_related(
            "person__university"
        ),
        to_attr="accepted_authors",
    )


@editors_only
@require_GET
def submission_list(request, page_id):
    """The call's submissions, filtered, searched and paginated, selectable for screening."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    ideas = (
        filtered_submissions(page, request.GET)
        .select_related("organization")
        .prefetch_related(_accepted_authors())
        .annotate(
            attachment_count=Count("attachments", distinct=True),
        )
        .order_by("-submitted_at", "-pk")
    )
    paginator = Paginator(ideas, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    themes = dict(services.theme_choices(page))
    for idea in page_obj:
        idea.code = short_code(idea)
        idea.theme_name = themes.get(idea.category, "")
        idea.author_names = [
            exports.person_name(author.person, author.email) for author in idea.accepted_authors
        ]
    query = request.GET.copy()
    query.pop("p", None)
    counts = status_counts(page)
    context = {
        "page": page,
        "ideas": page_obj,
        "paginator": paginator,
        "query": query.urlencode(),
        "filters": {key: request.GET.get(key, "") for key in ("status", "theme", "kind", "q")},
        "counts": counts,
        "total": sum(count for _value, _label, count in counts),
        "drafts": Idea.objects.filter(call_key=page.call_key, status=IdeaStatus.DRAFT).count(),
        "themes": services.theme_choices(page),
        "kinds": IdeaKind.choices,
        "move_form": MoveForm(targets=SCREENING_TARGETS),
        "full_path": request.get_full_path(),
        "nav": "submissions",
    }
    return TemplateResponse(request, "participation/ideas/admin/submissions.html", context)
