"""Rate limits and bot traps switched on (the rest of the suite runs without them), a
clock the tests move by hand, and the pages the protected forms live on."""

import html
import re
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from participation.protection import challenge
from participation.protection.traps import sign_render_time
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.conftest import add_draft
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.ideas.conftest import add_idea_call
from tests.people.factories import UserFactory

CAMPUS_IP = "185.211.88.10"


@pytest.fixture(autouse=True)
def protection_on(settings):
    settings.HADAF_RATE_LIMITS = True
    settings.HADAF_MIN_FILL_SECONDS = 3
    cache.clear()
    yield
    cache.clear()


class Clock:
    """The time the protection code and django-ratelimit's windows read."""

    def __init__(self):
        self.now = float(int(time.time()))

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    moving = Clock()
    monkeypatch.setattr("participation.protection.clock.now", moving.time)
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=moving.time))
    return moving


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls)


@pytest.fixture
def draft(calls):
    return add_draft(calls)


@pytest.fixture
def idea_call(calls):
    return add_idea_call(calls)


@pytest.fixture
def person(db):
    return UserFactory(role="student")


def campus_client(user=None, ip=CAMPUS_IP, **kwargs):
    """A browser behind the campus NAT address, signed in as ``user`` if given."""
    browser = Client(REMOTE_ADDR=ip, **kwargs)
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.fixture
def person_client(person):
    return campus_client(person)


def shown(clock, seconds_ago):
    """The signed render time of a form drawn ``seconds_ago`` (by the test clock)."""
    return sign_render_time(clock.now - seconds_ago)


# The challenge page, read as a person would ---------------------------------------------

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_QUESTION = re.compile(
    r'<label class="survey-question__label" for="challenge-answer">(.*?)</label>'
)


def is_challenge(response):
    return 'name="challenge_answer"' in response.content.decode()


def hidden_fields(response):
    """The hidden (name, value) pairs of the challenge or 429 page: the kept answers."""
    return [
        (name, html.unescape(value))
        for name, value in _HIDDEN.findall(response.content.decode())
        if name != "csrfmiddlewaretoken"
    ]


def right_answer(response):
    """The sum the challenge asks for, read off its words."""
    question = html.unescape(_QUESTION.search(response.content.decode()).group(1))
    numbers = [
        challenge.ACCEPTED_WORDS[word]
        for word in re.split(r"[\s?؟]+", question)
        if word in challenge.ACCEPTED_WORDS
    ]
    assert len(numbers) == 2, question
    return sum(numbers)


def answer(browser, response, url, value):
    """Send the challenge page's form back with ``value`` as the answer."""
    data = {}
    for name, field_value in hidden_fields(response):
        data.setdefault(name, []).append(field_value)
    data[challenge.ANSWER_FIELD] = [str(value)]
    return browser.post(url, data)
