"""The drafting committee's side of regulation drafts in the Wagtail admin.

Three screens: the moderation queue (comments awaiting approval or hidden after
reports, on every draft the person may edit), the decisions on every clause of a
round, and starting the next round. Only people who may edit a draft see or act on
it. Moderation, decisions, new rounds and the comments export are written by ``services``
to the page's Wagtail history and to the audit log (``participation.audit``), in the
action's transaction; refusals go to the ``hadaf.security`` logger.
"""

from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.admin import messages

from participation.access import call_for_editor
from participation.calls import call_page_model
from participation.choices import CallKind
from participation.forms import normalize_text_input
from participation.lifecycle import editable_calls
from participation.persian import localize_digits
from participation.security import log_refusal

from . import comparison, discussion, outline, services
from .choices import DecisionOutcome, ModerationState, ReportReason
from .diff import UNCHANGED, compare_texts
from .forms import MAX_DECISION_REASON_LENGTH
from .identity import display_name
from .models import ClauseComment, ClauseDecision, CommentReport, DraftRound
from .services import QUEUE_STATES
from .views import chosen_round, clause_url, round_provisions

PER_PAGE = 30
MAX_SUMMARY_LENGTH = 4000


# Who may do what --------------------------------------------------------------------


def editable_drafts(user):
    """Every language version of every regulation draft ``user`` may edit."""

    return editable_calls(user, call_page_model(CallKind.DRAFT))


def waiting_comments(user):
    """The comments awaiting a moderator on the drafts ``user`` may edit."""
    keys = editable_drafts(user).values("translation_key")
    return ClauseComment.objects.filter(call_key__in=keys, moderation_state__in=QUEUE_STATES)


def decisions_url(page, review_round=None):
    url = reverse("hadaf_drafts:decisions", args=[page.pk])
    return f"{url}?round={review_round.number}" if review_round is not None else url


def safe_next(request, fallback):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


# The moderation queue -----------------------------------------------------------------


@dataclass
class QueueItem:
    """A comment in the queue, with what a moderator needs to judge it."""

    comment: ClauseComment
    draft: object
    clause_label: str
    clause_url: str
    author_name: str
    reports: list = field(default_factory=list)  # (reason label, count), most frequent first
    report_total: int = 0


def _representatives(drafts):
    """{translation key: one page}, the first language version created of each draft."""
    chosen = {}
    for draft in sorted(drafts, key=lambda page: page.pk):
        chosen.setdefault(draft.translation_key, draft)
    return chosen


def queue_items(request, comments, drafts):
    """Describe a page of the queue, reading each draft round's text once."""
    by_pk = {draft.pk: draft for draft in drafts}
    by_key = _representatives(drafts)
    rounds = {
        (review_round.call_key, review_round.number): review_round
        for review_round in DraftRound.objects.filter(
            call_key__in={comment.call_key for comment in comments}
        )
    }
    labels = {}
    reason_labels = dict(ReportReason.choices)
    items = []
    for comment in comments:
        draft = by_pk.get(comment.call_id) or by_key[comment.call_key]
        text_key = (draft.pk, comment.round_number)
        if text_key not in labels:
            review_round = rounds.get((comment.call_key, comment.round_number))
            provisions = (
                round_provisions(draft, review_round)
                if review_round is not None
                else outline.outline_of(draft.draft_text)
            )
            by_id = {provision.id: provision for provision in provisions}
            labels[text_key] = {
                provision.id: outline.full_label(provision, by_id) for provision in provisions
            }
        reasons = Counter(report.reason for report in comment.open_reports)
        page_url = draft.get_url(request)
        items.append(
            QueueItem(
                comment=comment,
                draft=draft,
                clause_label=labels[text_key].get(comment.clause_id, comment.clause_id),
                clause_url=(
                    clause_url(request, draft, comment.clause_id, comment.round_number)
                    if page_url
                    else ""
                ),
                author_name=display_name(draft, comment),
                reports=[
                    (reason_labels.get(reason, reason), count)
                    for reason, count in reasons.most_common()
                ],
                report_total=len(comment.open_reports),
            )
        )
    return items


