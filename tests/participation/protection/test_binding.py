"""A signed form time belongs to whom the form was drawn for, and to its survey.

Found: the signed start time taken from one person's form was accepted in another
person's POST with no wait. Each test reads the time off a real page, lets the clock run
so it would pass the fill time, and sends it from someone else.
"""

import re

import pytest
from django.urls import reverse

from participation.drafts.models import ClauseComment
from participation.people.models import User
from participation.submissions.models import Submission
from tests.helpers.challenge import is_challenge
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

from .conftest import campus_client
from .test_limits import PASSWORD

pytestmark = pytest.mark.django_db


def hidden_value(response, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', response.content.decode())
    assert match, name
    return match.group(1)


def comment(rendered):
    return {
        "kind": "clause",
        "stance": "oppose",
        "body": "این بند روشن نیست.",
        "form_rendered": rendered,
    }


def survey_post(started_at):
    return {**valid_answers(), "started_at": started_at, "_step": "1", "_action": "submit"}


def test_a_comment_forms_time_works_only_for_the_person_it_was_drawn_for(clock, draft):
    url = f"{draft.url}clause/{next(iter(draft_clauses(draft)))}/"
    owner, other = campus_client(UserFactory()), campus_client(UserFactory())
    rendered = hidden_value(owner.get(url), "form_rendered")
    clock.advance(60)
    assert is_challenge(other.post(url, comment(rendered)))
    assert not ClauseComment.objects.exists()
    assert owner.post(url, comment(rendered)).status_code == 302
    assert ClauseComment.objects.count() == 1


def draft_clauses(draft):
    from participation.drafts.outline import commentable, outline_of

    return commentable(outline_of(draft.draft_text))


def test_a_surveys_start_time_works_only_for_its_person_and_its_survey(clock, survey, calls):
    owner, other = campus_client(UserFactory()), campus_client(UserFactory())
    started_at = hidden_value(owner.get(survey.url), "started_at")
    clock.advance(600)
    assert is_challenge(other.post(survey.url, survey_post(started_at)))
    another_survey = SurveyCampaignPageFactory(parent=calls)
    assert is_challenge(owner.post(another_survey.url, survey_post(started_at)))
    assert not Submission.objects.exists()
    assert owner.post(survey.url, survey_post(started_at)).status_code == 302
    assert Submission.objects.count() == 1


def test_a_sign_up_forms_time_does_not_travel_to_fresh_cookies(clock, mailoutbox):
    url = reverse("account_signup")
    first = campus_client()
    rendered = hidden_value(first.get(url), "form_rendered")
    clock.advance(60)
    data = {
        "first_name": "رضا",
        "last_name": "کریمی",
        "email": "reza@gmail.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "student",
        "university": "",
        "form_rendered": rendered,
    }
    fresh = campus_client()
    fresh.get(url)  # new cookies, but the old form's time
    assert is_challenge(fresh.post(url, data))
    assert not User.objects.exists()
    assert first.post(url, data).status_code == 302
    assert User.objects.count() == 1
