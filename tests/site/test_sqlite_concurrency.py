"""Concurrent writers on the embedded SQLite wait for each other instead of failing.

Runs on every database: it registers its own SQLite file, configured with the
project's SQLite options, as an extra connection alias, so the guarantee is
checked even when the suite itself runs on PostgreSQL.
"""

import threading
import time

import pytest
from django.db import connections, transaction

from site.settings import environment

WRITERS = 8
INCREMENTS_PER_WRITER = 15
ALIAS = "sqlite_concurrency"


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    """A connection alias to a fresh SQLite file with the project's options."""
    config = environment.database_from_url(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}")
    configured = connections.configure_settings({"default": config.copy(), ALIAS: config})
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        yield ALIAS
        connections.close_all()
    del connections.settings[ALIAS]
    if hasattr(connections._connections, ALIAS):
        delattr(connections._connections, ALIAS)


def test_wal_mode_is_on(sqlite_alias):
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_concurrent_read_modify_write_transactions_lose_nothing(sqlite_alias):
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")

    errors = []
    start = threading.Barrier(WRITERS)

    def writer():
        try:
            start.wait()
            for _ in range(INCREMENTS_PER_WRITER):
                # Read, pause, write in one atomic block, as a view would. Deferred
                # transactions would lose updates or fail with "database is locked"
                # when upgrading the read lock; immediate ones make writers queue.
                with (
                    transaction.atomic(using=sqlite_alias),
                    connections[sqlite_alias].cursor() as cursor,
                ):
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    value = cursor.fetchone()[0]
                    time.sleep(0.001)
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as error:  # Collected and asserted on below.
            errors.append(repr(error))
        finally:
            connections[sqlite_alias].close()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        assert cursor.fetchone()[0] == WRITERS * INCREMENTS_PER_WRITER
