from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page, PageLogEntry, Revision, Site

from pages.models import HomePage, StandardPage
from participation.people.choices import Role
from participation.people.demo import EDITOR_EMAIL, demo_password

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=StringIO())


def snapshot():
    """Everything the seed touches, in a form that shows any change."""
    User = get_user_model()
    return {
        "pages": sorted(Page.objects.values_list("id", "url_path", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "users": sorted(User.objects.values_list("email", "password", "role", "is_staff")),
        "sites": sorted(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
    }


def test_seed_builds_a_persian_site_with_editor_and_participants():
    seed()
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.locale.language_code == "fa"
    assert not Page.objects.filter(title__icontains="Welcome to your new Wagtail site").exists()
    announcement = StandardPage.objects.get(slug="launch")
    assert announcement.live and announcement.get_parent().pk == home.pk
    assert "وزارت علوم" in announcement.intro

    User = get_user_model()
    editor = User.objects.get(email=EDITOR_EMAIL)
    assert editor.has_perm("wagtailadmin.access_admin") and not editor.is_superuser
    roles = set(User.objects.exclude(role="").values_list("role", flat=True))
    assert roles == {Role.STUDENT, Role.FACULTY, Role.STAFF}


def test_running_the_seed_twice_changes_nothing():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first


def test_demo_editor_can_sign_in_to_the_persian_admin(client):
    seed()
    assert client.login(username=EDITOR_EMAIL, password=demo_password())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_seeded_pages_are_served(client):
    seed()
    home = client.get("/")
    assert home.status_code == 200
    assert "آغاز به کار سامانهٔ همیاری دانشگاهیان در فرهنگ" in home.content.decode()
    assert client.get("/launch/").status_code == 200


@override_settings(DEBUG=False)
def test_seed_refuses_without_force_when_debug_is_off():
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(email=EDITOR_EMAIL).exists()
