"""The honeypot and the minimum fill time: robots store nothing and are logged; people pass."""

import datetime
import logging

import pytest
from django.urls import reverse

from participation.drafts.models import ClauseComment
from participation.ideas.models import Idea
from participation.people.models import Organization, User
from participation.protection import traps
from participation.questions.forms import sign_started_at
from participation.submissions.models import Submission
from tests.helpers.challenge import hidden_fields, is_challenge
from tests.participation.drafts.factories import CLAUSE_A
from tests.participation.factories import valid_answers
from tests.people.factories import UniversityFactory

from .conftest import campus_client, shown
from .test_limits import PASSWORD, comment_data, idea_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="hadaf.security")
    return caplog


def refusals(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "hadaf.security"]


def clause_url(draft):
    return f"{draft.url}clause/{CLAUSE_A}/"


def test_the_comment_form_draws_both_traps_out_of_peoples_way(draft, person_client):
    html = person_client.get(clause_url(draft)).content.decode()
    assert '<div class="account-honeypot" aria-hidden="true">' in html
    assert (
        '<input type="text" name="website" id="id_website" tabindex="-1" autocomplete="off">'
        in html
    )
    assert '<label for="id_website">' in html
    assert 'type="hidden" name="form_rendered"' in html


def test_a_comment_at_human_speed_is_stored(clock, draft, person_client, security_log):
    response = person_client.post(clause_url(draft), comment_data(clock))
    assert response.status_code == 302
    assert ClauseComment.objects.count() == 1
    assert not refusals(security_log)


@pytest.mark.parametrize(
    ("change", "trap"),
    [
        ({"website": "http://cheap-pills.example"}, "honeypot"),
        ({"form_rendered": "seconds"}, "no-timestamp"),
        ({"form_rendered": ""}, "no-timestamp"),
    ],
    ids=["honeypot filled", "forged timestamp", "no timestamp"],
)
def test_a_robot_stores_nothing_is_logged_and_keeps_its_answers(
    clock, draft, person_client, security_log, change, trap
):
    response = person_client.post(clause_url(draft), {**comment_data(clock), **change})
    assert response.status_code == 400
    assert is_challenge(response)
    assert ("body", "این بند روشن نیست.") in hidden_fields(response)
    assert "website" not in dict(hidden_fields(response))
    assert not ClauseComment.objects.exists()
    assert any(f"bot trap ({trap})" in message for message in refusals(security_log))


def test_a_timestamp_signed_with_another_key_is_refused(clock, draft, person_client):
    forged = sign_started_at()  # signed, but for another purpose (another salt)
    response = person_client.post(
        clause_url(draft), {**comment_data(clock), "form_rendered": forged}
    )
    assert is_challenge(response)
    assert not ClauseComment.objects.exists()


def test_a_form_sent_too_fast_stores_nothing(clock, draft, person_client, security_log):
    too_fast = {**comment_data(clock), "form_rendered": shown(clock, 2)}
    response = person_client.post(clause_url(draft), too_fast)
    assert is_challenge(response)
    assert not ClauseComment.objects.exists()
    assert any("bot trap (too-fast)" in message for message in refusals(security_log))


def test_the_same_form_sent_after_the_minimum_is_stored(clock, draft, person_client):
    data = {**comment_data(clock), "form_rendered": shown(clock, 0)}
    clock.advance(traps.min_fill_seconds())
    assert person_client.post(clause_url(draft), data).status_code == 302
    assert ClauseComment.objects.count() == 1


def test_a_form_left_open_for_days_still_works(clock, draft, person_client):
    data = {**comment_data(clock), "form_rendered": shown(clock, 3 * 24 * 60 * 60)}
    assert person_client.post(clause_url(draft), data).status_code == 302


def test_an_invalid_form_shown_again_keeps_its_render_time(clock, draft, person_client):
    """Correcting an error and sending at once is not "too fast": the clock started earlier."""
    rendered = person_client.bind("form_rendered", shown(clock, 60), clause_url(draft))
    response = person_client.post(
        clause_url(draft), {"kind": "clause", "stance": "", "form_rendered": rendered}
    )
    assert response.status_code == 200
    assert f'name="form_rendered" value="{rendered}"' in response.content.decode()


# The other forms ------------------------------------------------------------------------


def survey_data(started, action="submit", step="1"):
    return {**valid_answers(), "started_at": started, "_step": step, "_action": action}


