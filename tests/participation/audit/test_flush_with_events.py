"""The suite's ``audit_log_emptied_before_flush``: audited actions in any transactional test.

Without it, a transactional test's teardown fails on SQLite once an audit event exists: the
flush's DELETE meets the audit log's append-only trigger, and the next tests find the last
one's pages and users still there.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from participation import audit
from participation.audit.choices import AuditAction
from participation.audit.models import AuditEvent
from tests.conftest import empty_audit_log
from tests.people.factories import EditorFactory


def refuses_delete():
    """Whether the database still refuses to delete audit events."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
    except DatabaseError:
        return True
    return False


def test_the_log_is_emptied_and_stays_append_only(transactional_db):
    editor = EditorFactory()
    audit.record(editor, AuditAction.EXPORT, format="xlsx")
    audit.record(editor, AuditAction.EXPORT, format="csv")
    assert refuses_delete()

    empty_audit_log()
    assert not AuditEvent.objects.exists()
    # The triggers are back: an event written now is append-only again (and the fixture
    # empties the log before this test's flush).
    audit.record(editor, AuditAction.EXPORT, format="csv")
    assert refuses_delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_test_marked_transactional_leaves_an_event_behind():
    """The next test finds the database flushed: this one's event did not stop the flush."""
    audit.record(EditorFactory(), AuditAction.EXPORT, format="xlsx")


@pytest.mark.django_db(transaction=True)
def test_and_the_next_finds_the_database_empty():
    assert not AuditEvent.objects.exists()
    assert not EditorFactory._meta.model.objects.exists()
