"""A form sent twice stores once, and the second sending gets a friendly page, never a 500.

Double click (the same body twice), refresh after the POST (the browser repeats the GET
the POST redirected to), two tabs (two forms loaded, both sent), for survey responses,
clause comments and replies. The concurrent versions (threads, PostgreSQL) are in
test_submission_concurrency.py; the real browser's double click in
tests/browser/test_double_submit.py.
"""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.choices import AnonymityMode
from participation.drafts.models import ClauseComment
from participation.submissions import mixing
from participation.submissions.models import (
    Answer,
    ParticipationReceipt,
    SealedBallot,
    Submission,
)
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft, comment_on
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER_ROWS = 16  # valid_answers() as stored
SUBMIT = {"_step": "1", "_action": "submit"}


def fa(msgid):
    with translation.override("fa"):
        return escape(gettext(msgid))


@pytest.fixture(autouse=True)
def no_fill_time_minimum(settings):
    # The test client sends a form the instant it has it; people take longer.
    settings.HADAF_MIN_FILL_SECONDS = 0


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def person(db):
    return UserFactory(role="student")


@pytest.fixture
def person_client(person):
    client = Client()
    client.force_login(person)
    return client


def started_at_of(html):
    """The signed start time of the form on a page, as the browser would send it back."""
    return re.search(r'name="started_at" value="([^"]+)"', html).group(1)


def assert_already_received(client, response):
    """A redirect to the page that says the response is already in (and how to edit it)."""
    assert response.status_code == 302
    assert "thanks" not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert fa("We have already received your response.") in html
    assert "survey-form" not in html


# Survey responses ---------------------------------------------------------------------------


@pytest.mark.parametrize("anonymity", [AnonymityMode.NAMED, AnonymityMode.ANONYMOUS_VERIFIED])
def test_a_double_click_stores_one_response_and_says_it_is_in(calls, person_client, anonymity):
    survey = SurveyCampaignPageFactory(parent=calls, anonymity=anonymity)
    body = {**valid_answers(), **SUBMIT}
    first = person_client.post(survey.url, body)
    second = person_client.post(survey.url, body)  # the same body: the same CSRF token too
    assert first.status_code == 302 and "thanks=1" in first["Location"]
    assert_already_received(person_client, second)
    if anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        assert ParticipationReceipt.objects.count() == SealedBallot.objects.count() == 1
        mixing.mix(survey.call_key, closing=True)  # its batch opens
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == ANSWER_ROWS


def test_refreshing_after_sending_repeats_the_thank_you_page_only(calls, person_client):
    survey = SurveyCampaignPageFactory(parent=calls)
    response = person_client.post(survey.url, {**valid_answers(), **SUBMIT})
    # POST/redirect/GET: what the browser shows, and repeats on refresh, is a GET.
    assert response.status_code == 302
    for _refresh in range(2):
        thanks = person_client.get(response["Location"])
        assert thanks.status_code == 200
        assert "survey-thanks" in thanks.content.decode()
    assert Submission.objects.count() == 1


def test_two_tabs_store_one_response_and_the_second_tab_is_told(calls, person_client):
    survey = SurveyCampaignPageFactory(parent=calls)
    first_tab = person_client.get(survey.url).content.decode()
    second_tab = person_client.get(survey.url).content.decode()
    first = person_client.post(
        survey.url, {**valid_answers(), **SUBMIT, "started_at": started_at_of(first_tab)}
    )
    second = person_client.post(
        survey.url, {**valid_answers(), **SUBMIT, "started_at": started_at_of(second_tab)}
    )
    assert first.status_code == 302 and "thanks=1" in first["Location"]
    assert_already_received(person_client, second)
    assert Submission.objects.count() == 1


def test_a_second_tab_left_on_an_earlier_step_is_told_too(calls, person_client):
    survey = SurveyCampaignPageFactory(parent=calls)
    person_client.post(survey.url, {**valid_answers(), **SUBMIT})
    # The other tab still shows step 1 and sends it ("next").
    step = person_client.post(survey.url, {**valid_answers(), "_step": "0", "_action": "next"})
    assert_already_received(person_client, step)
    assert Submission.objects.count() == 1


# Clause comments and replies -------------------------------------------------------------------


@pytest.fixture
def draft(calls):
    return add_draft(calls)


def clause_url(page, clause_id=CLAUSE_A):
    return f"{page.url}clause/{clause_id}/"


def test_a_comment_sent_twice_stores_once_and_the_second_is_told_kindly(draft, person_client):
    body = {"kind": "clause", "stance": "oppose", "body": "این بند مبهم است."}
    first = person_client.post(clause_url(draft), body)
    second = person_client.post(clause_url(draft), body)
    assert first.status_code == 302
    assert second.status_code == 200  # the clause page with the reason, not an error page
    assert fa("You have already commented on this clause in this round.") in (
        second.content.decode()
    )
    assert ClauseComment.objects.count() == 1


def test_refreshing_after_a_comment_repeats_the_clause_page_only(draft, person_client):
    response = person_client.post(
        clause_url(draft), {"kind": "clause", "stance": "agree", "body": ""}
    )
    assert response.status_code == 302
    for _refresh in range(2):
        assert person_client.get(response["Location"]).status_code == 200
    assert ClauseComment.objects.count() == 1


def test_a_reply_sent_twice_stores_once(draft, person_client):
    """Replies may be many per person, but the same words twice in a row are one reply."""
    comment = comment_on(draft, UserFactory())
    url = f"{draft.url}comments/{comment.uuid}/reply/"
    for _click in range(2):
        response = person_client.post(url, {"body": "موافقم؛ مهلت کوتاه است."})
        assert response.status_code == 302
    assert ClauseComment.objects.filter(parent=comment).count() == 1
    # A different reply is a new one.
    person_client.post(url, {"body": "و یک نکتهٔ دیگر."})
    assert ClauseComment.objects.filter(parent=comment).count() == 2
