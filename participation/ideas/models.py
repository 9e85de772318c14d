"""Idea and experience submissions to idea calls, their authors, files, log and jury reviews.

Submissions are model instances owned by a call (not pages). Like every other
contribution they point at the call by its ``call_key`` (the page's translation
key), so the Persian and English versions of a call share one set of submissions.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.submissions.models import AnswerValue

from .choices import AssignmentStatus, CoAuthorStatus, IdeaKind, IdeaStatus


def private_storage():
    """Attachments live in the "private" storage: never at a public media URL."""
    return storages["private"]


def attachment_path(attachment, filename):
    # A random name on disk: the author's file name is kept only as data.
    return f"ideas/{attachment.idea.call_key}/{attachment.idea.uuid}/{uuid.uuid4().hex}"


class Idea(models.Model):
    """One submission (a new idea or a completed experience) to an idea call."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_key = models.UUIDField(_("call"), db_index=True)
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=16, choices=IdeaKind.choices)
    # The block id of one of the call's themes.
    category = models.CharField(_("category"), max_length=36, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("full text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="ideas_created",
    )
    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT
    )
    # The reason given with the latest transition (e.g. why it is not eligible).
    status_reason = models.TextField(_("reason"), blank=True)
    show_in_gallery = models.BooleanField(
        _("show in the public gallery if accepted"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("idea submission")
        verbose_name_plural = _("idea submissions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call_key", "status"], name="idea_call_status")]

    def __str__(self):
        return self.title


class IdeaAuthor(models.Model):
    """An author of a submission: the one who started it, or a co-author they invited."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_authorships",
    )
    email = models.EmailField(_("email address"))
    is_lead = models.BooleanField(_("lead author"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=CoAuthorStatus.choices, default=CoAuthorStatus.INVITED
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["-is_lead", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "email"], name="one_authorship_per_email"),
        ]

    def __str__(self):
        return self.email


class IdeaAnswer(AnswerValue):
    """An answer to one of the call's own questions (the survey engine's blocks)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # As for survey answers: a repeated choice in one POST must not count twice.
            models.UniqueConstraint(
                fields=["idea", "question_id", "row_id", "choice_id"],
                name="one_idea_answer_per_choice",
            ),
        ]


class IdeaAttachment(models.Model):
    """A file attached to a submission, kept in private storage.

    ``content_type`` is what the file's bytes are (see ``attachments``), not what
    its name or the browser claimed.
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class IdeaEvent(models.Model):
    """One step of a submission's workflow: who moved it, when, from where to where, why."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=16, choices=IdeaStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=IdeaStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"


class JuryMember(models.Model):
    """A person on a call's jury."""

    call_key = models.UUIDField(_("call"), db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juror"),
        on_delete=models.CASCADE,
        related_name="jury_seats",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint(fields=["call_key", "person"], name="one_seat_per_juror"),
        ]

    def __str__(self):
        return f"{self.person_id} @ {self.call_key}"


class ReviewAssignment(models.Model):
    """One juror's review of one submission: assigned, scored, or recused."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juror"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    comment = models.TextField(_("comment"), blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "reviewer"], name="one_review_per_juror"),
        ]

    def __str__(self):
        return f"{self.reviewer_id} → {self.idea_id}"


class CriterionScore(models.Model):
    """A juror's score on one criterion (a block id of the call's criteria)."""

    review = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion_id = models.CharField(max_length=36)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion_id"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}={self.score}"
