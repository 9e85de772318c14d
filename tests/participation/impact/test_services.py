"""Editors' actions on commitments: audited, refused with a reason when they must be, and
told to the contributors only after the transaction commits."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from wagtail.users.models import UserProfile

from participation.audit.models import AuditEvent
from participation.dashboard.models import Notification
from participation.errors import Refused
from participation.impact import services
from participation.impact.choices import CommitmentStatus, UpdateKind
from participation.impact.models import Commitment, CommitmentUpdate

from .conftest import decision_ref, idea_ref, make

pytestmark = pytest.mark.django_db


def test_making_a_commitment_is_audited_and_told_to_every_contributor_after_commit(
    draft, decision, idea, commenter, idea_author, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        commitment = make(editor, draft, refs=[decision_ref(decision), idea_ref(idea)])
        # Nobody is told before the commit.
        assert not Notification.objects.exists()
    event = AuditEvent.objects.get(action="create_commitment")
    assert (event.actor, event.target_id, event.call_key) == (
        editor,
        str(commitment.pk),
        draft.call_key,
    )
    assert event.details == {"status": "planned", "progress": 0, "sources": 2}
    assert commitment.updates.get().kind == UpdateKind.CREATED
    assert (commitment.call_key, commitment.call_kind) == (draft.call_key, "draft")

    with django_capture_on_commit_callbacks(execute=True):  # the emails, after their commit
        for callback in callbacks:
            callback()
    for person in (commenter, idea_author):
        notice = Notification.objects.get(person=person)
        assert notice.kind == "impact"
        assert "انتشار عمومی گزارش مالی" in notice.display_title
        assert notice.url == f"/commitments/{commitment.pk}/"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [commenter.email, idea_author.email]
    )
    # Told once: the same update again tells nobody twice.
    from participation.impact.tasks import tell_contributors

    tell_contributors.call(commitment.updates.get().pk)
    assert Notification.objects.count() == 2


def test_a_rolled_back_commitment_tells_nobody(
    draft, decision, editor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make(editor, draft, refs=[decision_ref(decision)])
        raise RuntimeError
    assert not Commitment.objects.exists()
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_each_reader_is_told_in_their_own_language(
    draft, decision, idea, commenter, idea_author, editor, django_capture_on_commit_callbacks
):
    UserProfile.get_for_user(idea_author).__class__.objects.filter(user=idea_author).update(
        preferred_language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        make(editor, draft, refs=[decision_ref(decision), idea_ref(idea)])
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[idea_author.email].startswith("A commitment follows from your contribution")
    assert subjects[commenter.email].startswith("تعهدی")


def test_dropping_needs_a_reason_which_the_public_sees(
    draft, decision, commenter, editor, django_capture_on_commit_callbacks
):
    commitment = make(editor, draft, refs=[decision_ref(decision)])
    commitment.status = CommitmentStatus.DROPPED
    with pytest.raises(Refused):
        services.change_commitment(editor, commitment, reason="  ")
    assert Commitment.objects.get().status == CommitmentStatus.PLANNED
    assert not AuditEvent.objects.filter(action="change_commitment").exists()

    with django_capture_on_commit_callbacks(execute=True):
        update = services.change_commitment(editor, commitment, reason="بودجهٔ امسال تصویب نشد.")
    commitment.refresh_from_db()
    assert commitment.status_reason == "بودجهٔ امسال تصویب نشد."
    assert (update.previous_status, update.status, update.text) == (
        "planned",
        "dropped",
        "بودجهٔ امسال تصویب نشد.",
    )
    event = AuditEvent.objects.get(action="change_commitment")
    assert (event.details["status_from"], event.details["status_to"]) == ("planned", "dropped")
    # The status change is told (the creation's notice was not run in this test).
    notice = Notification.objects.get(person=commenter)
    assert "کنار گذاشته شد" in notice.display_title
    assert "بودجهٔ امسال" in notice.display_body


def test_a_later_due_date_needs_a_reason_an_earlier_one_does_not(draft, editor):
    commitment = make(editor, draft, due_date=datetime.date(2026, 6, 1))
    commitment.due_date = datetime.date(2026, 9, 1)
    with pytest.raises(Refused):
        services.change_commitment(editor, commitment)
    update = services.change_commitment(editor, commitment, reason="پیمانکار دیر انتخاب شد.")
    assert (update.previous_due_date, update.due_date) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 9, 1),
    )
    assert update.delayed
    commitment.due_date = datetime.date(2026, 8, 1)
    assert services.change_commitment(editor, commitment).text == ""


def test_progress_is_recorded_but_only_a_status_change_is_told(
    draft, decision, commenter, editor, django_capture_on_commit_callbacks
):
    commitment = make(editor, draft, refs=[decision_ref(decision)])
    commitment.progress = 40
    with django_capture_on_commit_callbacks(execute=True):
        update = services.change_commitment(editor, commitment)
    assert update.previous_progress == 0 and update.progress == 40
    assert not Notification.objects.exists()
    commitment.status = CommitmentStatus.DONE
    with django_capture_on_commit_callbacks(execute=True):
        update = services.change_commitment(editor, commitment)
    assert update.progress == 100  # done is done
    assert Notification.objects.filter(person=commenter).count() == 1
    # Nothing the public follows changed: no update, no audit row.
    commitment.description = "متن تازه"
    assert services.change_commitment(editor, commitment) is None
    assert CommitmentUpdate.objects.count() == 3
    assert AuditEvent.objects.filter(action="change_commitment").count() == 2


def test_news_is_dated_public_and_audited(draft, editor):
    commitment = make(editor, draft)
    with pytest.raises(Refused):
        services.publish_news(editor, commitment, "")
    update = services.publish_news(
        editor, commitment, "نخستین گزارش منتشر شد.", date=datetime.date(2026, 3, 21)
    )
    assert (update.kind, update.date) == (UpdateKind.NOTE, datetime.date(2026, 3, 21))
    assert AuditEvent.objects.filter(action="update_commitment").count() == 1


def test_citing_more_later_tells_the_newly_cited_only(
    draft, decision, idea, commenter, idea_author, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        commitment = make(editor, draft, refs=[decision_ref(decision)])
    assert Notification.objects.filter(person=commenter).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cite(editor, commitment, [decision_ref(decision), idea_ref(idea)]) == (
            1,
            0,
        )
    assert Notification.objects.filter(person=commenter).count() == 1
    assert Notification.objects.filter(person=idea_author).count() == 1
    assert services.cite(editor, commitment, [idea_ref(idea)]) == (0, 1)
    assert AuditEvent.objects.filter(action="cite_sources").count() == 2


def test_anonymous_verified_contributions_are_never_traced(
    draft, idea_page, idea, idea_author, editor, django_capture_on_commit_callbacks
):
    idea_page.anonymity = "anonymous"
    idea_page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        make(editor, draft, refs=[idea_ref(idea)])
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_an_update_dated_in_the_future_is_refused_and_changes_nothing(draft, editor):
    """A dated update is what happened: one dated 1420 would head the public timeline and
    the feed for fifteen years, above what the commitment really is now."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Refused):
        make_dated(editor, draft, tomorrow)
    assert not Commitment.objects.exists()
    commitment = make(editor, draft)
    commitment.progress = 20
    with pytest.raises(Refused):
        services.change_commitment(editor, commitment, date=tomorrow)
    with pytest.raises(Refused):
        services.publish_news(editor, commitment, "خبر آینده", date=tomorrow)
    assert Commitment.objects.get().progress == 0
    assert commitment.updates.count() == 1
    # Today is fine.
    assert services.change_commitment(editor, commitment, date=timezone.localdate()).progress == 20


def make_dated(editor, call, date):
    commitment = Commitment(call=call, title="تعهد", responsible_unit="دفتر تشکل‌ها")
    return services.create_commitment(editor, commitment, date=date)
