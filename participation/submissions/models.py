"""Responses to calls, stored normalized: one submission, one row per answer.

A call is identified by its page's ``translation_key`` (``call_key``), so answers
to the Persian and English versions count together.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participation.choices import SubmissionStatus


class Submission(models.Model):
    """One person's (or one anonymous participant's) response to one call."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The language version of the call that was answered."),
    )
    call_key = models.UUIDField(_("call"), db_index=True)
    # Empty in anonymous-verified calls: the answers carry no link to the account.
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    # In anonymous-verified calls, the participant edits with a secret only they hold.
    edit_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    # Snapshots for cross-tabs, taken at submission so later profile edits don't rewrite history.
    respondent_role = models.CharField(_("role"), max_length=16, blank=True)
    respondent_university = models.CharField(_("university"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    duration_seconds = models.PositiveIntegerField(_("time taken (seconds)"), null=True, blank=True)
    is_speeder = models.BooleanField(_("speeder"), default=False)
    is_straightliner = models.BooleanField(_("straight-liner"), default=False)
    excluded_from_results = models.BooleanField(_("excluded from results"), default=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]
        constraints = [
            # One submission per person per call, whichever language they answered in.
            models.UniqueConstraint(
                fields=["call_key", "participant"],
                condition=Q(participant__isnull=False),
                name="one_submission_per_participant_per_call",
            ),
        ]
        indexes = [models.Index(fields=["call_key", "status"], name="submission_call_status")]

    def __str__(self):
        return str(self.uuid)

    @property
    def counts_in_results(self):
        return self.status == SubmissionStatus.SUBMITTED and not self.excluded_from_results


class ParticipationReceipt(models.Model):
    """Proof that an account took part in an anonymous-verified call, without saying how.

    It enforces one response per account while the submission itself stays unlinked.
    """

    call_key = models.UUIDField()
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_receipts"
    )
    created_at = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call_key", "participant"], name="one_receipt_per_participant_per_call"
            ),
        ]

    def __str__(self):
        return f"{self.participant_id} @ {self.call_key}"


class AnswerValue(models.Model):
    """One answer value, in the column of its type, keyed by the question's block id.

    Multiple choice and ranking give one row per choice (ranking puts the rank in
    ``number``); a matrix gives one row per statement (``row_id``, point in ``number``).
    Survey answers and the answers to an idea call's own questions both use it.
    """

    question_id = models.CharField(max_length=36)
    row_id = models.CharField(max_length=36, blank=True, default="")
    choice_id = models.CharField(max_length=36, blank=True, default="")
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    date = models.DateField(null=True, blank=True)

    VALUE_FIELDS = ("question_id", "row_id", "choice_id", "number", "text", "date")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.question_id}: {self.choice_id or self.number or self.text or self.date}"

    def values(self):
        """The answer's value columns, to copy it into another answer table."""
        return {name: getattr(self, name) for name in self.VALUE_FIELDS}


class Answer(AnswerValue):
    """One answer of a survey submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question_id", "choice_id"], name="answer_question_choice")]


class AnswerTally(models.Model):
    """Running counts of answers per call, segment, question, row, choice and value.

    Kept in step with answers inside the submission's transaction (see
    ``participation.results.tally``), so results cost the same at 1,000 or
    1,000,000 responses. ``segment`` is "" for everyone or e.g. "role:student".
    Empty strings, not NULLs, so the unique constraint matches on every database.
    """

    call_key = models.UUIDField()
    segment = models.CharField(max_length=220, default="")
    question_id = models.CharField(max_length=36, default="")
    row_id = models.CharField(max_length=36, default="")
    choice_id = models.CharField(max_length=36, default="")
    value = models.CharField(max_length=40, default="")
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call_key", "segment", "question_id", "row_id", "choice_id", "value"],
                name="answer_tally_key",
            ),
        ]

    def __str__(self):
        return (
            f"{self.segment or '*'} {self.question_id}/{self.row_id}/{self.choice_id}={self.value}"
        )
