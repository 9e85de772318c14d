"""One submission with everything about it and its next workflow steps (opening it is audited)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from participation import audit
from participation.access import call_for_editor
from participation.audit.choices import AuditAction
from participation.choices import CallKind
from participation.questions.schema import read_questions
from participation.security import get_or_refuse

from .. import exports, jury, services, workflow
from ..choices import CoAuthorStatus, IdeaStatus
from ..models import CriterionScore, JuryMember, ReviewAssignment
from .common import detail_url, editors_only, short_code, submissions_of
from .steps import MoveForm, moved_message, take_steps


@dataclass
class ReviewRow:
    review: ReviewAssignment
    scores: list = field(default_factory=list)  # (criterion, CriterionScore or None)


def review_rows(page, idea):
    criteria = jury.criteria_of(page)
    reviews = (
        ReviewAssignment.objects.filter(idea=idea)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.order_by("pk")))
    )
    rows = []
    for review in reviews:
        scores = {score.criterion_id: score for score in review.scores.all()}
        rows.append(
            ReviewRow(
                review=review,
                scores=[(criterion, scores.get(criterion.id)) for criterion in criteria],
            )
        )
    return criteria, rows


def juror_conflicts(page, idea):
    """``[(person, reasons)]`` for the call's jurors who may not review ``idea``."""
    members = JuryMember.objects.filter(call_key=page.call_key).select_related("person")
    people = [member.person for member in members]
    conflicts = jury.conflicts_among([idea], people)
    return [
        (person, conflicts[idea.pk, person.pk])
        for person in people
        if (idea.pk, person.pk) in conflicts
    ]


def next_steps(idea):
    allowed = workflow.allowed_next(idea.status)
    return [status for status in IdeaStatus if status in allowed]


def detail_context(request, page, idea, form):
    themes = dict(services.theme_choices(page))
    authors = list(idea.authors.select_related("person__university"))
    criteria, reviews = review_rows(page, idea)
    questionnaire = read_questions(page.questions)
    steps = next_steps(idea)
    return {
        "page": page,
        "idea": idea,
        "code": short_code(idea),
        "theme_name": themes.get(idea.category, ""),
        "authors": authors,
        "universities": exports.author_universities(
            [author for author in authors if author.status == CoAuthorStatus.ACCEPTED]
        ),
        "answers": exports.answers_of(questionnaire, idea.answers.all()),
        "attachments": [
            (attachment, reverse("ideas:attachment", args=(idea.uuid, attachment.pk)))
            for attachment in idea.attachments.select_related("uploaded_by")
        ],
        "events": idea.events.select_related("actor"),
        "criteria": criteria,
        "reviews": reviews,
        "conflicts": juror_conflicts(page, idea),
        "steps": [(status.value, status.label) for status in steps],
        "reason_required": [status.value for status in steps if status in workflow.REASON_REQUIRED],
        "form": form,
        "nav": "submissions",
    }


@editors_only
@require_http_methods(["GET", "POST"])
def submission_detail(request, page_id, idea_uuid):
    """Everything about one submission; POST takes one of its allowed next steps."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    idea = get_or_refuse(
        request,
        submissions_of(page).select_related("organization__university", "created_by"),
        "idea submission",
        uuid=idea_uuid,
    )
    form = MoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            to_status = form.cleaned_data["to"]
            refusal = take_steps(request, page, [idea], to_status, form.cleaned_data["reason"])
            if not refusal:
                messages.success(request, moved_message(1, to_status))
                return redirect(detail_url(page, idea))
            form.add_error(None, refusal)
        messages.error(request, _("Nothing was changed; see the marked fields."))
        idea.refresh_from_db()
    audit.record(request, AuditAction.VIEW_SUBMISSION, target=idea, call=page)
    context = detail_context(request, page, idea, form)
    return TemplateResponse(request, "participation/ideas/admin/submission.html", context)
