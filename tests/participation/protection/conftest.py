"""Rate limits and bot traps switched on (the rest of the suite runs without them), a
clock the tests move by hand, and the pages the protected forms live on."""

import time
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils.translation import get_language_from_path

from participation.protection.traps import (
    RENDERED_FIELD,
    RENDERED_SALT,
    binding_of,
    sign_render_time,
    sign_time,
)
from participation.questions.forms import STARTED_AT_SALT
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.ideas.factories import add_idea_call
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


class Browser(Client):
    """A test browser that sends back the signed times of its own forms, as a real one does.

    Tests write a form's time as ``shown(clock, seconds)`` or ``sign_started_at(moment)``,
    signed outside any request and so bound to no one; this browser binds such a time to
    itself (its account, else its CSRF cookie, and the survey's address), as the form it
    would have been drawn in does. A time bound to someone else is sent as it is.
    """

    def post(self, path, data=None, *args, **kwargs):
        if isinstance(data, dict):
            data = {name: self.bind(name, value, path) for name, value in data.items()}
        return super().post(path, data, *args, **kwargs)

    def visitor(self):
        if settings.SESSION_COOKIE_NAME in self.cookies:
            user_id = self.session.get("_auth_user_id")
            if user_id:
                return f"account:{user_id}"
        cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        return f"browser:{cookie.value}" if cookie else None

    def bind(self, name, value, path):
        salts = {RENDERED_FIELD: (RENDERED_SALT, ""), "started_at": (STARTED_AT_SALT, "survey")}
        if name not in salts or not isinstance(value, str) or not value:
            return value
        salt, purpose = salts[name]
        try:
            payload = signing.loads(value, salt=salt)
        except signing.BadSignature:
            return value
        visitor = self.visitor()
        if not isinstance(payload, dict) or payload.get("b") or visitor is None:
            return value  # bound already, or a browser that never opened a form
        if purpose:
            path = urlsplit(path).path
            language = get_language_from_path(path)
            purpose = f"survey:{path.removeprefix(f'/{language}') if language else path}"
        return sign_time(payload["t"], salt, binding_of(visitor, purpose))


def campus_client(user=None, ip=CAMPUS_IP, **kwargs):
    """A browser behind the campus NAT address, signed in as ``user`` if given."""
    browser = Browser(REMOTE_ADDR=ip, **kwargs)
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.fixture
def person_client(person):
    return campus_client(person)


def shown(clock, seconds_ago):
    """The signed render time of a form drawn ``seconds_ago`` (by the test clock)."""
    return sign_render_time(clock.now - seconds_ago)
