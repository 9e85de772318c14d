"""The jurors' side: the submissions assigned to me, and scoring (or recusing from) one.

Jurors are academics without admin access, so these are public pages behind sign-in.
A juror sees only their own assignments: any other id is a 404, logged like every
refused look at a submission (``participation.security.refuse``). With the call's blind
review on, the authors and their organization appear nowhere on the page — not in the text,
not in an attribute, not in a file name. Every POST redirects back with a message.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from participation.access import sign_in_url
from participation.forms import LocalizedNumberField, PersianTextField
from participation.persian import format_number
from participation.security import refuse

from . import access, jury, services
from .answers import answer_rows
from .attachments import TYPES_BY_MIME
from .choices import AssignmentStatus, CoAuthorStatus, IdeaStatus
from .models import ReviewAssignment

MY_REVIEWS_TEMPLATE = "participation/ideas/jury/my_reviews.html"
REVIEW_TEMPLATE = "participation/ideas/jury/review.html"


class ScoreForm(forms.Form):
    """One whole-number field per criterion of the call, then an optional comment."""

    comment = PersianTextField(
        label=_("Comment"),
        required=False,
        max_length=jury.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: what you valued and what the authors could improve."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = LocalizedNumberField(
                label=criterion["name"],
                help_text=self.criterion_help(criterion),
                min_value=0,
                max_value=criterion["max_score"],
                whole_numbers=True,
                error_messages={"required": _("Give this criterion a score.")},
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "dir": "ltr",
                        "maxlength": 4,
                        "size": 4,
                        "autocomplete": "off",
                    }
                ),
            )
        self.fields["comment"] = comment
        self.criteria = criteria

    @staticmethod
    def criterion_help(criterion):
        """What the jury looks for, the criterion's weight and its range."""
        rule = _("Weight %(weight)s. A whole number from %(min)s to %(max)s.") % {
            "weight": format_number(criterion["weight"]),
            "min": format_number(0),
            "max": format_number(criterion["max_score"]),
        }
        return f"{criterion['description']} {rule}" if criterion["description"] else rule

    @staticmethod
    def field_name(criterion):
        return f"score-{criterion['id']}"

    def scores(self):
        """{criterion id: int} of a valid form."""
        return {
            criterion["id"]: int(self.cleaned_data[self.field_name(criterion)])
            for criterion in self.criteria
        }

    def criterion_fields(self):
        """(criterion, bound field) in the call's order."""
        return [(criterion, self[self.field_name(criterion)]) for criterion in self.criteria]


class RecuseForm(forms.Form):
    reason = PersianTextField(
        label=_("Why are you recusing yourself?"),
        max_length=jury.RECUSAL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: you know the authors, advised the work or have another conflict"
            " of interest. Only the call's editors read this."
        ),
        error_messages={"required": _("Say why you are recusing yourself.")},
    )


def criteria_for_form(page):
    """The call's criteria with what the jury looks for, as the score form shows them."""
    return [
        {
            "id": child.id,
            "name": child.value["name"],
            "description": child.value.get("description") or "",
            "weight": child.value["weight"],
            "max_score": child.value["max_score"],
        }
        for child in page.criteria
    ]


def calls_by_key(keys):
    """{call key: the call page in the visitor's language, else in any language}."""
    pages = {}
    current = Locale.get_active()
    for page in Page.objects.filter(translation_key__in=keys).select_related("locale"):
        if page.translation_key not in pages or page.locale_id == current.pk:
            pages[page.translation_key] = page
    return pages


def my_reviews(request):
    """The submissions assigned to me across calls, grouped by call, with where each stands."""
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request.get_full_path()))
    assignments = list(
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("idea")
        .order_by("-assigned_at", "-pk")
    )
    pages = calls_by_key({assignment.idea.call_key for assignment in assignments})
    groups = {}
    for assignment in assignments:
        key = assignment.idea.call_key
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "page": pages.get(key),
                "assignments": [],
                "to_review": 0,
                "scored": 0,
                "recused": 0,
            }
        group["assignments"].append(assignment)
        if assignment.status == AssignmentStatus.SCORED:
            group["scored"] += 1
        elif assignment.status == AssignmentStatus.RECUSED:
            group["recused"] += 1
        elif assignment.idea.status == IdeaStatus.IN_REVIEW:
            group["to_review"] += 1
    context = {
        "groups": list(groups.values()),
        "to_review": sum(group["to_review"] for group in groups.values()),
        "IN_REVIEW": IdeaStatus.IN_REVIEW,
    }
    return render(request, MY_REVIEWS_TEMPLATE, context)


