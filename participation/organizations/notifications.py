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

from participation.mail import reader_language, send_or_retry
from participation.people.models import Organization

from .choices import InvitationStatus
from .models import OrganizationInvitation


def queue_invitation(invitation_id):
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id, language))


def invitation_url(invitation):
    """The absolute accept/decline link of ``invitation``."""
    from .services import invitation_token  # services imports this module to send

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


def queue_verified(organization_id):
    """After commit, email the representatives of ``organization_id`` that it was verified."""
    transaction.on_commit(lambda: send_verified.enqueue(organization_id))


def verified_email(organization, person):
    """(subject, body) telling representative ``person`` that ``organization`` is verified."""
    with translation.override(reader_language(person)):
        path = reverse("organizations:detail", args=[organization.pk])
        context = {
            "organization": organization,
            "person": person,
            "organization_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
            "site_name": str(settings.WAGTAIL_SITE_NAME),
        }
        subject = render_to_string(
            "participation/organizations/email/verified_subject.txt", context
        )
        body = render_to_string("participation/organizations/email/verified_body.txt", context)
    return " ".join(subject.split()), body


@task()
def send_verified(organization_id, attempt=1):
    """Email each active representative that their organization was verified."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or organization.verified_at is None:
        return False  # Withdrawn before the email went out: nothing to announce.
    representatives = organization.memberships.filter(
        is_representative=True, person__is_active=True
    ).select_related("person")
    messages = [
        (*verified_email(organization, membership.person), membership.person.email)
        for membership in representatives
        if membership.person.email
    ]
    return send_or_retry(messages, task=send_verified, args=(organization_id,), attempt=attempt)
