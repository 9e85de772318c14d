"""Audit events cannot be changed or removed: in Python, and on the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from participation import audit
from participation.audit.choices import AuditAction
from participation.audit.models import AppendOnlyError, AuditEvent
from participation.privacy import services as privacy
from tests.people.factories import EditorFactory

from .conftest import SECRET_ANSWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(survey, editor):
    return audit.record(editor, AuditAction.EXPORT, target=survey, call=survey, format="csv")


def unchanged(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.action, stored.details, stored.actor_id) == (
        event.action,
        event.details,
        event.actor_id,
    )


def test_an_event_cannot_be_saved_again_or_deleted(event):
    event.details = {"format": "xlsx"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).details == {"format": "csv"}


def test_querysets_refuse_update_and_delete(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.AWARD)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert unchanged(event)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'award'",
        "UPDATE audit_auditevent SET details = '{}'",
        "UPDATE audit_auditevent SET actor_id = NULL, actor_label = 'someone else'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_updates_and_deletes(event, statement):
    """Triggers (migration 0002) stop even SQL that bypasses the model."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert unchanged(event)


def test_the_base_manager_cannot_bypass_the_triggers(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(action=AuditAction.AWARD)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk)._raw_delete(connection.alias)
    assert unchanged(event)


def test_deleting_an_editor_only_clears_the_link_to_their_account(survey):
    editor = EditorFactory(first_name="زهرا", last_name="کریمی")
    event = audit.record(editor, AuditAction.EXPORT, target=survey, call=survey, format="csv")
    editor.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor is None
    assert stored.actor_label.startswith("زهرا کریمی")
    assert (stored.action, stored.details) == (AuditAction.EXPORT, {"format": "csv"})


def test_erasing_a_participant_is_not_blocked_by_events_about_their_response(
    survey, survey_response, editor
):
    """Events name submissions by id only, so the privacy erasure runs as before."""
    audit.record(editor, AuditAction.EXCLUDE_RESPONSE, target=survey_response, call=survey)
    participant = survey_response.participant
    privacy.erase_account(participant)
    participant.refresh_from_db()
    assert privacy.is_erased(participant)
    event = AuditEvent.objects.get()
    assert event.target_id == str(survey_response.pk)
    assert SECRET_ANSWER not in repr(event.__dict__)
