"""Editors verify organizations in the Wagtail admin; nobody else can."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from participation.organizations import permissions, services
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user_without_group(db):
    """Someone who may open the admin but is neither an editor nor a moderator."""
    user = UserFactory(email="staff@ministry.test", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def test_editors_see_the_list_with_the_waiting_count(client, editor, organization):
    client.force_login(editor)
    response = client.get(reverse("hadaf_organizations:index"))
    assert response.status_code == 200
    assert organization.name in response.content.decode()
    assert list(response.context["page_obj"]) == [organization]
    verified = client.get(reverse("hadaf_organizations:index"), {"status": "verified"})
    assert list(verified.context["page_obj"]) == []
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("hadaf_organizations:index") in menu
    detail = client.get(reverse("hadaf_organizations:detail", args=[organization.pk]))
    assert detail.status_code == 200
    assert "rep@ut.ac.ir" in detail.content.decode()


def test_editor_verifies_and_withdraws_with_a_reason(client, editor, organization):
    client.force_login(editor)
    response = client.post(reverse("hadaf_organizations:verify", args=[organization.pk]))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.is_verified
    assert ModelLogEntry.objects.get(action=services.VERIFIED_ACTION).user == editor

    url = reverse("hadaf_organizations:withdraw", args=[organization.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    organization.refresh_from_db()
    assert organization.is_verified
    assert client.post(url, {"reason": "ثبت تکراری"}).status_code == 302
    organization.refresh_from_db()
    assert not organization.is_verified
    entry = ModelLogEntry.objects.get(action=services.WITHDRAWN_ACTION)
    assert entry.data["reason"] == "ثبت تکراری" and entry.user == editor
    history = client.get(reverse("hadaf_organizations:detail", args=[organization.pk]))
    assert "ثبت تکراری" in history.content.decode()


def test_non_editors_cannot_verify(client, organization, admin_user_without_group, member):
    assert not permissions.can_verify(admin_user_without_group)
    client.force_login(admin_user_without_group)
    # Wagtail answers PermissionDenied in the admin by sending the user to the dashboard.
    listing = client.get(reverse("hadaf_organizations:index"))
    assert listing.status_code == 302 and listing["Location"] == reverse("wagtailadmin_home")
    response = client.post(reverse("hadaf_organizations:verify", args=[organization.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("hadaf_organizations:index") not in home
    client.force_login(member)
    response = client.post(reverse("hadaf_organizations:verify", args=[organization.pk]))
    assert response.status_code in (302, 403)
    organization.refresh_from_db()
    assert not organization.is_verified
    assert not ModelLogEntry.objects.filter(action=services.VERIFIED_ACTION).exists()


def test_the_permission_alone_is_enough(organization):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="organizations", codename="verify_organization"
        )
    )
    assert permissions.can_verify(user)
