"""Jurors hear of their reviews by email and find them from the header and the dashboard."""

import pytest
from django.core import mail
from django.urls import reverse

from participation.ideas import jury
from tests.people.factories import UserFactory

from .test_jury import idea_in_review, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def jurors(universities):
    return [
        UserFactory(email=f"juror{n}@shirazu.ac.ir", university=universities[n % 2 + 1])
        for n in range(3)
    ]


def test_each_juror_given_reviews_is_emailed_once_after_commit(
    idea_call, author, jurors, editor, django_capture_on_commit_callbacks
):
    seat(idea_call, *jurors)
    for number in range(3):
        idea_in_review(idea_call, author, title=f"ایده {number}")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = jury.assign_reviewers(idea_call, actor=editor)
    assert report.created == 6 and mail.outbox == []  # Nothing before the commit.
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [j.email for j in jurors]
    message = mail.outbox[0]
    assert idea_call.title in message.subject
    assert f"http://testserver{reverse('ideas:jury')}" in message.body
    assert "۲" in message.body  # Two reviews each, in Persian digits (the call's language).

    # Assigning again makes no new reviews: nobody is emailed a second time.
    with django_capture_on_commit_callbacks(execute=True):
        assert jury.assign_reviewers(idea_call, actor=editor).created == 0
    assert len(mail.outbox) == 3


def test_the_header_and_the_dashboard_link_a_juror_to_their_reviews(client, idea_call, jurors):
    seat(idea_call, jurors[0])
    jury_url = reverse("ideas:jury")
    client.force_login(jurors[0])
    home = client.get(reverse("dashboard:index")).content.decode()
    assert home.count(f'href="{jury_url}"') >= 2  # The header and the dashboard's sections.

    client.force_login(jurors[1])  # Not on any jury: no link.
    assert f'href="{jury_url}"' not in client.get(reverse("dashboard:index")).content.decode()
