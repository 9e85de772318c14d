"""Statements of an opinion map and the votes on them (issue 19, the statements block).

Like survey submissions and clause comments, a statement points at its call by
``call_key`` (the call page's translation key), so the Persian and English versions of a
call share one conversation. A vote is the participant's account: the block is refused on
anonymous-verified calls (see ``services.statements_refusal``), whose sealed ballots must
never be linked to an account (docs/privacy.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.choices import ModerationState

from .choices import VoteValue

MAX_STATEMENT_LENGTH = 140


class Statement(models.Model):
    """A short statement participants agree with, disagree with or pass on."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call_key = models.UUIDField(_("call"))
    text = models.CharField(_("statement"), max_length=MAX_STATEMENT_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    seeded_by_editor = models.BooleanField(_("seeded by an editor"), default=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
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
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moderation_state__in=ModerationState.values),
                name="statement_moderation_state_known",
            ),
        ]
        indexes = [
            models.Index(fields=["call_key", "moderation_state"], name="statement_listing"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_public(self):
        return self.moderation_state == ModerationState.PUBLISHED


class StatementVote(models.Model):
    """One participant's vote on one statement; voting again changes it."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="votes"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="statement_votes",
    )
    value = models.SmallIntegerField(_("vote"), choices=VoteValue.choices)
    created_at = models.DateTimeField(_("first voted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("voted at"), auto_now=True)

    class Meta:
        verbose_name = _("vote on a statement")
        verbose_name_plural = _("votes on statements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="one_vote_per_person_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(value__in=VoteValue.values), name="statement_vote_value_known"
            ),
        ]

    def __str__(self):
        return f"{self.statement_id} · {self.get_value_display()}"


class OpinionMapSnapshot(models.Model):
    """One computation of a call's opinion map, with group-level results only.

    ``data`` is what :func:`participation.opinions.maps.public_map` kept of the engine's
    :class:`~participation.opinions.engine.OpinionMap`: groups of at least the call's
    suppression threshold, their sizes, centres and spreads, per-group vote shares on items
    enough of the group voted on, representative and consensus statements. Never a
    participant's position, group or id (docs/privacy.md, opinion maps). At most one
    snapshot of a call is published, by an editor.
    """

    call_key = models.UUIDField(_("call"), db_index=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    data = models.JSONField(_("group-level results"), default=dict)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")
        ordering = ["-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_key"],
                condition=Q(published=True),
                name="one_published_opinion_map_per_call",
            ),
        ]

    def __str__(self):
        return f"{self.call_key} · {self.computed_at:%Y-%m-%d %H:%M}"
