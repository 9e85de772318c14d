"""Notifications: the service, the idea workflow and draft decisions, reading them."""

import pytest
from django.urls import reverse

from participation.dashboard.choices import NotificationKind
from participation.dashboard.models import Notification
from participation.dashboard.notifications import notify, unread_count
from participation.drafts import services as drafts
from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from tests.participation.drafts.factories import CLAUSE_A, NOTE_1

from .conftest import comment_on, submitted_idea

pytestmark = pytest.mark.django_db


def test_notify_creates_the_notice_and_emails_after_commit(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(
            person, kind=NotificationKind.GENERAL, title="خبر تازه", body="متن", url="/fa/"
        )
        assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert notification.title == "خبر تازه" and not notification.is_read
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [person.email]
    assert "خبر تازه" in message.subject
    assert "مریم احمدی" in message.body and "/dashboard/" in message.body


def test_the_same_key_notifies_once(person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(person, kind=NotificationKind.GENERAL, title="یک", key="thing:1")
        second = notify(person, kind=NotificationKind.GENERAL, title="یک", key="thing:1")
    assert first is not None and second is None
    assert Notification.objects.filter(person=person).count() == 1
    assert len(mailoutbox) == 1


def test_no_email_when_asked_not_to(person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, kind=NotificationKind.GENERAL, title="بی‌ایمیل", email=False)
    assert mailoutbox == []
    assert unread_count(person) == 1


def test_every_idea_step_notifies_each_author_in_app_without_a_second_email(
    idea_call, person, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(idea_call, person)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(idea, IdeaStatus.IN_REVIEW, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(idea, IdeaStatus.SHORTLISTED, actor=editor, reason="ایدهٔ درخشان")
    notices = list(Notification.objects.filter(person=person).order_by("pk"))
    assert [n.kind for n in notices] == [NotificationKind.IDEA_STATUS] * 3
    assert idea.title in notices[-1].title
    assert notices[-1].body == "ایدهٔ درخشان"
    assert notices[-1].url == reverse("ideas:detail", args=[idea.uuid])
    # Only the ideas app's own status emails: one per step.
    assert len(mailoutbox) == 3


def test_decisions_notify_only_once_public(
    draft, person, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(draft, person)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.record_decision(
            draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="accepted", reason="به‌جا"
        )
    # The round is open: the decision is not public yet.
    assert not Notification.objects.filter(person=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        drafts.start_new_round(draft, editor)
    notice = Notification.objects.get(person=person)
    assert notice.kind == NotificationKind.DECISION
    # "Your proposal on بند الف of ماده ۱ was accepted." (in Persian once translated)
    assert "بند الف" in notice.title and "۱" in notice.title
    assert notice.body == "به‌جا"
    # Publishing the page again (which re-announces) adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert Notification.objects.filter(person=person).count() == 1


def test_a_note_comment_is_labelled_with_its_article(
    draft, person, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(draft, person, clause_id=NOTE_1)
        drafts.start_new_round(draft, editor)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.record_decision(
            draft, editor, round_number=1, clause_id=NOTE_1, outcome="rejected", reason="نه"
        )
    title = Notification.objects.get(person=person).title
    assert "تبصره" in title and "۱" in title


def test_mark_all_read(client, person, student):
    for number in range(3):
        notify(person, kind=NotificationKind.GENERAL, title=f"خبر {number}", email=False)
    other = notify(student, kind=NotificationKind.GENERAL, title="مال دیگری", email=False)
    client.force_login(person)
    assert client.get(reverse("dashboard:mark_all_read")).status_code == 405
    response = client.post(reverse("dashboard:mark_all_read"))
    assert response.status_code == 302
    assert unread_count(person) == 0
    other.refresh_from_db()
    assert not other.is_read


def test_opening_a_notice_marks_it_read_and_follows_only_local_links(client, person, student):
    local = notify(person, kind=NotificationKind.GENERAL, title="الف", url="/fa/", email=False)
    foreign = notify(
        person, kind=NotificationKind.GENERAL, title="ب", url="https://evil.test/", email=False
    )
    others = notify(student, kind=NotificationKind.GENERAL, title="ج", url="/fa/", email=False)
    client.force_login(person)
    response = client.get(reverse("dashboard:notification", args=[local.pk]))
    assert response.status_code == 302 and response.url == "/fa/"
    local.refresh_from_db()
    assert local.is_read
    response = client.get(reverse("dashboard:notification", args=[foreign.pk]))
    assert response.url == reverse("dashboard:index")
    assert client.get(reverse("dashboard:notification", args=[others.pk])).status_code == 404


def test_unread_count_context_processor(rf, person):
    from participation.dashboard.context_processors import unread_notifications

    notify(person, kind=NotificationKind.GENERAL, title="الف", email=False)
    request = rf.get("/")
    request.user = person
    count = unread_notifications(request)["unread_notification_count"]
    assert count() == 1
