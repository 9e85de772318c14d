"""A mail server that is down never costs a submission, and the email goes out later, once.

The production task backend (django-tasks-db) runs here for real: the visitor's request
stores the submission and queues the email as a task row; ``db_worker --batch`` runs
it against a mail server that refuses connections; the task queues itself again with
a later ``run_after``; once that time has come (moved forward here) and the server
works, the worker sends the email exactly once.
"""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from participation import mail as hadaf_mail
from participation.dashboard.choices import Trigger
from participation.dashboard.models import IncentiveRule
from participation.ideas.choices import IdeaStatus
from participation.ideas.models import Idea
from participation.incentives import services as incentives
from participation.submissions.models import Submission
from site.settings import environment
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.participation.ideas.factories import add_idea_call, draft_idea
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REFUSING = "tests.participation.test_email_retry.RefusingEmailBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that is down: every connection is refused."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(autouse=True)
def database_tasks(monkeypatch):
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    # Certificates' PDFs are another task; these tests are about emails.
    monkeypatch.setattr(incentives, "queue_pdf", lambda certificate: None)
    with override_settings(TASKS=environment.tasks(environment.DATABASE_TASKS_BACKEND)):
        yield


def run_worker():
    """``manage.py db_worker --batch``: run every task that is due, then exit."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
        stdout=io.StringIO(),
    )


def waiting(task_name):
    """The queued (not yet run) rows of the task named ``task_name``."""
    return DBTaskResult.objects.filter(status="READY", task_path__endswith=f".{task_name}")


def make_due(rows):
    """Time passes: the retries' ``run_after`` is now."""
    rows.update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def assert_retried_later(task_name, attempt):
    row = waiting(task_name).get()
    assert row.args_kwargs["kwargs"]["attempt"] == attempt
    delay = hadaf_mail.RETRY_DELAYS[attempt - 2]
    # Queued at least the whole delay ahead (the test's own time only makes it later).
    assert row.run_after >= row.enqueued_at + delay - datetime.timedelta(seconds=1)
    assert row.run_after > timezone.now()
    return row


def deliver_when_the_server_is_back(task_name):
    """Make the retry due, run it with a working server; a second pass sends nothing."""
    make_due(waiting(task_name))
    with override_settings(EMAIL_BACKEND=WORKING):
        run_worker()
        sent = len(mail.outbox)
        run_worker()
    assert len(mail.outbox) == sent
    assert not waiting(task_name).exists()
    return sent


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


# Through the visitor's request ---------------------------------------------------------


def test_an_idea_submitted_while_mail_is_down_is_stored_and_emailed_later(calls):
    idea_call = add_idea_call(calls)
    author = UserFactory(email="maryam@ut.ac.ir")
    idea = draft_idea(idea_call, author)
    client = Client()
    client.force_login(author)
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = client.post(reverse("ideas:submit", args=[idea.uuid]))
        assert response.status_code == 302  # the author sees success…
        assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SUBMITTED  # …and it is stored
        run_worker()
    assert mail.outbox == []
    assert_retried_later("send_status_notice", attempt=2)

    assert deliver_when_the_server_is_back("send_status_notice") == 1
    assert mail.outbox[0].to == ["maryam@ut.ac.ir"]
    assert idea.title in mail.outbox[0].subject


def test_a_survey_response_while_mail_is_down_is_stored_and_its_award_emailed_later(calls):
    survey = SurveyCampaignPageFactory(parent=calls)
    IncentiveRule.objects.create(call=survey, trigger=Trigger.SURVEY_RESPONSE, kind="workshop")
    person = UserFactory(email="ali@ut.ac.ir")
    client = Client()
    client.force_login(person)
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = client.post(survey.url, {**valid_answers(), "_step": "1", "_action": "submit"})
        assert response.status_code == 302 and "thanks=1" in response["Location"]
        assert Submission.objects.filter(participant=person).count() == 1
        run_worker()
    assert mail.outbox == []
    assert_retried_later("send_notification_email", attempt=2)

    assert deliver_when_the_server_is_back("send_notification_email") == 1
    assert mail.outbox[0].to == ["ali@ut.ac.ir"]


# The back-off and giving up -------------------------------------------------------------


def test_each_failure_waits_longer_and_the_last_gives_up_with_an_error(calls, caplog):
    from participation.dashboard.notifications import notify

    person = UserFactory(email="sara@ut.ac.ir")
    with override_settings(EMAIL_BACKEND=REFUSING):
        notify(person, kind="award", title="جایزه", url="/")
        run_worker()
        for attempt in range(2, len(hadaf_mail.RETRY_DELAYS) + 2):
            assert_retried_later("send_notification_email", attempt)
            make_due(waiting("send_notification_email"))
            with caplog.at_level(logging.ERROR, logger="hadaf.mail"):
                run_worker()
    assert not waiting("send_notification_email").exists()
    assert mail.outbox == []
    assert "giving up" in caplog.text


