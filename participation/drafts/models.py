"""Clause comments, votes, reports, rounds and decisions of regulation drafts.

Like survey submissions, everything points at the call by its ``call_key`` (the
page's translation key), so the Persian and English versions share one discussion,
and at a clause by its stable block id (see ``outline``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CommentKind, DecisionOutcome, ModerationState, ReportReason, Stance, Vote

CLAUSE_ID_LENGTH = 36


class DraftRound(models.Model):
    """One round of review. A round's text is frozen when the next round starts.

    Comments and decisions carry the round they belong to, so a comment stays on
    the text it was written about even after the draft is rewritten.
    """

    call_key = models.UUIDField(_("call"), db_index=True)
    number = models.PositiveSmallIntegerField(_("round"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    summary = models.TextField(_("what changed"), blank=True)
    # The text under review in this round (outline.snapshot), kept once it closes.
    text = models.JSONField(_("text"), default=list, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["call_key", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call_key", "number"], name="one_round_number_per_call")
        ]

    def __str__(self):
        return f"{self.call_key} #{self.number}"

    @property
    def is_closed(self):
        return self.closed_at is not None


class ClauseComment(models.Model):
    """A stance and comment on a clause, a new clause proposed after it, or a reply."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    call_key = models.UUIDField(_("call"))
    round_number = models.PositiveSmallIntegerField(_("round"))
    clause_id = models.CharField(_("clause id"), max_length=CLAUSE_ID_LENGTH)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CommentKind.choices, default=CommentKind.CLAUSE
    )
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices, blank=True)
    body = models.TextField(_("comment"), blank=True)
    proposed_text = models.TextField(_("proposed wording"), blank=True)
    # The clause's text when the comment was written: proposals are diffed against it.
    clause_text = models.TextField(_("clause text"), blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="clause_comments",
    )
    author_role = models.CharField(_("role"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=8)
    moderation_state = models.CharField(
        _("moderation"),
        max_length=16,
        choices=ModerationState.choices,
        default=ModerationState.PUBLISHED,
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept in step by the services with single UPDATE statements (no lost updates).
    support_count = models.PositiveIntegerField(_("support"), default=0)
    oppose_count = models.PositiveIntegerField(_("oppose"), default=0)
    report_count = models.PositiveIntegerField(_("open reports"), default=0)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("clause comment")
        verbose_name_plural = _("clause comments")
        ordering = ["created_at", "pk"]
        constraints = [
            # One stance per person per clause per round (and one new-clause proposal).
            models.UniqueConstraint(
                fields=["call_key", "round_number", "clause_id", "kind", "author"],
                condition=Q(parent__isnull=True, author__isnull=False),
                name="one_stance_per_person_per_clause",
            ),
        ]
        indexes = [
            models.Index(
                fields=["call_key", "round_number", "moderation_state", "clause_id"],
                name="clause_comment_listing",
            ),
            models.Index(fields=["moderation_state", "created_at"], name="clause_comment_queue"),
        ]

    def __str__(self):
        return f"{self.clause_id} · {self.get_kind_display()}"

    @property
    def is_public(self):
        return self.moderation_state == ModerationState.PUBLISHED


class CommentVote(models.Model):
    """Support or opposition to someone else's comment, once per person."""

    comment = models.ForeignKey(ClauseComment, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes"
    )
    value = models.SmallIntegerField(choices=Vote.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="one_vote_per_person")
        ]

    def __str__(self):
        return f"{self.voter_id} {self.value:+d} {self.comment_id}"


class CommentReport(models.Model):
    """A participant's report of a comment to the moderators, once per person."""

    comment = models.ForeignKey(ClauseComment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    # Set when a moderator decided on the comment; resolved reports no longer count.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")
        ]

    def __str__(self):
        return f"{self.reporter_id} → {self.comment_id}"


class ClauseDecision(models.Model):
    """The drafting committee's decision on a clause in a round, with its reason.

    New clauses proposed after a clause are answered by that clause's decision.
    """

    call_key = models.UUIDField(_("call"))
    round_number = models.PositiveSmallIntegerField(_("round"))
    clause_id = models.CharField(_("clause id"), max_length=CLAUSE_ID_LENGTH)
    outcome = models.CharField(_("decision"), max_length=16, choices=DecisionOutcome.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)
    # When the authors of comments on the clause were told (once, after publication).
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["call_key", "round_number", "clause_id"], name="one_decision_per_clause"
            )
        ]

    def __str__(self):
        return f"{self.clause_id}: {self.outcome}"