@require_GET
def moderation_queue(request):
    """Comments awaiting approval or hidden after reports, newest first, filterable."""
    drafts = list(editable_drafts(request.user).defer_streamfields().order_by("pk"))
    comments = ClauseComment.objects.filter(
        call_key__in={draft.translation_key for draft in drafts},
        moderation_state__in=QUEUE_STATES,
    )
    state = request.GET.get("state", "")
    if state in QUEUE_STATES:
        comments = comments.filter(moderation_state=state)
    else:
        state = ""
    chosen_draft = None
    wanted = request.GET.get("draft", "")
    if wanted.isdigit():
        chosen_draft = next((draft for draft in drafts if draft.pk == int(wanted)), None)
    if chosen_draft is not None:
        comments = comments.filter(call_key=chosen_draft.translation_key)
    comments = (
        comments.select_related("author", "parent")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True).order_by("pk"),
                to_attr="open_reports",
            )
        )
        .order_by("-created_at", "-pk")
    )
    paginator = Paginator(comments, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    # The texts are needed only for the drafts on this page of the queue.
    keys_shown = {comment.call_key for comment in page_obj}
    with_text = list(
        editable_drafts(request.user).filter(translation_key__in=keys_shown).order_by("pk")
    )
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "items": queue_items(request, list(page_obj), with_text),
        "page_obj": page_obj,
        "paginator": paginator,
        "query": query.urlencode(),
        "drafts": sorted(_representatives(drafts).values(), key=lambda page: page.title),
        "filters": {"state": state, "draft": chosen_draft.pk if chosen_draft else ""},
        "state_choices": [
            (ModerationState.PENDING.value, ModerationState.PENDING.label),
            (ModerationState.HIDDEN.value, ModerationState.HIDDEN.label),
        ],
        "full_path": request.get_full_path(),
    }
    return TemplateResponse(request, "participation/drafts/admin/moderation_queue.html", context)


@require_POST
def moderate_comment(request, comment_uuid):
    """Publish (``action=publish``) or remove (``action=remove``) a comment in the queue.

    People who may not edit the comment's draft get a 403, whatever their other rights.
    A comment another moderator already decided on is left as it is.
    """
    comment = get_object_or_404(ClauseComment, uuid=comment_uuid)
    if not editable_drafts(request.user).filter(translation_key=comment.call_key).exists():
        log_refusal(request, "comment moderation", comment=comment_uuid)
        return permission_denied(request, PermissionDenied())
    action = request.POST.get("action")
    back = safe_next(request, reverse("hadaf_drafts:moderation"))
    if action not in ("publish", "remove"):
        messages.error(request, _("Choose whether to publish or remove the comment."))
        return redirect(back)
    moderated = services.moderate_from_queue(comment, request.user, approve=action == "publish")
    if moderated is None:
        messages.warning(request, _("This comment was already moderated; nothing changed."))
    elif action == "publish":
        messages.success(request, _("The comment is published."))
    else:
        messages.success(request, _("The comment was removed."))
    return redirect(back)


