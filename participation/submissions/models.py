"""Responses to calls, stored normalized: one submission, one row per answer.

A call is identified by its page's ``translation_key`` (``call_key``), so answers
to the Persian and English versions count together.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.choices import SubmissionStatus

# Random ids for the rows of anonymous-verified participation (receipts, submissions and
# their answers) are drawn below zero: the sequences of named rows never move, so no id
# tells when an anonymous row was written or which row came next (docs/privacy.md).
RANDOM_ID_BITS = 62


def random_id():
    """A random negative primary key for a row that must carry no order."""
    return -(secrets.randbits(RANDOM_ID_BITS) + 1)


def coarse_time(value):
    """``value`` reduced to local midnight of its day: the only time kept for anonymous rows."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    midnight = datetime.datetime.combine(local.date(), datetime.time())
    return timezone.make_aware(midnight) if timezone.is_aware(value) else midnight


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
    # Set by ``save``: exact for named and pseudonymous responses, the day only when anonymous.
    submitted_at = models.DateTimeField(
        _("submitted at"), default=timezone.now, db_index=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    duration_seconds = models.PositiveIntegerField(_("time taken (seconds)"), null=True, blank=True)
    is_speeder = models.BooleanField(_("speeder"), default=False)
    is_straightliner = models.BooleanField(_("straight-liner"), default=False)
    excluded_from_results = models.BooleanField(_("excluded from results"), default=False)
    # An anonymous response written or changed since the last mixing step (still in arrival
    # order on disk); see ``participation.submissions.mixing``.
    awaiting_mix = models.BooleanField(default=False, editable=False)

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
        indexes = [
            models.Index(fields=["call_key", "status"], name="submission_call_status"),
            models.Index(
                fields=["call_key"],
                condition=Q(awaiting_mix=True),
                name="submission_awaiting_mix",
            ),
        ]

    def __str__(self):
        return str(self.uuid)

    def save(self, *args, **kwargs):
        now = timezone.now()
        self.updated_at = now
        if self.is_anonymous:
            # The day only: no time of day to match with logins, sessions or awards.
            self.submitted_at = coarse_time(self.submitted_at or now)
            # Never a later day: a response stored again at closing (an edit) would stand
            # out among the others by it (docs/privacy.md).
            self.updated_at = self.submitted_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]
        super().save(*args, **kwargs)

    @property
    def is_anonymous(self):
        """Whether this is an anonymous-verified response (no account, an edit secret)."""
        return self.participant_id is None and bool(self.edit_token_hash)

    @property
    def counts_in_results(self):
        return self.status == SubmissionStatus.SUBMITTED and not self.excluded_from_results


class ParticipationReceipt(models.Model):
    """Proof that an account took part in an anonymous-verified call, without saying how.

    It enforces one response per account while the submission itself stays unlinked. Its id
    is random and its date is a day; see ``participation.submissions.services``.
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


class SealedBallot(models.Model):
    """An anonymous-verified response (or an edit of one), encrypted until its batch opens.

    No time, no account, a random id; ``lookup`` is a keyed hash of the participant's edit
    secret, so they can change it while it waits. See ``participation.submissions.ballot_box``.
    """

    call_key = models.UUIDField(db_index=True)
    lookup = models.CharField(max_length=64)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call_key", "lookup"], name="one_sealed_ballot_per_secret"
            ),
        ]

    def __str__(self):
        return f"sealed ballot @ {self.call_key}"


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
        constraints = [
            # One row per chosen option (and per matrix row): a choice repeated in a POST
            # must not count twice, whatever path the answers came through.
            models.UniqueConstraint(
                fields=["submission", "question_id", "row_id", "choice_id"],
                name="one_answer_per_choice",
            ),
        ]


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
