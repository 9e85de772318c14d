"""Persian first: public pages and the Wagtail admin open in Persian, right-to-left."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import PROJECT_ROOT
from tests.people.factories import DEFAULT_PASSWORD, EditorFactory

FA_CATALOGUE = PROJECT_ROOT / "locale/fa/LC_MESSAGES/django.po"


def test_persian_is_the_default_language():
    assert settings.LANGUAGE_CODE == "fa"
    assert [code for code, _ in settings.LANGUAGES] == ["fa", "en"]
    assert settings.WAGTAIL_I18N_ENABLED is True
    assert "wagtail_localize.locales" in settings.INSTALLED_APPS
    assert "wagtail.locales" not in settings.INSTALLED_APPS


def test_home_page_is_persian_and_right_to_left(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "پرش به محتوا" in html  # The skip link, from the compiled fa catalogue.


def test_english_prefix_renders_left_to_right(client, home_page):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_persian_has_no_prefix(client, home_page):
    assert client.get("/fa/").status_code == 404


@pytest.mark.django_db
def test_admin_login_page_is_persian(client):
    response = client.get(reverse("wagtailadmin_login"))
    html = response.content.decode()
    assert 'lang="fa"' in html and 'dir="rtl"' in html
    assert "ورود" in html


@pytest.mark.django_db
def test_admin_dashboard_is_persian_for_an_editor(client, home_page):
    editor = EditorFactory()
    assert client.login(username=editor.email, password=DEFAULT_PASSWORD)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fa"' in html and 'dir="rtl"' in html
    assert "داشبورد" in html  # "Dashboard"


def test_persian_catalogue_is_complete():
    catalogue = polib.pofile(str(FA_CATALOGUE))
    assert len(catalogue) > 0
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []


def test_compiled_catalogue_exists():
    assert FA_CATALOGUE.with_suffix(".mo").exists(), "run `make catalogues`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make system-deps)")
def test_persian_catalogue_has_every_string_in_the_source(tmp_path):
    """`make messages` would add nothing: every gettext string has a Persian entry."""
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT_ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "staticfiles", "media", "*.sqlite3*", "test-artifacts"
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fa",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=node_modules/*",
            "--ignore=bench/*",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/fa/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in polib.pofile(str(FA_CATALOGUE))}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"


def test_every_template_sets_lang_and_dir_from_the_language():
    base = Path(PROJECT_ROOT / "templates/base.html").read_text(encoding="utf-8")
    assert 'lang="{{ LANGUAGE_CODE }}"' in base
    assert "LANGUAGE_BIDI" in base


@pytest.mark.django_db
def test_admin_login_form_labels_are_persian(client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "گذرواژه" in html
    assert ">Password<" not in html
