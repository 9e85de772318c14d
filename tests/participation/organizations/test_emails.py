"""The representative hears that their organization was verified; the invite field is cleared."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from participation.organizations import services

pytestmark = pytest.mark.django_db


def test_the_representative_is_emailed_when_the_organization_is_verified(
    organization, editor, representative, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.verify(organization, editor)
    assert [message.to for message in mail.outbox] == [[representative.email]]  # Not members.
    message = mail.outbox[0]
    assert organization.name in message.subject and organization.name in message.body
    with translation.override("fa"):
        assert translation.gettext("Your organization's page:") in message.body
    assert f"http://testserver{reverse('organizations:detail', args=[organization.pk])}" in (
        message.body
    )


def test_a_verification_withdrawn_before_the_email_goes_emails_nobody(
    organization, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.verify(organization, editor)
    organization.verified_at = None
    organization.save(update_fields=["verified_at"])  # Withdrawn before the task ran.
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_after_an_invitation_the_form_comes_back_empty_on_a_fresh_page(
    client, organization, representative, django_capture_on_commit_callbacks
):
    client.force_login(representative)
    detail = reverse("organizations:detail", args=[organization.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:invite", args=[organization.pk]), {"email": "new@ut.ac.ir"}
        )
    assert response.status_code == 302
    location = response["Location"]
    # Not the address of the page the form was on: nothing for a browser to refill.
    assert location.split("#")[0] != detail and location.startswith(detail + "?")
    page = client.get(location).content.decode()
    field = re.search(r'<input[^>]*id="id_invite_email"[^>]*>', page).group(0)
    assert 'value=""' in field and "new@ut.ac.ir" not in field
    assert "new@ut.ac.ir" in page  # Listed among the pending invitations instead.
