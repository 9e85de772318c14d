"""The editors' side of idea calls in the Wagtail admin.

Screens per call: the submissions (filtered, paginated, screened one by one or several at
once), one submission with everything about it and its next workflow steps, the jury
(jurors, their load and conflicts, assigning reviewers), the ranking (where the shortlist
and winners are chosen) and the XLSX export. A menu item lists the calls with the
submissions awaiting screening.

Only people who may edit the call's page see or act on it (403 otherwise); changes are
POST-only. Every step an editor takes — a workflow move (``workflow.take_step``), a juror
added or removed, reviewers assigned (``jury``), an export (``exports.record_export``) — is
written by those services to the page's Wagtail history, the ``hadaf.ideas`` logger and
the audit log (``participation.audit``), in the step's transaction; workflow moves are
also :class:`IdeaEvent` rows. Opening a submission is audited here; refusals go to the
``hadaf.security`` logger.
"""

import functools
import logging
import uuid
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.admin import messages

from participation import audit, lifecycle
from participation.access import call_for_editor
from participation.audit.choices import AuditAction
from participation.calls import call_page_model
from participation.choices import CallKind
from participation.emails import validate_email_identity
from participation.forms import PersianTextField, normalize_text
from participation.persian import localize_digits
from participation.questions.schema import read_questions
from participation.security import get_or_refuse

from . import exports, jury, services, workflow
from .choices import AssignmentStatus, CoAuthorStatus, IdeaKind, IdeaStatus
from .models import CriterionScore, Idea, IdeaAuthor, JuryMember, ReviewAssignment

logger = logging.getLogger("hadaf.ideas")

PER_PAGE = 50
MAX_REASON_LENGTH = 2000


# Statuses an editor moves submissions to (draft → submitted is the authors' step).
EDITOR_TARGETS = [
    status for status in IdeaStatus if status not in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED)
]
# The steps offered on the list (screening) and on the ranking (choosing the winners).
SCREENING_TARGETS = [IdeaStatus.IN_REVIEW, IdeaStatus.INELIGIBLE]
RANKING_TARGETS = [
    IdeaStatus.SHORTLISTED,
    IdeaStatus.WINNER,
    IdeaStatus.HONOURABLE_MENTION,
    IdeaStatus.NOT_SELECTED,
    IdeaStatus.IN_REVIEW,
]


# Who may do what ----------------------------------------------------------------------


def editable_calls(user):
    """Every language version of every idea call ``user`` may edit."""

    return lifecycle.editable_calls(user, call_page_model(CallKind.IDEA))


def awaiting_screening(user):
    """The submissions awaiting screening on the idea calls ``user`` may edit."""
    keys = editable_calls(user).values("translation_key")
    return Idea.objects.filter(call_key__in=keys, status=IdeaStatus.SUBMITTED)


def editors_only(view):
    """Answer 403 to people who may not edit the call (Wagtail would redirect them home)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            logger.warning(
                "refused %s to user %s: %s", view.__name__, request.user.pk, request.path
            )
            return permission_denied(request, denied)

    return wrapped


def submissions_of(page):
    """The call's submissions editors handle: every language, drafts left to their authors."""
    return Idea.objects.filter(call_key=page.call_key).exclude(status=IdeaStatus.DRAFT)


def safe_next(request, fallback):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def list_url(page):
    return reverse("hadaf_ideas:submissions", args=[page.pk])


def detail_url(page, idea):
    return reverse("hadaf_ideas:submission", args=[page.pk, idea.uuid])


def jury_url(page):
    return reverse("hadaf_ideas:jury", args=[page.pk])


def short_code(idea):
    """The first block of the idea's uuid: enough to tell submissions apart on screen."""
    return str(idea.uuid).split("-")[0]


def status_choices(statuses):
    return [(status.value, status.label) for status in statuses]


# Taking workflow steps ----------------------------------------------------------------


class MoveForm(forms.Form):
    """The next step of one or more submissions, with the reason the authors will read."""

    to = forms.ChoiceField(label=gettext_lazy("Next step"), choices=status_choices(EDITOR_TARGETS))
    reason = PersianTextField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The authors read it with the new status. Required when a submission is not eligible."
        ),
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["to"].choices = status_choices(targets)


def take_steps(request, page, ideas, to_status, reason):
    """Move every idea or none (:func:`workflow.take_steps`). Returns the refusal's message,
    or "" when all moved."""
    try:
        workflow.take_steps(page, ideas, to_status, actor=request.user, reason=reason)
    except workflow.TransitionRefused as refusal:
        return str(refusal.message)
    return ""


def moved_message(count, to_status):
    return ngettext(
        "%(count)s submission is now “%(status)s”.",
        "%(count)s submissions are now “%(status)s”.",
        count,
    ) % {"count": localize_digits(count), "status": IdeaStatus(to_status).label}