def test_the_embedded_task_backend_logs_instead_of_failing_the_request(calls, caplog):
    from participation.dashboard.notifications import send_notification_email

    with override_settings(
        TASKS=environment.tasks(environment.IMMEDIATE_TASKS_BACKEND), EMAIL_BACKEND=REFUSING
    ):
        with caplog.at_level(logging.ERROR, logger="hadaf.mail"):
            result = send_notification_email.enqueue(0)  # no such notice: nothing to send
        assert result.status == "SUCCESSFUL"
        sent = hadaf_mail.send_or_retry(
            [("موضوع", "متن", "sara@ut.ac.ir")], task=send_notification_email, args=(0,)
        )
    assert sent is False
    assert "cannot retry later" in caplog.text


# Every notification task sends through the retry ----------------------------------------


def test_every_notification_task_queues_itself_again(calls, monkeypatch):
    """Each task, given something to send while the server is down, is queued again."""
    from participation.dashboard import notifications as dashboard
    from participation.drafts import notifications as drafts
    from participation.ideas import notifications as ideas
    from participation.privacy import tasks as privacy

    message = [("موضوع", "متن", "sara@ut.ac.ir")]
    monkeypatch.setattr(drafts, "decision_notice", lambda comment: message[0])
    monkeypatch.setattr(ideas, "status_notices", lambda idea: message)
    monkeypatch.setattr(dashboard, "notification_email", lambda notification: message[0][:2])
    person = UserFactory(email="sara@ut.ac.ir")
    idea_call = add_idea_call(calls)
    idea = draft_idea(idea_call, person)
    notice = dashboard.Notification.objects.create(person=person, kind="award", title="جایزه")
    comment = drafts.ClauseComment.objects.create(
        call_key=idea_call.call_key, round_number=1, clause_id="x", body="متن", author=person
    )
    with override_settings(EMAIL_BACKEND=REFUSING):
        assert drafts.send_decision_notice.call(comment.pk) is False
        assert ideas.send_status_notice.call(idea.pk) == 0
        assert dashboard.send_notification_email.call(notice.pk) is False
        assert privacy.send_erasure_notice.call("old@ut.ac.ir", "fa") is False
    for task_name in (
        "send_decision_notice",
        "send_status_notice",
        "send_notification_email",
        "send_erasure_notice",
    ):
        assert_retried_later(task_name, attempt=2)
    erasure = waiting("send_erasure_notice").get()
    assert erasure.args_kwargs["args"] == ["old@ut.ac.ir", "fa"]

    make_due(DBTaskResult.objects.filter(status="READY"))
    with override_settings(EMAIL_BACKEND=WORKING):
        run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "old@ut.ac.ir",
        "sara@ut.ac.ir",
        "sara@ut.ac.ir",
        "sara@ut.ac.ir",
    ]


def test_invitations_sent_while_mail_is_down_go_out_later(calls):
    from participation.choices import OrganizationKind
    from participation.ideas import services as ideas
    from participation.organizations import services as organizations
    from tests.people.factories import UniversityFactory

    author = UserFactory(email="maryam@ut.ac.ir")
    idea_call = add_idea_call(calls)
    idea = draft_idea(idea_call, author)
    organization = organizations.register(
        author,
        name="انجمن علمی فیزیک",
        kind=OrganizationKind.STUDENT_ASSOCIATION,
        university=UniversityFactory(),
    )
    with override_settings(EMAIL_BACKEND=REFUSING):
        ideas.invite_coauthor(idea, idea_call, author, "reza@ut.ac.ir")
        organizations.invite(organization, author, "sara@ut.ac.ir")
        run_worker()
    assert mail.outbox == []
    retries = DBTaskResult.objects.filter(status="READY", task_path__endswith=".send_invitation")
    assert retries.count() == 2
    assert all(row.args_kwargs["kwargs"]["attempt"] == 2 for row in retries)

    make_due(retries)
    with override_settings(EMAIL_BACKEND=WORKING):
        run_worker()
        run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == ["reza@ut.ac.ir", "sara@ut.ac.ir"]


def test_a_data_export_link_is_emailed_later_with_a_link_that_works(calls):
    from participation.privacy import services as privacy

    person = UserFactory(email="ali@ut.ac.ir")
    with override_settings(EMAIL_BACKEND=REFUSING):
        export = privacy.request_export(person, language="fa")
        run_worker()
    export.refresh_from_db()
    assert export.status == "ready"  # built and stored; only the email waits
    assert mail.outbox == []
    assert_retried_later("send_export_ready", attempt=2)

    assert deliver_when_the_server_is_back("send_export_ready") == 1
    link = next(word for word in mail.outbox[0].body.split() if "/privacy/export/" in word)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert privacy.export_for_token(token) == export
