"""The jury of a call: its jurors, their load and conflicts; adding, removing, assigning."""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from participation.access import call_for_editor
from participation.choices import CallKind
from participation.emails import validate_email_identity
from participation.persian import localize_digits
from participation.security import get_or_refuse

from .. import exports, jury
from ..choices import AssignmentStatus, IdeaStatus
from ..models import Idea, JuryMember, ReviewAssignment
from .common import editors_only, jury_url, submissions_of
from .submissions import _accepted_authors


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