def review(request, assignment_id):
    """One assigned submission to read, score (while in jury review) or recuse from."""
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request.get_full_path()))
    assignment = (
        ReviewAssignment.objects.select_related("idea", "idea__organization")
        .filter(pk=assignment_id, reviewer=request.user)
        .first()
    )
    if assignment is None:
        refuse(request, "review", assignment=assignment_id)
    idea = assignment.idea
    page = access.call_page(idea)
    if page is None:
        refuse(request, "review", assignment=assignment_id)
    criteria = criteria_for_form(page)
    recused = assignment.status == AssignmentStatus.RECUSED
    can_score = not recused and idea.status == IdeaStatus.IN_REVIEW and bool(criteria)
    can_recuse = can_score and assignment.status == AssignmentStatus.ASSIGNED
    score_form = recuse_form = None

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "score" and can_score:
            score_form = ScoreForm(request.POST, criteria=criteria)
            if score_form.is_valid():
                return _save_scores(request, assignment, score_form)
        elif action == "recuse" and can_recuse:
            recuse_form = RecuseForm(request.POST, prefix="recuse")
            if recuse_form.is_valid():
                return _recuse(request, assignment, recuse_form)
        else:
            messages.error(request, _("This review can no longer be changed."))
            return redirect("ideas:review", assignment.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])

    scores = dict(assignment.scores.values_list("criterion_id", "score"))
    if score_form is None and can_score:
        initial = {ScoreForm.field_name(c): scores.get(c["id"]) for c in criteria}
        score_form = ScoreForm(
            initial={**initial, "comment": assignment.comment}, criteria=criteria
        )
    if recuse_form is None and can_recuse:
        recuse_form = RecuseForm(prefix="recuse")
    context = {
        "page": page,
        "assignment": assignment,
        "idea": idea if not recused else None,
        "blind": page.blind_review,
        "recused": recused,
        "review_open": idea.status == IdeaStatus.IN_REVIEW,
        "score_form": score_form,
        "recuse_form": recuse_form,
        "score_errors": _error_summary(score_form),
        "recuse_errors": _error_summary(recuse_form),
        "given_scores": [
            {**criterion, "score": scores.get(criterion["id"])} for criterion in criteria
        ],
    }
    if not recused:
        context.update(_submission_context(page, idea))
    return render(request, REVIEW_TEMPLATE, context)


def _submission_context(page, idea):
    """What the juror reads; the authors and organization only without blind review."""
    themes = dict(services.theme_choices(page))
    context = {
        "theme": themes.get(idea.category, ""),
        "answers": answer_rows(page, idea.answers.all()),
        "attachments": [
            {
                "pk": attachment.pk,
                "number": number,
                # Authors' file names often carry their names: blind review numbers them.
                "name": "" if page.blind_review else attachment.original_name,
                "kind": _file_kind(attachment.content_type),
                "size": attachment.size,
            }
            for number, attachment in enumerate(idea.attachments.all(), start=1)
        ],
        "authors": [],
        "organization": None,
    }
    if not page.blind_review:
        context["authors"] = list(
            idea.authors.filter(status=CoAuthorStatus.ACCEPTED).select_related(
                "person", "person__university"
            )
        )
        context["organization"] = idea.organization
    return context


def _file_kind(content_type):
    """ "PDF", "DOCX"…: what a juror needs to know before opening a file."""
    file_type = TYPES_BY_MIME.get(content_type)
    return file_type.extension.upper() if file_type else content_type


def _error_summary(form):
    """(anchor id, label, first error) of each field in error, for the summary box."""
    if form is None or not form.is_bound or not form.errors:
        return []
    errors = [("", "", error) for error in form.non_field_errors()]
    for field in form:
        if field.errors:
            errors.append((field.auto_id, field.label, field.errors[0]))
    return errors


def _save_scores(request, assignment, form):
    try:
        jury.save_scores(
            assignment, request.user, form.scores(), form.cleaned_data.get("comment", "")
        )
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Your scores are saved. You can change them while the review is open.")
        )
    return redirect("ideas:review", assignment.pk)


def _recuse(request, assignment, form):
    try:
        jury.recuse(assignment, request.user, form.cleaned_data["reason"])
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("ideas:review", assignment.pk)
    messages.success(
        request,
        _("You have recused yourself from this review. The editors will assign another juror."),
    )
    return redirect("ideas:jury")
