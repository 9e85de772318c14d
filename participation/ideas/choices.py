"""Choices of idea calls: what is submitted, where it stands, how the jury works."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaKind(models.TextChoices):
    """The two kinds of submission an idea call can accept."""

    IDEA = "idea", _("New idea")
    EXPERIENCE = "experience", _("Completed experience")


class IdeaStatus(models.TextChoices):
    """Where a submission is in its workflow (see ``workflow.TRANSITIONS``)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting screening")
    INELIGIBLE = "ineligible", _("Not eligible")
    IN_REVIEW = "in_review", _("In jury review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    WINNER = "winner", _("Winner")
    HONOURABLE_MENTION = "mention", _("Honourable mention")
    NOT_SELECTED = "not_selected", _("Not selected")


# Outcomes the public may see in the gallery (with the authors' consent).
ACCEPTED_STATUSES = (
    IdeaStatus.SHORTLISTED,
    IdeaStatus.WINNER,
    IdeaStatus.HONOURABLE_MENTION,
)
AWARDED_STATUSES = (IdeaStatus.WINNER, IdeaStatus.HONOURABLE_MENTION)


class CoAuthorStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AssignmentStatus(models.TextChoices):
    """A juror's review of one submission."""

    ASSIGNED = "assigned", _("To review")
    SCORED = "scored", _("Scored")
    RECUSED = "recused", _("Recused")
