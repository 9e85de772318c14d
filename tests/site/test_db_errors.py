"""A lost database connection answers a clear 503, leaves nothing half-saved, and heals.

The fault is made two ways: a Django ``OperationalError`` raised where a query would
run (every database), and, on PostgreSQL, the request's own server connection killed
from a second connection in the middle of storing a response — what a PostgreSQL
restart looks like from the application.
"""

import sqlite3

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from participation.submissions import services as submission_services
from participation.submissions.models import Answer, Submission
from site import db_errors
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

SUBMIT = {"_step": "1", "_action": "submit"}


@pytest.fixture
def survey(home_page):
    return SurveyCampaignPageFactory(parent=CallIndexPageFactory(parent=home_page))


@pytest.fixture
def participant_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    return client


def post_response(client, page):
    return client.post(page.url, {**valid_answers(), **SUBMIT})


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(db_errors.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    with translation.override("fa"):
        assert gettext("The site is briefly unavailable") in html
    assert "Traceback" not in html and "OperationalError" not in html


def fail_on(target, name, monkeypatch, error=OperationalError):
    def broken(*args, **kwargs):
        # As Django raises it: its own error class, caused by the driver's.
        message = "server closed the connection unexpectedly"
        raise error(message) from psycopg.OperationalError(message)

    monkeypatch.setattr(target, name, broken)


# Errors raised by a view --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_connection_while_storing_a_response_answers_503_and_keeps_nothing(
    survey, participant_client, monkeypatch, error
):
    # After the submission row, before its answers: inside the response's transaction.
    fail_on(Answer.objects, "bulk_create", monkeypatch, error)
    response = post_response(participant_client, survey)
    assert_unavailable_page(response)
    assert not Submission.objects.exists()
    assert not Answer.objects.exists()

    monkeypatch.undo()
    again = post_response(participant_client, survey)
    assert again.status_code == 302 and "thanks=1" in again["Location"]
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_tally_rolls_back_the_whole_response(survey, participant_client, monkeypatch):
    fail_on(submission_services.tally, "record", monkeypatch)
    assert_unavailable_page(post_response(participant_client, survey))
    assert not Submission.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_page_that_cannot_read_answers_503_in_persian(survey, monkeypatch):
    from django.db.backends import utils

    url = survey.url
    fail_on(utils.CursorWrapper, "execute", monkeypatch)
    fail_on(utils.CursorDebugWrapper, "execute", monkeypatch)
    response = Client(raise_request_exception=False).get(url)
    monkeypatch.undo()
    assert_unavailable_page(response)
    assert "۵۰۳" in response.content.decode()
    assert Client().get(url).status_code == 200


@pytest.mark.django_db
def test_the_api_answers_503_in_json(home_page, monkeypatch):
    from django.db.backends import utils

    fail_on(utils.CursorWrapper, "execute", monkeypatch)
    fail_on(utils.CursorDebugWrapper, "execute", monkeypatch)
    response = Client(raise_request_exception=False).get("/api/v2/pages/")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response["Retry-After"] == str(db_errors.RETRY_AFTER_SECONDS)
    assert response.json()["error"]


@pytest.mark.django_db
def test_a_broken_query_is_a_500_not_an_outage(survey, participant_client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError('near "FROM": syntax error') from sqlite3.OperationalError()

    monkeypatch.setattr(Answer.objects, "bulk_create", broken)
    response = post_response(participant_client, survey)
    assert response.status_code == 500
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_other_errors_still_answer_500(survey, participant_client, monkeypatch):
    fail_on(Answer.objects, "bulk_create", monkeypatch, error=ValueError)
    response = post_response(participant_client, survey)
    assert response.status_code == 500
    assert not Submission.objects.exists()


# Errors raised outside views ------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_answers_503(survey, participant_client, monkeypatch):
    # The session middleware saves after the view: its error never reaches process_exception.
    fail_on(SessionStore, "save", monkeypatch)
    # Going on to the second step keeps the answers so far in the session.
    response = participant_client.post(
        survey.url, {**valid_answers(), "_step": "0", "_action": "next"}
    )
    monkeypatch.undo()
    assert_unavailable_page(response)
    assert participant_client.get(survey.url).status_code == 200


# A real connection killed mid-request (PostgreSQL) --------------------------------------


def kill_own_connection_first(original):
    """Wrap ``original`` so that the request's own PostgreSQL backend is terminated first."""

    def wrapped(*args, **kwargs):
        pid = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                # Waits (up to 10 s) until the backend has really gone.
                cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
        finally:
            other.close()
        return original(*args, **kwargs)

    return wrapped


@pytest.mark.django_db(transaction=True)
def test_a_killed_postgresql_connection_answers_503_and_the_next_request_reconnects(
    survey, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("terminating a server connection needs PostgreSQL")
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    client.get(survey.url)  # the participant opens the form
    monkeypatch.setattr(
        Answer.objects, "bulk_create", kill_own_connection_first(Answer.objects.bulk_create)
    )
    response = post_response(client, survey)
    monkeypatch.undo()
    assert_unavailable_page(response)
    # The server rolled the open transaction back: no response without its answers.
    assert not Submission.objects.exists()
    assert not Answer.objects.exists()

    again = post_response(client, survey)
    assert again.status_code == 302 and "thanks=1" in again["Location"]
    submission = Submission.objects.get()
    assert submission.answers.count() == Answer.objects.count() > 0
