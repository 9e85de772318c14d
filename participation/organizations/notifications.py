"""Emails about organizations (invitations to join), through the task framework.

Queued only after the surrounding transaction commits: a rolled-back invitation sends
nothing, and a mail server that is down never undoes one.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from participation.mail import send_or_retry

from .choices import InvitationStatus
from .models import OrganizationInvitation


def queue_invitation(invitation_id):
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id, language))


def invitation_url(invitation):
    """The absolute accept/decline link of ``invitation``."""
    from .services import invitation_token

    path = reverse("organizations:invitation", args=[invitation_token(invitation)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_invitation(invitation_id, language=None, attempt=1):
    """Email an invitation to join an organization, with its accept/decline link."""
    invitation = (
        OrganizationInvitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        return False
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "organization": invitation.organization,
            "inviter": invitation.invited_by,
            "invitation_url": invitation_url(invitation),
            "site_name": str(settings.WAGTAIL_SITE_NAME),
        }
        subject = render_to_string(
            "participation/organizations/email/invitation_subject.txt", context
        )
        body = render_to_string("participation/organizations/email/invitation_body.txt", context)
    return send_or_retry(
        [(" ".join(subject.split()), body, invitation.email)],
        task=send_invitation,
        args=(invitation_id, language),
        attempt=attempt,
    )