# Decisions ----------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """The decision on one clause. Left empty, the clause stays undecided.

    Each field carries the value the editor saw (``show_hidden_initial``), so only the
    clauses they actually changed are saved, never a colleague's newer decision.
    """

    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("", gettext_lazy("Not decided yet")), *DecisionOutcome.choices],
        required=False,
        show_hidden_initial=True,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=MAX_DECISION_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        show_hidden_initial=True,
    )

    def __init__(self, *args, provision, decision=None, **kwargs):
        self.provision = provision
        self.decision = decision
        initial = {"outcome": decision.outcome, "reason": decision.reason} if decision else None
        # Forms the editor left as they were are not validated at all (``empty_permitted``).
        super().__init__(
            *args,
            prefix=f"clause-{provision.id}",
            initial=initial,
            empty_permitted=True,
            use_required_attribute=False,
            **kwargs,
        )

    def clean_reason(self):
        return normalize_text_input(self.cleaned_data["reason"])

    def clean(self):
        cleaned_data = super().clean()
        outcome = cleaned_data.get("outcome")
        reason = cleaned_data.get("reason")
        if "outcome" in self.errors or "reason" in self.errors:
            return cleaned_data
        if reason and not outcome:
            self.add_error("outcome", _("Choose the decision this reason explains."))
        elif outcome and not reason:
            self.add_error("reason", _("Give the reason for the decision."))
        elif not outcome and self.decision is not None:
            self.add_error("outcome", _("A recorded decision can be changed but not taken back."))
        return cleaned_data

    def changes_decision(self):
        """Whether the valid form differs from what the editor saw and from what is stored."""
        if not self.has_changed() or not self.cleaned_data.get("outcome"):
            return False
        stored = (self.decision.outcome, self.decision.reason) if self.decision else None
        return stored != (self.cleaned_data["outcome"], self.cleaned_data["reason"])


@dataclass
class DecisionRow:
    provision: outline.Provision
    stats: discussion.ClauseStats | None
    decision: object
    form: DecisionForm
    public_url: str


def decision_rows(request, page, review_round, data=None):
    provisions = [p for p in round_provisions(page, review_round) if p.commentable]
    stats = discussion.clause_statistics(page.call_key, review_round.number)
    decisions = {
        decision.clause_id: decision
        for decision in ClauseDecision.objects.filter(
            call_key=page.call_key, round_number=review_round.number
        ).select_related("decided_by")
    }
    page_url = page.get_url(request)
    return [
        DecisionRow(
            provision=provision,
            stats=stats.get(provision.id),
            decision=decisions.get(provision.id),
            form=DecisionForm(data, provision=provision, decision=decisions.get(provision.id)),
            public_url=(
                clause_url(request, page, provision.id, review_round.number) if page_url else ""
            ),
        )
        for provision in provisions
    ]


def save_decisions(request, page, review_round, rows):
    """Record every changed decision, all or none. Returns how many were saved, or None."""
    changed = [row.form for row in rows if row.form.changes_decision()]
    try:
        with transaction.atomic():
            for form in changed:
                services.decide_clause(
                    page,
                    request.user,
                    round_number=review_round.number,
                    clause_id=form.provision.id,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                )
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return None
    return len(changed)


@require_http_methods(["GET", "POST"])
def decisions(request, page_id):
    """Every clause of a round with its discussion and a decision form; one save for all."""
    page = call_for_editor(request, page_id, CallKind.DRAFT, "regulation draft")
    review_round, rounds = chosen_round(request, page)
    if request.method == "POST":
        rows = decision_rows(request, page, review_round, request.POST)
        if all(row.form.is_valid() for row in rows):
            saved = save_decisions(request, page, review_round, rows)
            if saved is not None:
                if saved:
                    messages.success(
                        request,
                        ngettext("%(count)s decision saved.", "%(count)s decisions saved.", saved)
                        % {"count": localize_digits(saved)},
                    )
                else:
                    messages.info(request, _("No decision changed."))
                return redirect(decisions_url(page, review_round))
        else:
            messages.error(
                request, _("The decisions could not be saved; correct the marked clauses.")
            )
    else:
        rows = decision_rows(request, page, review_round)
    decided = sum(1 for row in rows if row.decision is not None)
    page_url = page.get_url(request)
    context = {
        "page": page,
        "review_round": review_round,
        "rounds": rounds,
        "is_current_round": review_round.number == rounds[-1].number,
        "rows": rows,
        "invalid_rows": [row for row in rows if row.form.is_bound and row.form.errors],
        "decided": decided,
        "total": len(rows),
        "decisions_public": services.decisions_are_public(page, review_round),
        "comparison_url": (
            f"{page_url}comparison/?round={review_round.number}" if page_url else ""
        ),
        "moderation_url": f"{reverse('hadaf_drafts:moderation')}?draft={page.pk}",
        "waiting": ClauseComment.objects.filter(
            call_key=page.call_key, moderation_state__in=QUEUE_STATES
        ).count(),
    }
    return TemplateResponse(request, "participation/drafts/admin/decisions.html", context)


@require_GET
def export_comments(request, page_id):
    """Every comment of every round, with clause ids, stances and proposals, as XLSX."""
    page = call_for_editor(request, page_id, CallKind.DRAFT, "regulation draft")
    services.record_comments_export(page, request.user)
    return comparison.comments_xlsx_response(page)


# A new round --------------------------------------------------------------------------


class NewRoundForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("What changed"),
        required=False,
        max_length=MAX_SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown to participants with the new round: what was changed and why."
        ),
    )

    def clean_summary(self):
        return normalize_text_input(self.cleaned_data["summary"])


def round_blocker(page, user):
    """Why ``user`` cannot start a new round now (translated), or an empty string."""
    permissions = page.permissions_for_user(user)
    if permissions.page_locked():
        return _("The page is locked; unlock it before starting a new round.")
    if not page.live:
        return _("Publish the draft before starting a new round.")
    if page.has_unpublished_changes and page.workflow_in_progress:
        return _(
            "The saved revision of the text is in a moderation workflow; finish the workflow "
            "before starting a new round."
        )
    if page.has_unpublished_changes and not permissions.can_publish():
        return _(
            "Starting a new round publishes the saved revision of the text, and you may not "
            "publish this page. Ask a moderator to start the new round."
        )
    return ""


@require_http_methods(["GET", "POST"])
def new_round(request, page_id):
    """Explain, preview and start the next round (POST)."""
    page = call_for_editor(request, page_id, CallKind.DRAFT, "regulation draft")
    closing = services.current_round(page)
    blocker = round_blocker(page, request.user)
    form = NewRoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not blocker and form.is_valid():
        started = services.open_next_round(page, request.user, form.cleaned_data["summary"])
        messages.success(
            request,
            _("Round %(new)s has started; the decisions of round %(old)s are now public.")
            % {
                "new": localize_digits(started.number),
                "old": localize_digits(started.number - 1),
            },
        )
        return redirect(decisions_url(page))
    revision = page.get_latest_revision() if page.has_unpublished_changes else None
    changes = []
    if revision is not None:
        revised = revision.as_object()
        changes = [
            change
            for change in compare_texts(
                outline.outline_of(page.draft_text), outline.outline_of(revised.draft_text)
            )
            if change.status != UNCHANGED or change.moved
        ]
    provisions = [p for p in outline.outline_of(page.draft_text) if p.commentable]
    decided = discussion.decisions_of(page.call_key, closing.number)
    context = {
        "page": page,
        "closing": closing,
        "next_number": closing.number + 1,
        "revision": revision,
        "changes": changes,
        "undecided": [provision for provision in provisions if provision.id not in decided],
        "total": len(provisions),
        "form": form,
        "blocker": blocker,
        "decisions_url": decisions_url(page, closing),
    }
    return TemplateResponse(request, "participation/drafts/admin/new_round.html", context)
