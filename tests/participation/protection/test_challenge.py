"""The fallback challenge: asked only after a trip, keeps the answers, lets one submission
through, lifts the address's soft limit for that browser only."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.utils import translation

from participation.drafts.models import ClauseComment
from participation.protection import challenge, limits
from tests.helpers.challenge import answer, hidden_fields, is_challenge, right_answer
from tests.participation.drafts.factories import CLAUSE_A, CLAUSE_B
from tests.people.factories import UserFactory

from .conftest import campus_client, shown
from .test_limits import comment_data

pytestmark = pytest.mark.django_db


def clause_url(draft, clause=CLAUSE_A):
    return f"{draft.url}clause/{clause}/"


@pytest.fixture
def soft_limit_of_two(monkeypatch):
    """Comments limited to 2 a minute per address (soft), 5 per account as usual."""
    scope = limits.Scope(
        "comment",
        (
            limits.Rule(limits.ACCOUNT, "5/m"),
            limits.Rule(limits.IP, "2/m", soft=True),
        ),
        honeypot=True,
        fill_time=True,
    )
    monkeypatch.setitem(limits.SCOPES, "comment", scope)


def tripped(clock, draft, browser):
    """The challenge page after a comment sent too fast."""
    response = browser.post(
        clause_url(draft), {**comment_data(clock), "form_rendered": shown(clock, 1)}
    )
    assert is_challenge(response)
    return response


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), ("۱۲", 12), ("١٢", 12), (" 12 ", 12), ("دوازده", 12), ("twelve", 12),
     ("شیش", 6), ("كه", None), ("", None), ("1e3", None), ("12000", None)],
)  # fmt: skip
def test_answers_in_any_digits_or_in_words(typed, number):
    assert challenge.parse_answer(typed) == number


def label_of(response):
    return response.content.decode().split('for="challenge-answer">')[1].split("</label>")[0]


def number_words_in(text):
    words = text.replace("?", " ").replace("؟", " ").replace(":", " ").replace(",", " ").split()
    return [word for word in words if word in challenge.ACCEPTED_WORDS]


def test_the_challenge_is_a_picture_in_a_persian_right_to_left_page(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    html = asked.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert 'inputmode="numeric"' in html and 'autocomplete="off"' in html
    assert re.search(r'<img class="challenge-picture" src="data:image/png;base64,[^"]+"', html)
    # Nothing of the sum is in the page's text, the picture's alt or the token.
    form = html.split('<form class="survey-form account-form"')[1].split("</form>")[0]
    form = re.sub(r'src="data:[^"]*"', "", form)
    assert not number_words_in(
        re.sub(r"<[^>]+>", " ", form) + " " + " ".join(re.findall(r'alt="([^"]*)"', form))
    )
    assert not any(character.isdigit() for character in label_of(asked))
    token = dict(hidden_fields(asked))[challenge.TOKEN_FIELD]
    assert set(signing.loads(token, salt=challenge.TOKEN_SALT)) == {"n", "d", "t", "m"}
    assert 'name="challenge_mode" value="words"' in html  # the way round the picture


def test_a_person_who_cannot_see_the_picture_gets_the_question_in_words(
    clock, draft, person_client
):
    asked = tripped(clock, draft, person_client)
    data = dict(hidden_fields(asked))
    words = person_client.post(clause_url(draft), {**data, challenge.MODE_FIELD: challenge.WORDS})
    assert words.status_code == 400 and is_challenge(words)
    label = label_of(words)
    assert len(number_words_in(label)) == 2, label
    assert not any(character.isdigit() for character in label)
    assert "<img" not in words.content.decode()
    # A wrong answer asks again in words; the right one lets the comment through.
    again = answer(person_client, words, clause_url(draft), right_answer(words) + 1)
    assert len(number_words_in(label_of(again))) == 2
    assert answer(person_client, again, clause_url(draft), right_answer(again)).status_code == 302
    assert ClauseComment.objects.count() == 1


def test_questions_in_words_are_phrased_in_several_ways():
    with translation.override("fa"):
        questions = [challenge.new_challenge(challenge.WORDS).question for _ in range(200)]
    shapes = set()
    for question in questions:
        for word in number_words_in(question):
            question = question.replace(word, "N", 1)
        shapes.add(question)
    assert len(shapes) >= 5
    assert any("شیش" in question for question in questions) or any(
        "شش" in question for question in questions
    )


def test_the_picture_is_different_each_time():
    pictures = {challenge.picture(3, 4, True) for _ in range(5)}
    assert len(pictures) == 5


def test_a_wrong_answer_keeps_the_answers_and_asks_again(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    again = answer(person_client, asked, clause_url(draft), right_answer(asked) + 1)
    assert again.status_code == 400
    assert is_challenge(again)
    assert 'role="alert"' in again.content.decode()
    assert ("body", "این بند روشن نیست.") in hidden_fields(again)
    assert not ClauseComment.objects.exists()


def test_a_right_answer_lets_the_submission_through_exactly_once(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    passed = answer(person_client, asked, clause_url(draft), right_answer(asked))
    assert passed.status_code == 302
    assert ClauseComment.objects.get().body == "این بند روشن نیست."
    # Sending the same answered page again (back button, a replaying robot) stores nothing.
    replayed = answer(person_client, asked, clause_url(draft), right_answer(asked))
    assert is_challenge(replayed)
    assert ClauseComment.objects.count() == 1


def test_an_answer_in_persian_digits_passes(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    persian = str(right_answer(asked)).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert answer(person_client, asked, clause_url(draft), persian).status_code == 302


def test_an_expired_question_is_asked_again(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    clock.advance(challenge.TOKEN_SECONDS + 1)
    again = answer(person_client, asked, clause_url(draft), right_answer(asked))
    assert is_challenge(again)
    assert not ClauseComment.objects.exists()


def test_a_forged_question_is_asked_again(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    data = dict(hidden_fields(asked))
    data[challenge.TOKEN_FIELD] = data[challenge.TOKEN_FIELD][:-2] + "xx"
    data[challenge.ANSWER_FIELD] = str(right_answer(asked))
    assert is_challenge(person_client.post(clause_url(draft), data))
    assert not ClauseComment.objects.exists()


def test_too_many_wrong_answers_are_refused_for_a_while(clock, draft, person_client):
    asked = tripped(clock, draft, person_client)
    for _attempt in range(10):
        asked = answer(person_client, asked, clause_url(draft), right_answer(asked) + 1)
        assert is_challenge(asked)
    refused = answer(person_client, asked, clause_url(draft), right_answer(asked) + 1)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_nobody_is_asked_before_the_address_goes_over(clock, draft, soft_limit_of_two):
    for _person in range(2):
        browser = campus_client(UserFactory())
        assert browser.post(clause_url(draft), comment_data(clock)).status_code == 302


def test_over_the_address_limit_one_answer_lets_that_browser_go_on(clock, draft, soft_limit_of_two):
    for _person in range(2):
        campus_client(UserFactory()).post(clause_url(draft), comment_data(clock))
    third = campus_client(UserFactory())
    asked = third.post(clause_url(draft), comment_data(clock))
    assert asked.status_code == 429
    assert is_challenge(asked)
    assert 1 <= int(asked["Retry-After"]) <= 60
    assert answer(third, asked, clause_url(draft), right_answer(asked)).status_code == 302
    assert ClauseComment.objects.count() == 3
    # That browser is past the address's limit for a while; a neighbour is still asked.
    assert third.post(clause_url(draft, CLAUSE_B), comment_data(clock)).status_code == 302
    fourth = campus_client(UserFactory())
    assert is_challenge(fourth.post(clause_url(draft), comment_data(clock)))
    # The pass is short-lived: half an hour later, over the limit again, it is asked again.
    clock.advance(challenge.PASS_SECONDS + 1)
    for _person in range(2):
        campus_client(UserFactory()).post(clause_url(draft), comment_data(clock))
    assert is_challenge(third.post(clause_url(draft), comment_data(clock)))


def test_the_challenge_does_not_lift_the_accounts_own_limit(clock, draft, soft_limit_of_two):
    for _person in range(2):
        campus_client(UserFactory()).post(clause_url(draft), comment_data(clock))
    browser = campus_client(UserFactory())
    asked = browser.post(clause_url(draft), comment_data(clock))
    assert answer(browser, asked, clause_url(draft), right_answer(asked)).status_code == 302
    # Two POSTs counted so far (the challenged one and its answer); the account allows 5.
    for _attempt in range(3):
        assert browser.post(clause_url(draft), comment_data(clock)).status_code != 429
    limited = browser.post(clause_url(draft), comment_data(clock))
    assert limited.status_code == 429
    assert not is_challenge(limited)


def test_csrf_is_still_enforced_with_a_right_answer(clock, draft, person):
    """Without the page's CSRF token nothing reaches the guard, answer or not."""
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="185.211.88.10")
    browser.force_login(person)
    response = browser.post(
        clause_url(draft),
        {**comment_data(clock), challenge.ANSWER_FIELD: "3", challenge.TOKEN_FIELD: "x"},
    )
    assert response.status_code == 403
    assert not ClauseComment.objects.exists()


def test_the_challenge_page_carries_a_csrf_token(clock, draft, person):
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="185.211.88.10")
    browser.force_login(person)
    page = browser.get(clause_url(draft)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    asked = browser.post(
        clause_url(draft),
        {**comment_data(clock), "form_rendered": shown(clock, 1), "csrfmiddlewaretoken": token},
    )
    assert is_challenge(asked)
    new_token = asked.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = dict(hidden_fields(asked))
    data.update(csrfmiddlewaretoken=new_token, challenge_answer=str(right_answer(asked)))
    assert browser.post(clause_url(draft), data).status_code == 302
    assert ClauseComment.objects.count() == 1
