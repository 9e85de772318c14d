"""The public pages: registering, my organizations, members, invitations, refusals."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from participation.choices import OrganizationKind
from participation.ideas.forms import IdeaForm
from participation.organizations import services
from participation.organizations.models import OrganizationInvitation
from participation.people.models import Organization, OrganizationMembership
from tests.pages.factories import CallIndexPageFactory
from tests.participation.ideas.factories import add_idea_call
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea_call(home_page):
    return add_idea_call(CallIndexPageFactory(parent=home_page, slug="calls"))


def _membership(organization, person):
    return OrganizationMembership.objects.get(organization=organization, person=person)


def test_signing_in_is_needed(client):
    response = client.get(reverse("organizations:register"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_register_through_the_form(client, representative, university):
    client.force_login(representative)
    assert client.get(reverse("organizations:register")).status_code == 200
    response = client.post(
        reverse("organizations:register"),
        {
            "name": "معاونت فرهنگي\u202e دانشگاه",
            "kind": OrganizationKind.CULTURAL_DEPUTY,
            "university": university.pk,
            "description": "معاونت فرهنگی و اجتماعی",
            "contact_phone": "۰۲۱-۶۱۱۱۲۳۴۵",
        },
    )
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:detail", args=[organization.pk])
    assert organization.name == "معاونت فرهنگی دانشگاه" and organization.verified_at is None
    assert organization.profile.contact_phone == "021-61112345"
    assert _membership(organization, representative).is_representative

    page = client.get(reverse("organizations:mine"))
    assert page.status_code == 200
    assert organization.name in page.content.decode()


def test_duplicate_registration_shows_an_error_and_changes_nothing(
    client, organization, university
):
    client.force_login(UserFactory())
    response = client.post(
        reverse("organizations:register"),
        {
            "name": "انجمن علمي فيزيك",
            "kind": OrganizationKind.STUDENT_ASSOCIATION,
            "university": university.pk,
            "description": "تکراری",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert Organization.objects.count() == 1


def test_invite_and_accept_through_the_pages(
    client, organization, representative, django_capture_on_commit_callbacks
):
    client.force_login(representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:invite", args=[organization.pk]), {"email": "new@ut.ac.ir"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/organizations/" in line)
    path = link.removeprefix("http://testserver")

    wrong = UserFactory(email="wrong@ut.ac.ir")
    client.force_login(wrong)
    assert client.get(path).context["wrong_account"]
    client.post(path, {"answer": "accept"})
    assert not OrganizationMembership.objects.filter(person=wrong).exists()

    invited = UserFactory(email="new@ut.ac.ir")
    client.force_login(invited)
    response = client.post(path, {"answer": "accept"})
    assert response.status_code == 302
    assert not _membership(organization, invited).is_representative
    assert client.get(reverse("organizations:detail", args=[organization.pk])).status_code == 200


def test_forged_invitation_link_is_refused(client, organization, representative):
    invitation = services.invite(organization, representative, "new@ut.ac.ir")
    token = services.invitation_token(invitation)
    client.force_login(UserFactory(email="new@ut.ac.ir"))
    forged = token.rsplit(":", 1)[0] + ":forged"
    response = client.post(reverse("organizations:invitation", args=[forged]), {"answer": "accept"})
    assert response.status_code == 400
    assert organization.memberships.count() == 1


def test_representative_manages_members(client, organization, representative, member):
    client.force_login(representative)
    other = _membership(organization, member)
    client.post(
        reverse("organizations:set_representative", args=[organization.pk, other.pk]),
        {"representative": "1"},
    )
    other.refresh_from_db()
    assert other.is_representative
    client.post(reverse("organizations:remove_member", args=[organization.pk, other.pk]))
    assert not OrganizationMembership.objects.filter(pk=other.pk).exists()


def test_last_representative_cannot_leave_through_the_page(client, organization, representative):
    client.force_login(representative)
    own = _membership(organization, representative)
    response = client.post(
        reverse("organizations:remove_member", args=[organization.pk, own.pk]), follow=True
    )
    assert response.status_code == 200
    assert OrganizationMembership.objects.filter(pk=own.pk, is_representative=True).exists()
    assert list(response.context["messages"])


@pytest.mark.parametrize("outsider_kind", ["member", "other_representative", "stranger"])
def test_outsiders_changing_ids_get_404_and_are_logged(
    client, organization, representative, member, university, caplog, outsider_kind
):
    if outsider_kind == "member":
        outsider = member
    elif outsider_kind == "other_representative":
        outsider = UserFactory()
        services.register(
            outsider,
            name="انجمن دیگر",
            kind=OrganizationKind.STUDENT_ASSOCIATION,
            university=university,
        )
    else:
        outsider = UserFactory()
    own = _membership(organization, representative)
    invitation = services.invite(organization, representative, "pending@ut.ac.ir")
    client.force_login(outsider)
    attempts = [
        ("organizations:invite", [organization.pk], {"email": "x@ut.ac.ir"}),
        ("organizations:remove_member", [organization.pk, own.pk], {}),
        ("organizations:set_representative", [organization.pk, own.pk], {"representative": "0"}),
        ("organizations:withdraw_invitation", [organization.pk, invitation.pk], {}),
    ]
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        for name, args, data in attempts:
            assert client.post(reverse(name, args=args), data).status_code == 404
    assert len([r for r in caplog.records if r.name == "hadaf.security"]) == len(attempts)
    own.refresh_from_db()
    assert own.is_representative
    assert organization.memberships.count() == 2
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert OrganizationInvitation.objects.count() == 1
    if outsider_kind != "member":
        detail = client.get(reverse("organizations:detail", args=[organization.pk]))
        assert detail.status_code == 404


def test_member_ids_of_another_organization_are_refused(
    client, organization, representative, university, caplog
):
    other_rep = UserFactory()
    other = services.register(
        other_rep,
        name="انجمن دیگر",
        kind=OrganizationKind.STUDENT_ASSOCIATION,
        university=university,
    )
    theirs = _membership(other, other_rep)
    client.force_login(representative)
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        response = client.post(
            reverse("organizations:remove_member", args=[organization.pk, theirs.pk])
        )
    assert response.status_code == 404
    assert caplog.records
    assert OrganizationMembership.objects.filter(pk=theirs.pk).exists()


def test_verified_organization_is_offered_in_the_ideas_form(
    organization, representative, editor, idea_call
):
    form = IdeaForm(page=idea_call, user=representative)
    assert "organization" not in form.fields
    services.verify(organization, editor)
    form = IdeaForm(page=idea_call, user=representative)
    assert list(form.fields["organization"].queryset) == [organization]
