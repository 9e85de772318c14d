"""Choices shared by every call type: its kind and state, who may answer, how answers are
attributed, results, the incentives and notices a call page offers, and the roles and
ranks of the people taking part."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may take part in a call."""

    SIGNED_IN = "signed_in", _("Anyone signed in")
    VERIFIED_ACADEMICS = "verified", _("Verified academics only")
    ROLES = "roles", _("Chosen roles")


class AudienceRole(models.TextChoices):
    """Roles an editor can open a call to (with ``Audience.ROLES``)."""

    STUDENT = "student", _("Students")
    FACULTY = "faculty", _("Faculty members")
    STAFF = "staff", _("Staff")
    ORGANIZATION = "organization", _("Organizations")


class AnonymityMode(models.TextChoices):
    """How a response is attributed to the person who gave it."""

    NAMED = "named", _("Named")
    PSEUDONYMOUS = "pseudonymous", _("Pseudonymous (name never public)")
    ANONYMOUS_VERIFIED = "anonymous", _("Anonymous, verified (answers not linked to the account)")


class ResultsVisibility(models.TextChoices):
    """When the public sees aggregate results. Editors always see them."""

    WHEN_PUBLISHED = "published", _("When the editor publishes them")
    LIVE = "live", _("Live, while the call is open")
    NEVER = "never", _("Never (editors only)")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CallKind(models.TextChoices):
    """The three levels of participation a call can belong to."""

    SURVEY = "survey", _("Survey")
    DRAFT = "draft", _("Regulation draft")
    IDEA = "idea", _("Idea call")


class CallState(models.TextChoices):
    """Where a call is in its life, derived from its dates by the call page types."""

    OPEN = "open", _("Open")
    UPCOMING = "upcoming", _("Upcoming")
    CLOSED = "closed", _("Closed")
    OUTCOME_PUBLISHED = "outcome", _("Outcome published")


class IncentiveKind(models.TextChoices):
    """What a participant can receive for taking part, offered by a call's incentives block."""

    CERTIFICATE = "certificate", _("Certificate")
    GRANT = "grant", _("Research grant")
    PRIZE = "prize", _("Prize")
    WORKSHOP = "workshop", _("Workshop")
    COUNCIL_MEMBERSHIP = "council_membership", _("Council membership")
    PROMOTION_POINTS = "promotion_points", _("Promotion points")


class NoticeLevel(models.TextChoices):
    """How prominent a notice block is; each level has its own style."""

    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    SUCCESS = "success", _("Success")


class Role(models.TextChoices):
    """What a person is at their university; decides which calls they may answer."""

    STUDENT = "student", _("Student")
    FACULTY = "faculty", _("Faculty member")
    STAFF = "staff", _("Staff member")


class OrganizationKind(models.TextChoices):
    """The legal entities that take part as organizations."""

    STUDENT_ASSOCIATION = "student_association", _("Student association")
    CULTURAL_DEPUTY = "cultural_deputy", _("University cultural deputy")


class AcademicRank(models.TextChoices):
    """A faculty member's academic rank (مرتبهٔ علمی); only faculty have one."""

    INSTRUCTOR = "instructor", _("Instructor")
    ASSISTANT_PROFESSOR = "assistant_professor", _("Assistant professor")
    ASSOCIATE_PROFESSOR = "associate_professor", _("Associate professor")
    PROFESSOR = "professor", _("Professor")


class AcademicVerification(models.TextChoices):
    """How a person's academic status was confirmed."""

    EMAIL = "email", _("University email address")
    EDITOR = "editor", _("An editor")


class ModerationMode(models.TextChoices):
    """When moderators look at comments: before they appear, or after."""

    POST = "post", _("Post-moderation: comments appear at once")
    PRE = "pre", _("Pre-moderation: comments appear once approved")


class ModerationState(models.TextChoices):
    """Where a participant's contribution (a clause comment, a statement) is in moderation."""

    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden after reports")
    REMOVED = "removed", _("Removed by a moderator")


class SourceKind(models.TextChoices):
    """What a commitment can cite as having led to it (see ``participation.sources``)."""

    CLAUSE_DECISION = "clause_decision", _("Decision on a clause")
    CLAUSE_COMMENT = "clause_comment", _("Comment on a clause")
    IDEA = "idea", _("Idea or experience")
    SURVEY_QUESTION = "survey_question", _("Survey question")


# Sources that are rows of a feature's model (cited by primary key); the others are
# questions of a survey (cited by the question's block id).
SOURCE_KINDS_BY_ROW = (SourceKind.CLAUSE_DECISION, SourceKind.CLAUSE_COMMENT, SourceKind.IDEA)
SOURCE_KINDS_BY_QUESTION = (SourceKind.SURVEY_QUESTION,)
