"""Multi-step anonymous-verified responses keep no answer on the server until they are sent.

The session names the account, so the answers of earlier steps travel in a signed hidden
field (re-posted with each step) instead of the session (docs/privacy.md).
"""

import re

import pytest
from django.contrib.sessions.models import Session

from participation.choices import AnonymityMode, Role
from participation.submissions import mixing
from participation.submissions.models import Answer, ParticipationReceipt, Submission
from participation.surveys.views import CARRIED_FIELD
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import Q, SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER_ROWS = 16  # valid_answers(): one row per answer, choice, ranked item and matrix row
FIRST_STEP = {"major", "attended", "story", "hours", "last_event"}


@pytest.fixture
def page(home_page):
    calls = CallIndexPageFactory(parent=home_page)
    return SurveyCampaignPageFactory(parent=calls, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)


@pytest.fixture
def student_client(client):
    client.force_login(UserFactory(role=Role.STUDENT))
    return client


def split_answers():
    """The valid answers of the first step, of the second, and the signed start time."""
    answers = valid_answers()
    started_at = answers.pop("started_at")
    first_names = {f"q_{Q[key]}" for key in FIRST_STEP}
    first = {k: v for k, v in answers.items() if k in first_names}
    second = {k: v for k, v in answers.items() if k not in first_names}
    return first, second, started_at


def answer_values(*parts):
    """Every answer value posted, as strings (choice ids, texts, numbers)."""
    values = set()
    for part in parts:
        for value in part.values():
            values.update(value if isinstance(value, list) else [value])
    return values


def all_sessions_text():
    """Every session in the store, decoded."""
    return [str(session.get_decoded()) for session in Session.objects.all()]


def assert_sessions_hold_none_of(values):
    texts = all_sessions_text()
    assert texts  # the participant's session is there, signed in
    for text in texts:
        assert "draft" not in text
        # Short values ("4", "on") could be part of anything; the distinctive ones can't.
        for value in values:
            if len(value) > 2:
                assert value not in text, value


def carried_of(response):
    html = response.content.decode()
    match = re.search(rf'name="{CARRIED_FIELD}" value="([^"]+)"', html)
    assert match, html[-2000:]
    return match.group(1)


def test_earlier_steps_travel_in_the_form_not_the_session(student_client, page):
    first, second, started_at = split_answers()
    values = answer_values(first, second)
    response = student_client.post(
        page.url, {**first, "started_at": started_at, "_step": "0", "_action": "next"}
    )
    # The next step is shown at once (no redirect: nothing to find it again by).
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'name="q_{Q["interests"]}"' in html and 'name="_step" value="1"' in html
    carried = carried_of(response)
    assert_sessions_hold_none_of(values)
    # Back to the first step: its answers come back from the form, still not the session.
    back = student_client.post(
        page.url,
        {
            f"q_{Q['recommend']}": "9",
            CARRIED_FIELD: carried,
            "started_at": started_at,
            "_step": "1",
            "_action": "back",
        },
    )
    assert back.status_code == 200
    assert "جشنوارهٔ تئاتر" in back.content.decode()
    assert_sessions_hold_none_of(values)
    response = student_client.post(
        page.url,
        {
            **first,
            CARRIED_FIELD: carried_of(back),
            "started_at": started_at,
            "_step": "0",
            "_action": "next",
        },
    )
    assert_sessions_hold_none_of(values)
    assert Submission.objects.count() == 0
    sent = student_client.post(
        page.url,
        {
            **second,
            CARRIED_FIELD: carried_of(response),
            "started_at": started_at,
            "_step": "1",
            "_action": "submit",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[-3000:]
    assert_sessions_hold_none_of(values)
    mixing.mix(page.call_key, closing=True)  # the sealed answers' batch opens
    submission = Submission.objects.get()
    assert submission.participant is None
    assert submission.answers.count() == ANSWER_ROWS
    texts = {answer.question_id: answer.text for answer in submission.answers.all()}
    assert texts[Q["story"]] == "جشنوارهٔ تئاتر"
    assert_sessions_hold_none_of(values)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda value: value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
        lambda value: "x" + value,
        lambda value: "not signed at all",
    ],
)
def test_changed_carried_answers_are_refused(student_client, page, tamper):
    first, second, started_at = split_answers()
    response = student_client.post(
        page.url, {**first, "started_at": started_at, "_step": "0", "_action": "next"}
    )
    refused = student_client.post(
        page.url,
        {
            **second,
            CARRIED_FIELD: tamper(carried_of(response)),
            "started_at": started_at,
            "_step": "1",
            "_action": "submit",
        },
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert refused.status_code == 400
    assert "این فرم تغییر کرده یا منقضی شده است" in refused.content.decode()  # translated
    assert Submission.objects.count() == 0
    assert Answer.objects.count() == 0
    assert ParticipationReceipt.objects.count() == 0


def test_carried_answers_of_another_person_are_refused(client, page):
    first, second, started_at = split_answers()
    client.force_login(UserFactory(role=Role.STUDENT))
    carried = carried_of(
        client.post(page.url, {**first, "started_at": started_at, "_step": "0", "_action": "next"})
    )
    client.force_login(UserFactory(role=Role.STUDENT))
    refused = client.post(
        page.url,
        {
            **second,
            CARRIED_FIELD: carried,
            "started_at": started_at,
            "_step": "1",
            "_action": "submit",
        },
    )
    assert refused.status_code == 400
    assert "این فرم تغییر کرده یا منقضی شده است" in refused.content.decode()
    assert Submission.objects.count() == 0
