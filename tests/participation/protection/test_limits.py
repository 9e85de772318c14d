"""Rate limits: 429 with Retry-After on every protected POST, per account and per browser,
and a campus behind one NAT address is not blocked together."""

import itertools
from dataclasses import dataclass

import pytest
from django.urls import reverse

from participation.choices import OrganizationKind
from participation.drafts.models import ClauseComment
from participation.ideas.models import Idea
from participation.organizations import services as organization_services
from participation.people.models import User
from participation.protection import limits
from participation.submissions.models import Submission
from tests.helpers.challenge import hidden_fields, is_challenge, right_answer
from tests.participation.drafts.factories import CLAUSE_A, CLAUSE_B, comment_on
from tests.participation.factories import valid_answers
from tests.participation.ideas.factories import QUESTION_TEAM, THEME_CULTURE
from tests.people.factories import UniversityFactory, UserFactory

from .conftest import campus_client, shown

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-Passphrase-1404"
_numbers = itertools.count()


def survey_submission():
    return {**valid_answers(), "_step": "1", "_action": "submit"}


def comment_data(clock, clause=CLAUSE_A):
    return {
        "kind": "clause",
        "stance": "oppose",
        "body": "این بند روشن نیست.",
        "form_rendered": shown(clock, 60),
    }


def idea_data(clock):
    return {
        "kind": "idea",
        "category": THEME_CULTURE,
        "title": "کارگاه داستان‌نویسی",
        "summary": "کارگاه ماهانه داستان‌نویسی برای دانشجویان.",
        "body": "",
        f"q_{QUESTION_TEAM}": "سه دانشجوی ادبیات",
        "form_rendered": shown(clock, 60),
    }


@dataclass
class Endpoint:
    """A protected POST: who sends it, where, with what (new data for every request)."""

    browser: object
    url: str
    data: object  # a function of the clock
    limit: int  # the smallest per-minute limit of its scope


def _survey(request, clock):
    return Endpoint(
        request.getfixturevalue("person_client"),
        request.getfixturevalue("survey").url,
        lambda: survey_submission(),
        30,
    )


def _comment(request, clock):
    draft = request.getfixturevalue("draft")
    return Endpoint(
        request.getfixturevalue("person_client"),
        f"{draft.url}clause/{CLAUSE_A}/",
        lambda: comment_data(clock),
        5,
    )


def _vote(request, clock):
    draft = request.getfixturevalue("draft")
    comment = comment_on(draft, UserFactory())
    return Endpoint(
        request.getfixturevalue("person_client"),
        f"{draft.url}comments/{comment.uuid}/vote/",
        lambda: {"value": "1"},
        30,
    )


def _new_idea(request, clock):
    page = request.getfixturevalue("idea_call")
    return Endpoint(
        request.getfixturevalue("person_client"), page.url + "new/", lambda: idea_data(clock), 3
    )


def _own_idea(request, clock):
    person = request.getfixturevalue("person")
    page = request.getfixturevalue("idea_call")
    browser = request.getfixturevalue("person_client")
    browser.post(page.url + "new/", idea_data(clock))
    return Idea.objects.get(authors__person=person), browser


def _edit_idea(request, clock):
    idea, browser = _own_idea(request, clock)
    return Endpoint(browser, reverse("ideas:edit", args=[idea.uuid]), lambda: idea_data(clock), 20)


def _attachment(request, clock):
    idea, _browser = _own_idea(request, clock)
    browser = campus_client(request.getfixturevalue("person"), HTTP_ACCEPT="application/json")
    return Endpoint(browser, reverse("ideas:upload", args=[idea.uuid]), lambda: {}, 10)


def _register_organization(request, clock):
    university = UniversityFactory()
    return Endpoint(
        request.getfixturevalue("person_client"),
        reverse("organizations:register"),
        lambda: {
            "name": f"انجمن شماره {next(_numbers)}",
            "kind": OrganizationKind.STUDENT_ASSOCIATION,
            "university": university.pk,
            "description": "انجمن علمی دانشجویان",
            "form_rendered": shown(clock, 60),
        },
        2,
    )


def _invite(request, clock):
    person = request.getfixturevalue("person")
    organization = organization_services.register(
        person,
        name="انجمن علمی فیزیک",
        kind=OrganizationKind.STUDENT_ASSOCIATION,
        university=UniversityFactory(),
    )
    return Endpoint(
        request.getfixturevalue("person_client"),
        reverse("organizations:invite", args=[organization.pk]),
        lambda: {"email": f"member{next(_numbers)}@ut.ac.ir"},
        10,
    )


def anonymous_browser(url):
    """A browser not signed in that has opened the form (so it has its CSRF cookie)."""
    browser = campus_client()
    browser.get(url)
    return browser


def _signup(request, clock):
    return Endpoint(
        anonymous_browser(reverse("account_signup")),
        reverse("account_signup"),
        lambda: {
            "first_name": "رضا",
            "last_name": "کریمی",
            "email": f"new{next(_numbers)}@gmail.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "student",
            "university": "",
            "form_rendered": shown(clock, 60),
        },
        5,
    )


def _login(request, clock):
    return Endpoint(
        anonymous_browser(reverse("account_login")),
        reverse("account_login"),
        lambda: {"login": "someone@gmail.com", "password": "wrong-password"},
        10,
    )


def _password_reset(request, clock):
    return Endpoint(
        anonymous_browser(reverse("account_reset_password")),
        reverse("account_reset_password"),
        lambda: {"email": f"forgot{next(_numbers)}@gmail.com"},
        5,
    )


