"""Choices of the dashboard: notification kinds, contribution kinds, incentive triggers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.choices import CallKind


class NotificationKind(models.TextChoices):
    IDEA_STATUS = "idea_status", _("Submission status")
    DECISION = "decision", _("Decision on a comment")
    AWARD = "award", _("Award received")
    IMPACT = "impact", _("What became of a contribution")
    GENERAL = "general", _("Notice")


class ContributionKind(models.TextChoices):
    """The kinds of contribution the dashboard lists (and filters by)."""

    SURVEY = "survey", _("Survey responses")
    COMMENT = "comment", _("Clause comments")
    IDEA = "idea", _("Idea submissions")


class Trigger(models.TextChoices):
    """What earns an incentive rule's award."""

    SURVEY_RESPONSE = "survey_response", _("Responded to the survey")
    COMMENT_POSTED = "comment_posted", _("Commented on the draft (once per call)")
    COMMENT_ACCEPTED = "comment_accepted", _("Proposal accepted")
    COMMENT_PARTLY_ACCEPTED = "comment_partly", _("Proposal partly accepted")
    IDEA_SUBMITTED = "idea_submitted", _("Submitted an idea")
    IDEA_SHORTLISTED = "idea_shortlisted", _("Idea shortlisted")
    IDEA_WINNER = "idea_winner", _("Winning idea")
    IDEA_MENTION = "idea_mention", _("Honourable mention")


# Which call kind each trigger belongs to: a rule's trigger must fit its call.
TRIGGER_CALL_KIND = {
    Trigger.SURVEY_RESPONSE: CallKind.SURVEY,
    Trigger.COMMENT_POSTED: CallKind.DRAFT,
    Trigger.COMMENT_ACCEPTED: CallKind.DRAFT,
    Trigger.COMMENT_PARTLY_ACCEPTED: CallKind.DRAFT,
    Trigger.IDEA_SUBMITTED: CallKind.IDEA,
    Trigger.IDEA_SHORTLISTED: CallKind.IDEA,
    Trigger.IDEA_WINNER: CallKind.IDEA,
    Trigger.IDEA_MENTION: CallKind.IDEA,
}
