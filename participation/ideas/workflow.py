"""A submission's workflow: which steps are allowed, and taking one (logged, notified).

    draft → submitted → in review (eligible) or not eligible → shortlisted
    → winner, honourable mention or not selected

Every step is an :class:`IdeaEvent` saying who took it, when and why; the authors
are told by email after the transaction commits. An editor's step (:func:`take_step`,
whoever calls it: the admin, a command, the API) is also written to the call page's
history, the ``hadaf.ideas`` logger and the audit log, in the step's transaction.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from participation import audit
from participation.audit.choices import AuditAction

from .choices import IdeaStatus
from .models import Idea, IdeaEvent
from .notifications import queue_status_notice

logger = logging.getLogger("hadaf.ideas")

S = IdeaStatus
TRANSITION_ACTION = "hadaf.ideas.transition"

# Where each status may go next. Editors may step back one stage (e.g. undo a
# shortlisting) before the winners are announced; authors only move draft → submitted.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.IN_REVIEW, S.INELIGIBLE},
    S.INELIGIBLE: {S.IN_REVIEW},
    S.IN_REVIEW: {S.SHORTLISTED, S.NOT_SELECTED, S.INELIGIBLE},
    S.SHORTLISTED: {S.WINNER, S.HONOURABLE_MENTION, S.NOT_SELECTED, S.IN_REVIEW},
    S.NOT_SELECTED: {S.SHORTLISTED, S.IN_REVIEW},
    S.WINNER: {S.SHORTLISTED},
    S.HONOURABLE_MENTION: {S.SHORTLISTED},
}

# Steps that need a reason the authors will read.
REASON_REQUIRED = {S.INELIGIBLE}


class TransitionRefused(Exception):
    """The step is not allowed from where the submission is; ``message`` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def allowed_next(status):
    return TRANSITIONS.get(status, set())


def move(idea, to_status, *, actor, reason="", notify=True):
    """Move ``idea`` to ``to_status``, logging the step; returns the updated idea.

    The row is locked first, so two editors acting at once take turns and the
    second is refused if the first already moved it elsewhere.

    Raises:
        TransitionRefused: the step is not allowed, or a required reason is missing.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        current = Idea.objects.select_for_update().get(pk=idea.pk)
        if to_status not in allowed_next(current.status):
            raise TransitionRefused(
                _("A submission that is “%(current)s” cannot become “%(target)s”.")
                % {"current": current.get_status_display(), "target": S(to_status).label}
            )
        if to_status in REASON_REQUIRED and not reason:
            raise TransitionRefused(_("Give the authors a reason."))
        from_status = current.status
        current.status = to_status
        current.status_reason = reason
        fields = ["status", "status_reason", "updated_at"]
        if to_status == S.SUBMITTED:
            current.submitted_at = timezone.now()
            fields.append("submitted_at")
        current.save(update_fields=fields)
        IdeaEvent.objects.create(
            idea=current, from_status=from_status, to_status=to_status, reason=reason, actor=actor
        )
        if notify:
            queue_status_notice(current.pk)
    return current


def take_step(page, idea, to_status, *, actor, reason=""):
    """An editor moves ``idea`` of the call ``page`` (:func:`move`): logged and audited.

    Raises:
        TransitionRefused: nothing changed.
    """
    with transaction.atomic():
        moved = move(idea, to_status, actor=actor, reason=reason)
        event = moved.events.order_by("-at", "-pk").first()
        from_status = event.from_status if event else ""
        log(
            instance=page,
            action=TRANSITION_ACTION,
            user=actor,
            data={
                "idea": str(moved.uuid),
                "title": moved.title,
                "from": from_status,
                "to": moved.status,
                "reason": reason,
            },
        )
        logger.info(
            "%s idea %s %s→%s by user %s",
            TRANSITION_ACTION,
            moved.uuid,
            from_status,
            moved.status,
            actor.pk,
        )
        audit.record(
            actor,
            AuditAction.MOVE_IDEA,
            target=moved,
            call=page,
            status_from=from_status,
            status_to=moved.status,
        )
    return moved


def take_steps(page, ideas, to_status, *, actor, reason=""):
    """An editor moves every one of ``ideas`` (:func:`take_step`), or none.

    Raises:
        TransitionRefused: nothing changed; with several ideas, the message names the one
        refused.
    """
    with transaction.atomic():
        for idea in ideas:
            try:
                take_step(page, idea, to_status, actor=actor, reason=reason)
            except TransitionRefused as refusal:
                if len(ideas) == 1:
                    raise
                raise TransitionRefused(
                    _("“%(title)s”: %(message)s")
                    % {"title": idea.title, "message": refusal.message}
                ) from None
