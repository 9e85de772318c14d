import importlib
import time

import pytest
from django.db import OperationalError, connection, transaction
from wagtail.models import Locale, Page, Site

from pages.demo_content import ROOT_TITLE
from participation.audit.models import AuditEvent
from tests.pages.factories import HomePageFactory

# Fixtures every directory may use, registered here only (pytest reads pytest_plugins from the
# top conftest): the browser's (one Playwright per run), and the surveys with responses of the
# results and report tests.
pytest_plugins = ["tests.browser.fixtures", "tests.helpers.results", "tests.helpers.reports"]

# Fixture modules that test modules also import helpers from: rewrite their asserts too.
pytest.register_assert_rewrite("tests.helpers.results", "tests.helpers.reports")


# The audit log's append-only triggers, as their migration creates and drops them.
AUDIT_TRIGGERS = importlib.import_module("participation.audit.migrations.0002_append_only_triggers")


def empty_audit_log(attempts=100):
    """Delete every audit event, the append-only triggers lifted meanwhile and then restored.

    In one transaction, so a failed attempt leaves the triggers as they were. A live
    server's thread may still be answering the browser's last request (an autosave) when
    the test ends; SQLite then says the table is locked, and this waits for it.
    """
    if not AuditEvent.objects.exists():
        return
    for attempt in range(attempts):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
                    cursor.execute("DELETE FROM audit_auditevent")
                    cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
                elif connection.vendor == "sqlite":
                    for statement in AUDIT_TRIGGERS.SQLITE_BACKWARD:
                        cursor.execute(statement)
                    cursor.execute("DELETE FROM audit_auditevent")
                    for statement in AUDIT_TRIGGERS.SQLITE_FORWARD:
                        cursor.execute(statement)
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def is_transactional(request):
    """Whether the test runs as a TransactionTestCase, whose teardown empties every table."""
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def audit_log_emptied_before_flush(request):
    """Let any transactional test take audited actions: the audit log is emptied afterwards.

    The audit log refuses DELETE (migration 0002's triggers), and a transactional test's
    teardown empties every table: on SQLite with ``DELETE FROM``, which the trigger refuses
    once the test (or a seed, or a live server's request) wrote an audit event; the failed
    flush then leaves the next tests a dirty database. During the test the triggers stay in
    force, so it meets the append-only log as editors do. At teardown, before the flush
    (``transactional_db`` is set up inside this fixture, so it is torn down after it), the
    log is emptied with the triggers lifted and put back.
    """
    if not is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    empty_audit_log()


@pytest.fixture
def home_page(db):
    """A published Persian HomePage as the default site's root."""
    locale = Locale.objects.get_or_create(language_code="fa")[0]
    # A transactional test after another one finds the tree's root flushed with the rest.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title=ROOT_TITLE, slug="root", locale=locale)
    )
    home = HomePageFactory(parent=root, slug="home-test")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "هدف"},
    )
    return home
