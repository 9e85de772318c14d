"""Choices shared by every call type: who may answer, how answers are attributed, results."""

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
