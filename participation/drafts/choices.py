"""Choices of clause comments, their moderation and the decisions on clauses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Moderation is shared with the statements of an opinion map (participation.opinions): its
# mode and states live in the call kernel; drafts code keeps importing them from here.
from participation.choices import ModerationMode, ModerationState

__all__ = [
    "CommentKind",
    "DecisionOutcome",
    "ModerationMode",
    "ModerationState",
    "ReportReason",
    "Stance",
    "Vote",
]


class Stance(models.TextChoices):
    """Where a participant stands on a clause."""

    AGREE = "agree", _("Agree")
    OPPOSE = "oppose", _("Oppose")
    AMEND = "amend", _("Amend")
    DELETE = "delete", _("Delete")


class CommentKind(models.TextChoices):
    """What a comment is: on a clause, a new clause proposed after it, or a reply."""

    CLAUSE = "clause", _("Comment on the clause")
    NEW_CLAUSE = "new_clause", _("New clause proposed after it")
    REPLY = "reply", _("Reply")


class Vote(models.IntegerChoices):
    SUPPORT = 1, _("Support")
    OPPOSE = -1, _("Oppose")


class ReportReason(models.TextChoices):
    OFFENSIVE = "offensive", _("Offensive or insulting")
    PERSONAL = "personal", _("Reveals personal information")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Unrelated to the draft")


class DecisionOutcome(models.TextChoices):
    """What the drafting committee did with a clause and the comments on it."""

    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
