"""Wagtail's workflow emails, in the recipient's language, linking to the configured site."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.people.factories import EditorFactory, UserFactory

from .test_approval_workflow import submitted_call

pytestmark = pytest.mark.django_db

BASE_URL = "https://hadaf.example.ir"


@pytest.fixture(autouse=True)
def configured_address(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


@pytest.fixture
def calls(home_page):
    from pages.demo_content import ensure_call_workflow
    from tests.pages.factories import CallIndexPageFactory

    calls = CallIndexPageFactory(parent=home_page)
    ensure_call_workflow(calls)
    return calls


@pytest.fixture
def writer():
    user = UserFactory(email="writer@ministry.test", is_staff=True, role="", first_name="مریم")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def reads_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_the_moderator_is_asked_to_approve_in_persian_without_english_words(calls, writer):
    moderator = EditorFactory(email="moderator@ministry.test")
    page, _state = submitted_call(calls, writer)
    [message] = [m for m in mail.outbox if m.to == [moderator.email]]
    with translation.override("fa"):
        expected = translation.gettext("Waiting for your approval: “%(title)s” (%(task)s)")
    assert expected.startswith("در انتظار")  # Translated, not the English source.
    assert message.subject == expected % {"title": page.title, "task": "بررسی ناظران"}
    for english in ("has been submitted", "moderation stage", "Hello", "notification"):
        assert english not in message.body, english
    assert "نوتیفیکیشن" not in message.body
    assert f"{BASE_URL}/admin/pages/{page.pk}/edit/" in message.body
    assert "http://localhost" not in message.body


def test_a_moderator_who_reads_english_gets_it_all_in_english(calls, writer):
    moderator = reads_english(EditorFactory(email="moderator@ministry.test"))
    page, _state = submitted_call(calls, writer)
    [message] = [m for m in mail.outbox if m.to == [moderator.email]]
    assert message.subject == f"Waiting for your approval: “{page.title}” (بررسی ناظران)"
    assert message.body.startswith("Dear ")
    assert "must approve it before it is published" in message.body


def test_the_approval_email_links_to_the_page_on_the_configured_site(calls, writer):
    moderator = EditorFactory(email="moderator@ministry.test")
    page, state = submitted_call(calls, writer)
    mail.outbox.clear()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.live
    [message] = [m for m in mail.outbox if m.to == [writer.email]]
    assert page.title in message.subject
    assert f"{BASE_URL}{page.url}" in message.body
    assert "http://localhost" not in message.body
