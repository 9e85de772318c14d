"""Many simultaneous POSTs of one person's response store exactly one submission.

Runs the real view in N threads, each with its own database connection. SQLite's
in-memory test database cannot be shared by threads' connections, so the test is
skipped only there; with a file SQLite database or PostgreSQL it runs.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from participation.choices import AnonymityMode
from participation.submissions import mixing
from participation.submissions.models import (
    Answer,
    ParticipationReceipt,
    SealedBallot,
    Submission,
)
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

THREADS = 8


def in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


pytestmark = pytest.mark.django_db(transaction=True)


def post_at_once(page, user, count=THREADS, url=None, data=None):
    """POST the same complete response (or ``data`` to ``url``) from ``count`` threads
    released together."""
    session_client = Client()
    session_client.force_login(user)
    cookies = session_client.cookies
    start = threading.Barrier(count)
    statuses, errors = [], []
    url = url or page.url
    data = data or {**valid_answers(), "_step": "1", "_action": "submit"}

    def post():
        client = Client()
        client.cookies = cookies
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


@pytest.fixture
def calls(home_page):
    # Judged once the test database exists: its name says whether it is in memory.
    if in_memory_sqlite():
        pytest.skip(
            "SQLite's in-memory test database is not shared between threads' connections; "
            "run with DATABASE_URL=postgres://… (or a file SQLite database) to check this."
        )
    return CallIndexPageFactory(parent=home_page)


@pytest.mark.parametrize("anonymity", [AnonymityMode.NAMED, AnonymityMode.ANONYMOUS_VERIFIED])
def test_simultaneous_posts_store_one_submission(calls, anonymity):
    page = SurveyCampaignPageFactory(parent=calls, anonymity=anonymity)
    user = UserFactory()
    statuses = post_at_once(page, user)
    assert statuses == [302] * THREADS  # every request ends in a redirect, none in an error
    if anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        assert SealedBallot.objects.count() == 1  # one answer waits for its batch
        mixing.mix(page.call_key, closing=True)
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == Submission.objects.get().answers.count() == 16
    if anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        assert ParticipationReceipt.objects.filter(participant=user).count() == 1
        assert Submission.objects.get().participant is None


# Clause comments and replies: one stance per person and clause; an identical reply is one.


@pytest.fixture
def draft(calls, settings):
    from tests.participation.drafts.factories import add_draft

    settings.HADAF_MIN_FILL_SECONDS = 0  # the threads post the instant they start
    return add_draft(calls)


def test_simultaneous_comments_on_a_clause_store_one(draft):
    from participation.drafts.models import ClauseComment
    from tests.participation.drafts.factories import CLAUSE_A

    user = UserFactory()
    data = {"kind": "clause", "stance": "oppose", "body": "این بند مبهم است."}
    statuses = post_at_once(draft, user, url=f"{draft.url}clause/{CLAUSE_A}/", data=data)
    # One redirect to the new comment; the others the clause page saying it is already in.
    assert sorted(statuses) == [200] * (THREADS - 1) + [302]
    assert ClauseComment.objects.filter(author=user).count() == 1


def test_simultaneous_identical_replies_store_one(draft):
    from participation.drafts.models import ClauseComment
    from tests.participation.drafts.factories import comment_on

    comment = comment_on(draft, UserFactory())
    user = UserFactory()
    url = f"{draft.url}comments/{comment.uuid}/reply/"
    statuses = post_at_once(draft, user, url=url, data={"body": "موافقم؛ مهلت کوتاه است."})
    assert statuses == [302] * THREADS
    assert ClauseComment.objects.filter(parent=comment, author=user).count() == 1
