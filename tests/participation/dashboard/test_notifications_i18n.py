"""Notifications read in the reader's language: on the dashboard and in their emails."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from participation.dashboard.choices import NotificationKind
from participation.dashboard.models import Notification
from participation.dashboard.notifications import notify
from participation.drafts import services as drafts
from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from tests.participation.drafts.factories import CLAUSE_A

from .conftest import comment_on, submitted_idea

pytestmark = pytest.mark.django_db


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


def test_an_idea_step_reads_in_english_on_the_english_dashboard(
    client, idea_call, person, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(idea_call, person)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(idea, IdeaStatus.IN_REVIEW, actor=editor)
    notice = Notification.objects.filter(person=person).latest("pk")
    english = f"Your submission “{idea.title}” is now: In jury review"
    with translation.override("en"):
        assert notice.display_title == english
    with translation.override("fa"):
        persian = notice.display_title
    assert persian != english and idea.title in persian
    assert "Your submission" not in persian
    client.force_login(person)
    english = client.get("/en" + reverse("dashboard:index")).content.decode()
    assert f"Your submission “{idea.title}” is now" in english
    assert in_language("fa", "Your submission “%(title)s” is now: %(status)s")[:6] not in english


def test_a_decision_names_the_clause_in_the_readers_language(
    draft, person, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(draft, person)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.record_decision(
            draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="accepted", reason="به‌جا"
        )
        drafts.start_new_round(draft, editor)
    notice = Notification.objects.get(person=person)
    with translation.override("en"):
        assert notice.display_title == "Your proposal on Clause a of Article 1 was accepted."
    with translation.override("fa"):
        assert "بند الف" in notice.display_title and "Clause" not in notice.display_title
    assert notice.display_body == "به‌جا"  # The editor's reason, as written.


def test_the_email_is_in_the_language_the_reader_chose(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    profile = UserProfile.get_for_user(person)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            person,
            kind=NotificationKind.AWARD,
            title="جایزه",
            message="award",
            params={
                "kind": "certificate",
                "trigger": "survey_response",
                "call": {"fa": "نظرسنجی", "en": "The survey"},
            },
            body_message="award_reason",
        )
    [message] = mailoutbox
    assert message.subject.startswith("You received an award: ")
    assert "Responded to the survey: “The survey”" in message.body
    assert "Dear " in message.body and "جایزه" not in message.body


def test_notices_stored_without_a_message_show_their_text(person):
    notice = notify(person, kind=NotificationKind.GENERAL, title="خبر", body="متن", email=False)
    with translation.override("en"):
        assert notice.display_title == "خبر" and notice.display_body == "متن"


def test_an_award_and_its_reason_read_in_english_on_the_english_dashboard(
    client, idea_call, person, editor, django_capture_on_commit_callbacks
):
    from participation.choices import IncentiveKind
    from participation.dashboard.choices import Trigger
    from participation.dashboard.models import IncentiveRule

    IncentiveRule.objects.create(
        call=idea_call, trigger=Trigger.IDEA_SHORTLISTED, kind=IncentiveKind.WORKSHOP
    )
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(idea_call, person)
    for status in (IdeaStatus.IN_REVIEW, IdeaStatus.SHORTLISTED):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.move(idea, status, actor=editor)
    client.force_login(person)
    english = client.get("/en" + reverse("dashboard:index")).content.decode()
    assert "You received an award: Workshop" in english
    assert f"Idea shortlisted: “{idea_call.title}”" in english
    with translation.override("fa"):
        persian_reason = translation.gettext("Idea shortlisted")
    assert persian_reason not in english