ENDPOINTS = {
    "survey": _survey,
    "clause comment": _comment,
    "vote on a comment": _vote,
    "new idea": _new_idea,
    "idea edit": _edit_idea,
    "attachment": _attachment,
    "organization registration": _register_organization,
    "organization invitation": _invite,
    "sign-up": _signup,
    "sign-in": _login,
    "password reset": _password_reset,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_each_protected_post_answers_429_with_retry_after_over_its_limit(
    request, clock, endpoint, mailoutbox
):
    target = endpoint(request, clock)
    for _attempt in range(target.limit):
        response = target.browser.post(target.url, target.data())
        assert response.status_code != 429
    limited = target.browser.post(target.url, target.data())
    assert limited.status_code == 429
    retry_after = int(limited["Retry-After"])
    assert 1 <= retry_after <= 60
    # Retry-After is the truth: once that many seconds have passed, the POST goes through.
    clock.advance(retry_after - 1)
    assert target.browser.post(target.url, target.data()).status_code == 429
    clock.advance(1)
    assert target.browser.post(target.url, target.data()).status_code != 429


def test_the_429_page_keeps_the_answers_to_send_again(clock, draft, person_client):
    url = f"{draft.url}clause/{CLAUSE_A}/"
    for _attempt in range(5):
        person_client.post(url, comment_data(clock))
    limited = person_client.post(url, {**comment_data(clock), "body": "متن بلند من"})
    html = limited.content.decode()
    assert limited.status_code == 429
    assert "درخواست‌های زیادی" in html
    assert ("body", "متن بلند من") in hidden_fields(limited)
    assert f'action="{url}"' in html
    assert limited["Cache-Control"] == "private, no-store"


def test_an_upload_over_the_limit_answers_json(clock, request):
    target = _attachment(request, clock)
    for _attempt in range(target.limit):
        target.browser.post(target.url)
    limited = target.browser.post(target.url)
    assert limited.status_code == 429
    assert limited.json()["retry_after"] == int(limited["Retry-After"])


# A campus behind one NAT address ----------------------------------------------------------


def test_two_hundred_people_behind_one_address_all_answer_a_survey(survey):
    statuses = []
    for _person in range(200):
        browser = campus_client(UserFactory(role="student"))
        statuses.append(browser.post(survey.url, survey_submission()).status_code)
    assert statuses.count(302) == 200
    assert Submission.objects.filter(call_key=survey.call_key).count() == 200


def test_one_person_over_their_limit_does_not_stop_another_on_the_same_address(
    clock, draft, person_client
):
    url = f"{draft.url}clause/{CLAUSE_B}/"
    for _attempt in range(5):
        person_client.post(url, comment_data(clock))
    assert person_client.post(url, comment_data(clock)).status_code == 429
    neighbour = campus_client(UserFactory(role="student"))
    assert neighbour.post(url, comment_data(clock)).status_code == 302
    assert ClauseComment.objects.filter(clause_id=CLAUSE_B).count() == 2


def test_one_abusive_browser_on_a_nat_trips_its_own_limit_not_the_address(clock, request):
    target = _signup(request, clock)
    for _attempt in range(5):
        assert target.browser.post(target.url, target.data()).status_code == 302
    assert target.browser.post(target.url, target.data()).status_code == 429
    other = anonymous_browser(target.url)
    assert other.post(target.url, target.data()).status_code == 302
    assert User.objects.count() == 6


def test_limits_are_counted_per_address_not_per_proxy(settings, clock, draft, monkeypatch):
    """Behind our proxy, the client's address (X-Forwarded-For) is the key, not the proxy's."""
    settings.HADAF_TRUSTED_PROXIES = 1
    scope = limits.Scope("comment", (limits.Rule(limits.IP, "2/m", soft=True),), honeypot=True)
    monkeypatch.setitem(limits.SCOPES, "comment", scope)
    url = f"{draft.url}clause/{CLAUSE_A}/"
    for number in range(3):
        browser = campus_client(UserFactory(), HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
        assert browser.post(url, comment_data(clock)).status_code == 302
    assert ClauseComment.objects.count() == 3


def test_fresh_cookies_do_not_escape_the_addresss_sign_up_limit(clock, request, mailoutbox):
    """Found: after a browser's five sign-ups, seven more in the same minute went through
    from the same address, each with fresh cookies. The address's own limit now asks the
    challenge from the eleventh sign-up in a minute; a person answers it and goes on."""
    url = reverse("account_signup")
    statuses = []
    for _browser in range(12):
        target = _signup(request, clock)  # a new browser: new cookies, its own form
        statuses.append(target.browser.post(url, target.data()).status_code)
    assert statuses == [302] * 10 + [429] * 2
    assert User.objects.count() == 10
    # Elsewhere, nobody is held up.
    elsewhere = campus_client(ip="5.160.10.20")
    elsewhere.get(url)
    assert elsewhere.post(url, target.data()).status_code == 302
    # A person on the campus answers one question and is signed up.
    person = _signup(request, clock)
    asked = person.browser.post(url, person.data())
    assert asked.status_code == 429 and is_challenge(asked)
    data = {**dict(hidden_fields(asked)), "password1": PASSWORD, "password2": PASSWORD}
    data["challenge_answer"] = str(right_answer(asked))  # passwords are typed again
    assert person.browser.post(url, data).status_code == 302
    assert User.objects.count() == 12


def test_a_script_solving_the_challenge_is_stopped_by_the_addresss_hard_sign_up_limit():
    scope = limits.scope("signup")
    hard = [rule for rule in scope.rules if rule.key == limits.IP and not rule.soft]
    soft = [rule for rule in scope.rules if rule.key == limits.IP and rule.soft]
    assert hard and soft  # the challenge is passed per browser; the backstop is not
