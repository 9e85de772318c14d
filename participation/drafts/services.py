"""Taking part in a draft, moderating it and deciding on it, safe under concurrency.

Rules that must hold whatever the caller (web form, later the API) are enforced
here: the call is open and the person eligible, the clause exists in the text,
one stance per person per clause (a unique constraint, not a check-then-insert),
one vote and one report per person per comment. Counters move by single UPDATE
statements, so simultaneous votes and reports are never lost.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from participation import audit, opinion_inputs
from participation.audit.choices import AuditAction
from participation.choices import CallState
from participation.eligibility import check_eligibility
from participation.errors import Refused

from . import outline
from .choices import CommentKind, ModerationMode, ModerationState
from .models import ClauseComment, ClauseDecision, CommentReport, CommentVote, DraftRound
from .notifications import queue_decision_notices

logger = logging.getLogger("hadaf.drafts")

COMMENT_ACTION = "hadaf.drafts.comment"
APPROVED_ACTION = "hadaf.drafts.approve"
REMOVED_ACTION = "hadaf.drafts.remove"
DECIDED_ACTION = "hadaf.drafts.decide"
ROUND_ACTION = "hadaf.drafts.new_round"
EXPORTED_ACTION = "hadaf.drafts.comments_exported"
# The comments awaiting a moderator: new ones (pre-moderation) and those hidden after reports.
QUEUE_STATES = (ModerationState.PENDING, ModerationState.HIDDEN)
# An identical reply within this time is the same reply sent twice (see ``post_reply``).
REPEATED_REPLY_WINDOW = datetime.timedelta(minutes=10)


class AlreadyCommented(Refused):
    """The person already took a stance on this clause in this round."""

    def __init__(self, comment=None):
        super().__init__(_("You have already commented on this clause in this round."))
        self.comment = comment


# Rounds ---------------------------------------------------------------------------


def current_round(page):
    """The round open for comments (the first is created on first use)."""
    latest = DraftRound.objects.filter(call_key=page.call_key).order_by("-number").first()
    if latest is not None:
        return latest
    try:
        with transaction.atomic():
            return DraftRound.objects.create(call_key=page.call_key, number=1)
    except IntegrityError:  # Another request created it first.
        return DraftRound.objects.get(call_key=page.call_key, number=1)


def rounds_of(page):
    """Every round of the draft, oldest first (at least the current one)."""
    rounds = list(DraftRound.objects.filter(call_key=page.call_key).order_by("number"))
    return rounds or [current_round(page)]


def start_new_round(page, user, summary=""):
    """Close the current round, keeping its text, and open the next with the revised text.

    The closing round keeps the text that was published during it. If the editor has
    saved a revised draft of the page, it is published as the new round's text.
    Comments and decisions stay with the round they were made in; decisions of the
    closed round become public and their authors are told.

    Args:
        page: the live RegulationDraftPage (its published text is the closing round's).
        user: the editor.
        summary: what changed, shown with the new round.
    """
    with transaction.atomic():
        current_round(page)
        closing = (
            DraftRound.objects.select_for_update()
            .filter(call_key=page.call_key, closed_at__isnull=True)
            .order_by("-number")
            .first()
        )
        if closing is None:  # A racing request already started the next round.
            return current_round(page)
        closing.text = outline.snapshot(page.draft_text)
        closing.closed_at = timezone.now()
        closing.save(update_fields=["text", "closed_at"])
        new_round = DraftRound.objects.create(
            call_key=page.call_key, number=closing.number + 1, summary=summary
        )
        if page.has_unpublished_changes:
            page.get_latest_revision().publish(user=user, log_action=True)
        log(instance=page, action=ROUND_ACTION, user=user, data={"round": new_round.number})
        announce_decisions(page)
    return new_round


# Taking part ------------------------------------------------------------------------


def _check_open_and_eligible(page, user):
    eligibility = check_eligibility(user, page)
    if not eligibility:
        raise Refused(eligibility.reason)


def initial_state(page):
    if page.moderation == ModerationMode.PRE:
        return ModerationState.PENDING
    return ModerationState.PUBLISHED


def post_comment(page, user, *, clause_id, kind, stance="", body="", proposed_text="", language):
    """Store a stance and comment on a clause, or a new clause proposed after it.

    Args:
        page: the RegulationDraftPage (any language version).
        user: the participant.
        clause_id: the stable id of an article, clause or note of the current text.
        kind: ``CommentKind.CLAUSE`` or ``CommentKind.NEW_CLAUSE``.
        stance, body, proposed_text: validated by ``forms.ClauseCommentForm``.
        language: the language the comment was written in (its notifications' too).

    Raises:
        Refused: the call is not open, the person not eligible, or no such clause.
        AlreadyCommented: the person already did this on this clause in this round.
    """
    _check_open_and_eligible(page, user)
    provisions = outline.commentable(outline.outline_of(page.draft_text))
    clause = provisions.get(clause_id)
    if clause is None:
        raise Refused(_("This clause does not exist in the draft."))
    if kind not in (CommentKind.CLAUSE, CommentKind.NEW_CLAUSE):
        raise Refused(_("Choose what you are commenting on."))
    review_round = current_round(page)
    try:
        with transaction.atomic():
            comment = ClauseComment.objects.create(
                call=page,
                call_key=page.call_key,
                round_number=review_round.number,
                clause_id=clause_id,
                kind=kind,
                stance=stance if kind == CommentKind.CLAUSE else "",
                body=body,
                proposed_text=proposed_text,
                clause_text=clause.text,
                author=user,
                author_role=getattr(user, "role", "") or "",
                language=language,
                moderation_state=initial_state(page),
            )
    except IntegrityError:
        existing = ClauseComment.objects.filter(
            call_key=page.call_key,
            round_number=review_round.number,
            clause_id=clause_id,
            kind=kind,
            author=user,
            parent=None,
        ).first()
        if existing is None:
            raise
        raise AlreadyCommented(existing) from None
    return comment


def post_reply(page, user, parent, *, body, language):
    """A reply to a top-level comment (one level: replies are not replied to).

    The same reply by the same person to the same comment within
    ``REPEATED_REPLY_WINDOW`` is a double click or a resent form: the reply already
    stored is returned and nothing new is stored.
    """
    _check_open_and_eligible(page, user)
    if parent.parent_id is not None:
        raise Refused(_("Replies can only be made to a comment, not to another reply."))
    if not parent.is_public or parent.call_key != page.call_key:
        raise Refused(_("This comment is not open for replies."))
    with transaction.atomic():
        # Replies to one comment are written one at a time, so two identical POSTs
        # arriving together see each other.
        ClauseComment.objects.select_for_update().filter(pk=parent.pk).first()
        repeated = ClauseComment.objects.filter(
            parent=parent,
            author=user,
            body=body,
            created_at__gte=timezone.now() - REPEATED_REPLY_WINDOW,
        ).first()
        if repeated is not None:
            return repeated
        return ClauseComment.objects.create(
            call=page,
            call_key=page.call_key,
            round_number=parent.round_number,
            clause_id=parent.clause_id,
            kind=CommentKind.REPLY,
            body=body,
            parent=parent,
            author=user,
            author_role=getattr(user, "role", "") or "",
            language=language,
            moderation_state=initial_state(page),
        )


def _counter(value):
    return "support_count" if value > 0 else "oppose_count"


def cast_vote(page, user, comment, value):
    """Support (+1) or oppose (-1) someone else's comment; the same vote again takes it back.

    Returns:
        int | None: the person's vote now (``None`` when taken back).
    """
    _check_open_and_eligible(page, user)
    if comment.author_id == user.pk:
        raise Refused(_("You cannot vote on your own comment."))
    if not comment.is_public or comment.call_key != page.call_key:
        raise Refused(_("This comment cannot be voted on."))
    comments = ClauseComment.objects.filter(pk=comment.pk)
    with transaction.atomic():
        # Locking the person's vote row (or its absence, via the unique constraint)
        # makes a double click count once.
        existing = CommentVote.objects.select_for_update().filter(comment=comment, voter=user)
        previous = existing.first()
        if previous is None:
            try:
                with transaction.atomic():
                    CommentVote.objects.create(comment=comment, voter=user, value=value)
            except IntegrityError:
                return CommentVote.objects.get(comment=comment, voter=user).value
            comments.update(**{_counter(value): F(_counter(value)) + 1})
            return value
        if previous.value == value:
            previous.delete()
            comments.update(**{_counter(value): F(_counter(value)) - 1})
            return None
        previous.value = value
        previous.save(update_fields=["value"])
        comments.update(
            **{_counter(value): F(_counter(value)) + 1, _counter(-value): F(_counter(-value)) - 1}
        )
        return value


def report_comment(page, user, comment, reason):
    """Report a comment to the moderators; enough reports hide it until they decide.

    Returns:
        bool: whether this report hid the comment.
    """
    if not user.is_authenticated:
        raise Refused(_("Sign in to report a comment."))
    if comment.author_id == user.pk:
        raise Refused(_("You cannot report your own comment."))
    if comment.call_key != page.call_key or comment.moderation_state != ModerationState.PUBLISHED:
        raise Refused(_("This comment cannot be reported."))
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reporter=user, reason=reason)
            comments = ClauseComment.objects.filter(pk=comment.pk)
            comments.update(report_count=F("report_count") + 1)
            hidden = comments.filter(
                report_count__gte=page.report_threshold,
                moderation_state=ModerationState.PUBLISHED,
            ).update(moderation_state=ModerationState.HIDDEN)
            if hidden and comment.stance and comment.parent_id is None:
                # A bulk update sends no signal: the hidden stance leaves the opinion map.
                opinion_inputs.changed(comment.call_key)
    except IntegrityError:
        raise Refused(_("You have already reported this comment.")) from None
    return bool(hidden)


# Moderation and decisions -----------------------------------------------------------


def moderate(comment, moderator, *, approve):
    """Publish a pending or hidden comment (clearing its reports), or remove it."""
    with transaction.atomic():
        locked = ClauseComment.objects.select_for_update().get(pk=comment.pk)
        now = timezone.now()
        locked.moderation_state = ModerationState.PUBLISHED if approve else ModerationState.REMOVED
        locked.moderated_at = now
        locked.moderated_by = moderator
        locked.report_count = 0
        locked.save(
            update_fields=["moderation_state", "moderated_at", "moderated_by", "report_count"]
        )
        locked.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
        if locked.call is not None:
            log(
                instance=locked.call,
                action=APPROVED_ACTION if approve else REMOVED_ACTION,
                user=moderator,
                data={"comment": str(locked.uuid), "clause": locked.clause_id},
            )
    return locked


def decisions_are_public(page, review_round):
    """A round's decisions are published when the round closed or the outcome is out."""
    return review_round.is_closed or page.call_state == CallState.OUTCOME_PUBLISHED


def record_decision(page, user, *, round_number, clause_id, outcome, reason):
    """Record (or change) the decision on a clause in a round, logged in the page history."""
    provisions = outline.commentable(outline.outline_of(page.draft_text))
    current_round(page)  # Round 1 exists from the first use.
    review_round = DraftRound.objects.filter(call_key=page.call_key, number=round_number).first()
    if review_round is None:
        raise Refused(_("This round does not exist."))
    known = provisions if not review_round.is_closed else _snapshot_ids(review_round)
    if clause_id not in known:
        raise Refused(_("This clause does not exist in the draft."))
    with transaction.atomic():
        decision, _created = ClauseDecision.objects.update_or_create(
            call_key=page.call_key,
            round_number=round_number,
            clause_id=clause_id,
            defaults={"outcome": outcome, "reason": reason, "decided_by": user},
        )
        log(
            instance=page,
            action=DECIDED_ACTION,
            user=user,
            data={"clause": clause_id, "round": round_number, "outcome": outcome},
        )
        if decisions_are_public(page, review_round):
            announce_decisions(page)
    return decision


# An editor's actions ---------------------------------------------------------------
#
# What an editor does from the admin (or a command or the API acting for one): the step,
# its page history and its row in the audit log, in one transaction. Demo seeding calls the
# steps above directly: no editor acted, so there is no audit row.


def moderate_from_queue(comment, moderator, *, approve):
    """An editor publishes or removes a comment waiting in the queue; audited.

    Returns:
        ClauseComment | None: the moderated comment, or None when another moderator already
        decided on it (then nothing changes).
    """
    with transaction.atomic():
        waiting = (
            ClauseComment.objects.select_for_update()
            .filter(pk=comment.pk, moderation_state__in=QUEUE_STATES)
            .first()
        )
        if waiting is None:
            return None
        state_from = waiting.moderation_state
        moderated = moderate(waiting, moderator, approve=approve)
        audit.record(
            moderator,
            AuditAction.MODERATE_COMMENT,
            target=moderated,
            call=moderated.call,
            state_from=state_from,
            state_to=moderated.moderation_state,
        )
    return moderated


def decide_clause(page, user, *, round_number, clause_id, outcome, reason):
    """An editor decides on a clause (:func:`record_decision`); audited, without the reason."""
    with transaction.atomic():
        decision = record_decision(
            page,
            user,
            round_number=round_number,
            clause_id=clause_id,
            outcome=outcome,
            reason=reason,
        )
        audit.record(
            user,
            AuditAction.DECIDE_CLAUSE,
            target=decision,
            call=page,
            round=round_number,
            clause=clause_id,
            outcome=decision.outcome,
        )
    return decision


def open_next_round(page, user, summary=""):
    """An editor starts the next round (:func:`start_new_round`); audited."""
    with transaction.atomic():
        started = start_new_round(page, user, summary)
        audit.record(user, AuditAction.START_ROUND, target=page, call=page, round=started.number)
    return started


def record_comments_export(page, user):
    """Log and audit that ``user`` exported the draft's comments (before the file is made)."""
    with transaction.atomic():
        log(instance=page, action=EXPORTED_ACTION, user=user, data={"format": "xlsx"})
        logger.info("%s page %s by user %s", EXPORTED_ACTION, page.pk, user.pk)
        audit.record(user, AuditAction.EXPORT, target=page, call=page, format="xlsx")


def _snapshot_ids(review_round):
    items = outline.raw_items(review_round.text)
    return outline.commentable(outline.build_outline(items))


def announce_decisions(page):
    """Tell each author whose comment was decided, once, after the transaction commits.

    Only decisions already public are announced; the rest wait for their round to
    close or the outcome to be published (both call this again).
    """
    # Read the rounds without creating one: publishing a new draft must not start round 1.
    public_rounds = [
        review_round.number
        for review_round in DraftRound.objects.filter(call_key=page.call_key)
        if decisions_are_public(page, review_round)
    ]
    if not public_rounds:
        return 0
    with transaction.atomic():
        due = list(
            ClauseDecision.objects.select_for_update().filter(
                call_key=page.call_key, round_number__in=public_rounds, notified_at__isnull=True
            )
        )
        if not due:
            return 0
        clause_filter = Q()
        for decision in due:
            clause_filter |= Q(round_number=decision.round_number, clause_id=decision.clause_id)
        comment_ids = list(
            ClauseComment.objects.filter(
                clause_filter,
                call_key=page.call_key,
                parent__isnull=True,
                moderation_state=ModerationState.PUBLISHED,
                author__isnull=False,
            ).values_list("pk", flat=True)
        )
        ClauseDecision.objects.filter(pk__in=[decision.pk for decision in due]).update(
            notified_at=timezone.now()
        )
        queue_decision_notices(comment_ids)
    return len(comment_ids)
