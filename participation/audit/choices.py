from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What an editor did with participants' submissions (or with a person's standing)."""

    VIEW_SUBMISSION = "view_submission", _("Viewed a submission")
    EXPORT = "export", _("Exported submissions")
    EXCLUDE_RESPONSE = "exclude_response", _("Excluded a response from results")
    INCLUDE_RESPONSE = "include_response", _("Counted a response in results again")
    MOVE_IDEA = "move_idea", _("Moved a submission to another status")
    ADD_JUROR = "add_juror", _("Added a juror")
    REMOVE_JUROR = "remove_juror", _("Removed a juror")
    ASSIGN_REVIEWERS = "assign_reviewers", _("Assigned reviewers")
    MODERATE_COMMENT = "moderate_comment", _("Moderated a comment")
    DECIDE_CLAUSE = "decide_clause", _("Decided on a clause")
    START_ROUND = "start_round", _("Started a new round of a draft")
    PUBLISH_RESULTS = "publish_results", _("Published results")
    UNPUBLISH_RESULTS = "unpublish_results", _("Withdrew published results")
    VERIFY_PERSON = "verify_person", _("Verified an academic")
    REVOKE_PERSON = "revoke_person", _("Withdrew an academic verification")
    VIEW_ORGANIZATION = "view_organization", _("Viewed an organization's registration")
    VERIFY_ORGANIZATION = "verify_organization", _("Verified an organization")
    WITHDRAW_ORGANIZATION = "withdraw_organization", _("Withdrew an organization's verification")
    AWARD = "award", _("Recorded an award")
    REVOKE_CERTIFICATE = "revoke_certificate", _("Revoked a certificate")
    CREATE_COMMITMENT = "create_commitment", _("Made a commitment")
    CHANGE_COMMITMENT = "change_commitment", _("Changed a commitment")
    UPDATE_COMMITMENT = "update_commitment", _("Published news of a commitment")
    CITE_SOURCES = "cite_sources", _("Changed what a commitment cites")