@editors_only
@require_POST
def move_submissions(request, page_id):
    """Several submissions (``ideas``: uuids) take the same step; all or none."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    back = safe_next(request, list_url(page))
    form = MoveForm(request.POST)
    wanted = []
    for value in request.POST.getlist("ideas"):
        try:
            wanted.append(uuid.UUID(value))
        except ValueError:
            continue
    ideas = list(submissions_of(page).filter(uuid__in=wanted).order_by("submitted_at", "pk"))
    if not ideas:
        messages.error(request, _("Select at least one submission."))
        return redirect(back)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(errors))
        return redirect(back)
    to_status = form.cleaned_data["to"]
    refusal = take_steps(request, page, ideas, to_status, form.cleaned_data["reason"])
    if refusal:
        messages.error(request, _("Nothing was changed. %(reason)s") % {"reason": refusal})
    else:
        messages.success(request, moved_message(len(ideas), to_status))
    return redirect(back)


# The calls -----------------------------------------------------------------------------


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


# Submissions of a call -------------------------------------------------------------------


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


# One submission ---------------------------------------------------------------------------


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


# The jury -----------------------------------------------------------------------------------


class JurorForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The email address of an existing account on the site."),
        # A look-alike could match an impostor's account stored before look-alikes were refused.
        validators=[validate_email_identity],
    )


@dataclass
class JurorRow:
    member: JuryMember
    assigned: int = 0
    scored: int = 0
    recused: int = 0
    conflicts: list = field(default_factory=list)  # (idea, reasons)

    @property
    def removable(self):
        return not self.scored


def juror_rows(page):
    """The call's jurors with their load and, for the submissions in review, conflicts."""
    members = list(
        JuryMember.objects.filter(call_key=page.call_key)
        .select_related("person__university")
        .order_by("added_at", "pk")
    )
    loads = {
        row["reviewer"]: row
        for row in ReviewAssignment.objects.filter(
            idea__call_key=page.call_key, reviewer__in=[member.person for member in members]
        )
        .values("reviewer")
        .annotate(
            assigned=Count("id", filter=Q(status=AssignmentStatus.ASSIGNED)),
            scored=Count("id", filter=Q(status=AssignmentStatus.SCORED)),
            recused=Count("id", filter=Q(status=AssignmentStatus.RECUSED)),
        )
        .order_by()
    }
    in_review = list(
        submissions_of(page)
        .filter(status=IdeaStatus.IN_REVIEW)
        .select_related("organization")
        .prefetch_related(_accepted_authors())
        .order_by("submitted_at", "pk")
    )
    # Three queries for every (juror, submission) pair of the call, whatever their number.
    found = jury.conflicts_among(in_review, [member.person for member in members])
    rows = []
    for member in members:
        load = loads.get(member.person_id, {})
        conflicts = [
            (idea, found[idea.pk, member.person_id])
            for idea in in_review
            if (idea.pk, member.person_id) in found
        ]
        rows.append(
            JurorRow(
                member=member,
                assigned=load.get("assigned", 0),
                scored=load.get("scored", 0),
                recused=load.get("recused", 0),
                conflicts=conflicts,
            )
        )
    return rows, len(in_review)


def render_jury(request, page, *, form=None, report=None):
    rows, in_review = juror_rows(page)
    short = report.short if report is not None else []
    uuids = dict(
        Idea.objects.filter(pk__in=[item.idea_id for item in short]).values_list("pk", "uuid")
    )
    context = {
        "page": page,
        "rows": rows,
        "in_review": in_review,
        "form": form or JurorForm(),
        "report": report,
        "short": [(item, uuids.get(item.idea_id)) for item in short],
        "nav": "jury",
    }
    return TemplateResponse(request, "participation/ideas/admin/jury.html", context)


@editors_only
@require_GET
def jury_view(request, page_id):
    """The jury: who is on it, their load and conflicts, adding and assigning."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    return render_jury(request, page)


@editors_only
@require_POST
def add_juror(request, page_id):
    """Add the existing account with the given email to the jury."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    form = JurorForm(request.POST)
    if not form.is_valid():
        return render_jury(request, page, form=form)
    email = form.cleaned_data["email"]
    person = get_user_model().objects.by_email(email).filter(is_active=True).first()
    if person is None:
        form.add_error(
            "email",
            _("No account uses this email address. Ask the person to sign up first."),
        )
        return render_jury(request, page, form=form)
    _member, created = jury.add_juror(page, person, actor=request.user)
    if created:
        messages.success(
            request,
            _("%(name)s is on the jury.") % {"name": exports.person_name(person)},
        )
    else:
        messages.warning(
            request,
            _("%(name)s is already on the jury.") % {"name": exports.person_name(person)},
        )
    return redirect(jury_url(page))


@editors_only
@require_POST
def remove_juror(request, page_id, member_id):
    """Take a juror off the jury, with the reviews they have not scored yet.

    A juror who has scored a submission stays: their scores are part of the ranking.
    """
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    member = get_or_refuse(
        request, JuryMember.objects.filter(call_key=page.call_key), "juror", pk=member_id
    )
    person = member.person
    try:
        jury.remove_juror(page, member, actor=request.user)
    except jury.JurorHasScored:
        messages.error(
            request,
            _(
                "%(name)s has already scored submissions and stays on the jury; their "
                "scores are part of the ranking."
            )
            % {"name": exports.person_name(person)},
        )
        return redirect(jury_url(page))
    messages.success(
        request,
        _("%(name)s is no longer on the jury.") % {"name": exports.person_name(person)},
    )
    return redirect(jury_url(page))


@editors_only
@require_POST
def assign(request, page_id):
    """Give each submission in review its reviewers (``jury.assign_reviewers``) and report.

    The report is shown at once (no redirect): sending the form again is harmless, as
    assignments already made are kept and none is made twice.
    """
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    report = jury.assign_and_log(page, actor=request.user)
    created = report.created
    messages.success(
        request,
        ngettext("%(count)s review assigned.", "%(count)s reviews assigned.", created)
        % {"count": localize_digits(created)},
    )
    return render_jury(request, page, report=report)


# The ranking ----------------------------------------------------------------------------------


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


# The export -------------------------------------------------------------------------------


@editors_only
@require_GET
def export(request, page_id):
    """The submissions and the jury's scores as one XLSX workbook."""
    page = call_for_editor(request, page_id, CallKind.IDEA, "idea call")
    exports.record_export(page, request.user)
    return exports.workbook_response(page)