def test_a_survey_sent_too_fast_stores_nothing(clock, survey, person_client):
    just_now = datetime.datetime.fromtimestamp(clock.now - 1, tz=datetime.UTC)
    response = person_client.post(survey.url, survey_data(sign_started_at(just_now)))
    assert is_challenge(response)
    assert not Submission.objects.exists()


def test_a_survey_counts_its_time_from_the_first_step(clock, survey, person_client):
    """Moving on from a step quickly is fine; the last step needs the whole form's time."""
    just_now = datetime.datetime.fromtimestamp(clock.now - 1, tz=datetime.UTC)
    first_step = person_client.post(survey.url, survey_data(sign_started_at(just_now), "next", "0"))
    assert first_step.status_code == 302
    clock.advance(60)
    assert person_client.post(survey.url, survey_data(sign_started_at(just_now))).status_code == 302
    assert Submission.objects.count() == 1


def test_a_survey_with_the_honeypot_filled_stores_nothing(survey, person_client):
    started = sign_started_at(
        datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=5)
    )
    response = person_client.post(survey.url, {**survey_data(started), "website": "x"})
    assert is_challenge(response)
    assert not Submission.objects.exists()


def test_the_survey_form_draws_the_honeypot(survey, person_client):
    html = person_client.get(survey.url).content.decode()
    assert 'name="website"' in html and 'aria-hidden="true"' in html


def test_an_idea_sent_too_fast_stores_nothing(clock, idea_call, person_client):
    response = person_client.post(
        idea_call.url + "new/", {**idea_data(clock), "form_rendered": shown(clock, 1)}
    )
    assert is_challenge(response)
    assert not Idea.objects.exists()
    assert person_client.post(idea_call.url + "new/", idea_data(clock)).status_code == 302
    assert Idea.objects.count() == 1


def test_the_idea_form_draws_the_traps_once(idea_call, person_client):
    html = person_client.get(idea_call.url + "new/").content.decode()
    assert html.count('name="website"') == 1
    assert html.count('name="form_rendered"') == 1


def test_an_organization_registered_by_a_robot_is_not_stored(clock, person_client):
    data = {
        "name": "انجمن علمی شیمی",
        "kind": "student_association",
        "university": UniversityFactory().pk,
        "description": "انجمن دانشجویان شیمی",
        "form_rendered": shown(clock, 60),
        "website": "spam",
    }
    url = reverse("organizations:register")
    assert is_challenge(person_client.post(url, data))
    assert not Organization.objects.exists()
    html = person_client.get(url).content.decode()
    assert html.count('name="website"') == 1


def signup_data(clock, seconds_ago, **overrides):
    return {
        "first_name": "رضا",
        "last_name": "کریمی",
        "email": "reza@gmail.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "student",
        "university": "",
        "form_rendered": shown(clock, seconds_ago),
        **overrides,
    }


def test_a_sign_up_sent_too_fast_creates_no_account(clock, mailoutbox):
    browser = campus_client()
    response = browser.post(reverse("account_signup"), signup_data(clock, 1))
    assert is_challenge(response)
    assert not User.objects.exists()
    assert not mailoutbox
    # Passwords are never written into the page; the person types theirs again.
    assert not [name for name, _value in hidden_fields(response) if "password" in name]
    assert ("email", "reza@gmail.com") in hidden_fields(response)


def test_a_sign_up_at_human_speed_goes_through(clock, mailoutbox):
    browser = campus_client()
    html = browser.get(reverse("account_signup")).content.decode()
    assert 'name="form_rendered"' in html and html.count('name="website"') == 1
    assert browser.post(reverse("account_signup"), signup_data(clock, 20)).status_code == 302
    assert User.objects.filter(email="reza@gmail.com").exists()


def test_allauths_own_honeypot_still_answers_a_robot_with_a_fake_success(clock, mailoutbox):
    browser = campus_client()
    browser.get(reverse("account_signup"))  # its CSRF cookie, which every form POST needs
    response = browser.post(reverse("account_signup"), signup_data(clock, 20, website="x"))
    assert response.status_code == 302
    assert not User.objects.exists()


def test_changing_a_sent_survey_response_quickly_is_fine(clock, survey, person_client):
    long_ago = datetime.datetime.fromtimestamp(clock.now - 600, tz=datetime.UTC)
    assert person_client.post(survey.url, survey_data(sign_started_at(long_ago))).status_code == 302
    just_now = datetime.datetime.fromtimestamp(clock.now - 1, tz=datetime.UTC)
    edited = person_client.post(survey.url + "?edit=1", survey_data(sign_started_at(just_now)))
    assert edited.status_code == 302
    assert "updated=1" in edited["Location"]
    assert Submission.objects.count() == 1
