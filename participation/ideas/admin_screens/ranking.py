"""The ranking, where the shortlist and the winners are chosen."""

from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from participation.access import call_for_editor
from participation.choices import CallKind

from .. import jury, services
from ..models import Idea
from .common import RANKING_TARGETS, editors_only, short_code, submissions_of
from .steps import MoveForm


@dataclass
class RankingRow:
    entry: jury.RankedIdea
    idea: Idea
    theme_name: str
    means: list  # per criterion, in the criteria's order (None when no score)


@editors_only
@require_GET
def ranking_view(request, page_id):
    """The ranking by weighted normalized score; winners are chosen from here."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    criteria = jury.criteria_of(page)
    entries = jury.ranking(page)
    ideas = submissions_of(page).in_bulk([entry.idea_id for entry in entries])
    themes = dict(services.theme_choices(page))
    theme = request.GET.get("theme", "")
    rows = []
    for entry in entries:
        idea = ideas.get(entry.idea_id)
        if idea is None or (theme and idea.category != theme):
            continue
        idea.code = short_code(idea)
        rows.append(
            RankingRow(
                entry=entry,
                idea=idea,
                theme_name=themes.get(idea.category, ""),
                means=[entry.criterion_means.get(criterion.id) for criterion in criteria],
            )
        )
    context = {
        "page": page,
        "criteria": criteria,
        "rows": rows,
        "themes": services.theme_choices(page),
        "filters": {"theme": theme},
        "disagreements": sum(1 for row in rows if row.entry.disagreement),
        "move_form": MoveForm(targets=RANKING_TARGETS),
        "full_path": request.get_full_path(),
        "nav": "ranking",
    }
    return TemplateResponse(request, "participation/ideas/admin/ranking.html", context)
