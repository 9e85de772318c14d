"""Taking workflow steps on submissions, from the list, one submission or the ranking."""

import uuid

from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from participation.access import call_for_editor
from participation.choices import CallKind
from participation.forms import PersianTextField
from participation.persian import localize_digits

from .. import workflow
from ..choices import IdeaStatus
from .common import (
    EDITOR_TARGETS,
    MAX_REASON_LENGTH,
    editors_only,
    list_url,
    safe_next,
    status_choices,
    submissions_of,
)


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
