"""Partner sites and keys in the admin: the secret shown once, revocation, permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from participation.partners import keys
from participation.partners.models import PartnerKey, PartnerSite
from tests.people.factories import EditorFactory, UserFactory

from .factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_creating_a_site_creates_its_oauth_application(admin_client):
    response = admin_client.post(
        reverse("partner_sites:add"),
        {
            "name": "دانشگاه تهران",
            "website": "https://ut.ac.ir",
            "contact_name": "",
            "contact_email": "",
            "redirect_uris": "https://ut.ac.ir/hadaf/callback",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    site = PartnerSite.objects.get()
    assert site.application.redirect_uris == "https://ut.ac.ir/hadaf/callback"
    assert site.client_id


def test_redirect_addresses_must_be_https(admin_client):
    response = admin_client.post(
        reverse("partner_sites:add"),
        {"name": "x", "redirect_uris": "http://plain.example/cb", "is_active": "on"},
    )
    assert response.status_code == 200
    assert not PartnerSite.objects.exists()


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(admin_client):
    site, _key, _text = make_partner()
    response = admin_client.post(
        reverse("partner_keys:add"),
        {
            "site": site.pk,
            "name": "staging",
            "scopes": ["read", "responses:write"],
            "allowed_origins": "https://Partner.example.ac.ir/\n",
            "expires_at": "",
        },
    )
    assert response.status_code == 200, response.content
    full_key = response.context["full_key"]
    assert full_key in response.content.decode()
    key = PartnerKey.objects.get(name="staging")
    assert full_key not in (key.secret_hash, key.prefix)
    assert keys.find_key(full_key) == key
    assert key.allowed_origins == "https://partner.example.ac.ir"
    assert key.created_by == admin_client.user
    listing = admin_client.get(reverse("partner_keys:index"))
    assert full_key not in listing.content.decode()
    assert key.prefix in listing.content.decode()


def test_an_origin_with_a_path_is_refused(admin_client):
    site, _key, _text = make_partner()
    response = admin_client.post(
        reverse("partner_keys:add"),
        {"site": site.pk, "name": "x", "scopes": ["read"], "allowed_origins": "https://a.ir/app"},
    )
    assert response.status_code == 200
    assert "allowed_origins" in response.context["form"].errors


def test_revoking_a_key_is_confirmed_and_logged(admin_client):
    from wagtail.models import ModelLogEntry

    _site, key, key_text = make_partner()
    url = reverse("partner_keys:revoke", args=[key.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin_client.user
    assert keys.find_key(key_text).revoked_at is not None
    assert ModelLogEntry.objects.filter(action="hadaf.partners.revoke_key").count() == 1


def test_editors_without_the_permission_cannot_manage_keys(client):
    _site, key, _text = make_partner()
    editor = EditorFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("partner_keys:index")).status_code in (302, 403)
    assert client.post(reverse("partner_keys:revoke", args=[key.pk])).status_code in (302, 403)
    key.refresh_from_db()
    assert key.revoked_at is None
    editor.user_permissions.add(
        Permission.objects.get(codename="change_partnerkey"),
        Permission.objects.get(codename="view_partnerkey"),
    )
    assert client.get(reverse("partner_keys:index")).status_code == 200
