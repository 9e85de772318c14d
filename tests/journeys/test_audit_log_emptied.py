"""The journeys' ``audit_log_emptied`` fixture: audited actions in a live-server test.

Without it, this test's teardown fails on SQLite: the flush's DELETE meets the audit log's
append-only trigger.
"""

from django.db import DatabaseError, connection, transaction

from participation import audit
from participation.audit.choices import AuditAction
from participation.audit.models import AuditEvent
from tests.journeys.conftest import empty_audit_log
from tests.people.factories import EditorFactory


def refuses_delete():
    """Whether the database still refuses to delete audit events."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
    except DatabaseError:
        return True
    return False


def test_the_log_is_emptied_and_stays_append_only(audit_log_emptied):
    editor = EditorFactory()
    audit.record(editor, AuditAction.EXPORT, format="xlsx")
    audit.record(editor, AuditAction.EXPORT, format="csv")
    assert refuses_delete()

    empty_audit_log()
    assert not AuditEvent.objects.exists()
    # The triggers are back: an event written now is append-only again (and the fixture
    # empties the log before the flush).
    audit.record(editor, AuditAction.EXPORT, format="csv")
    assert refuses_delete()
    assert AuditEvent.objects.count() == 1
