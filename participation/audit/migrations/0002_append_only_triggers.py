"""Database triggers that make audit events append-only, on PostgreSQL and SQLite.

UPDATE and DELETE are refused, except the update Django makes when an editor's account
is deleted (``actor`` set to NULL, every other column unchanged). TRUNCATE is left alone:
it is the test runner's way of emptying tables, not something the application does.
"""

from django.db import migrations

MESSAGE = "audit events are append-only"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION audit_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}';
END;
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""

UNCHANGED_COLUMNS = [
    "id",
    "actor_label",
    "action",
    "target_type_id",
    "target_id",
    "call_page_id",
    "call_key",
    "details",
    "created_at",
]
ONLY_ACTOR_CLEARED = " AND ".join(
    [
        "OLD.actor_id IS NOT NULL",
        "NEW.actor_id IS NULL",
        *(f"NEW.{column} IS OLD.{column}" for column in UNCHANGED_COLUMNS),
    ]
)
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    WHEN NOT ({ONLY_ACTOR_CLEARED})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
]


def _run(statements, schema_editor):
    for statement in statements:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run([POSTGRESQL_FORWARD], schema_editor)
    elif vendor == "sqlite":
        _run(SQLITE_FORWARD, schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run([POSTGRESQL_BACKWARD], schema_editor)
    elif vendor == "sqlite":
        _run(SQLITE_BACKWARD, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
