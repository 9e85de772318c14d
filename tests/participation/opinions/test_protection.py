"""Rate limits and bot traps on the statements block's POSTs (vote/ and add/)."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement, StatementVote
from participation.protection.traps import RENDERED_SALT, binding_of, sign_time

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = float(int(time.time()))

    def time(self):
        return self.now


@pytest.fixture(autouse=True)
def protection_on(settings):
    settings.HADAF_RATE_LIMITS = True
    settings.HADAF_MIN_FILL_SECONDS = 3
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    moving = Clock()
    monkeypatch.setattr("participation.protection.clock.now", moving.time)
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=moving.time))
    return moving


def url(call, name):
    return reverse(f"opinions:{name}", args=[call.call_key])


def rendered(clock, user, seconds_ago):
    """The add form's signed render time, as the form drawn for ``user`` carries it."""
    return sign_time(clock.now - seconds_ago, RENDERED_SALT, binding_of(f"account:{user.pk}"))


def too_many_text():
    with translation.override("fa"):
        return escape(gettext("Too many requests came from your connection in a short time."))


def test_a_burst_of_votes_is_refused_with_retry_after_and_changes_nothing(
    client, survey, seeded, participant
):
    client.force_login(participant)
    for n in range(40):  # the account's limit: 40 a minute
        statement = seeded[n % len(seeded)]
        value = VoteValue.AGREE if n < 39 else VoteValue.DISAGREE
        response = client.post(url(survey, "vote"), {"statement": statement.uuid, "value": value})
        assert response.status_code == 302
    last = seeded[39 % len(seeded)]
    before = list(StatementVote.objects.order_by("pk").values_list("pk", "value", "updated_at"))

    response = client.post(url(survey, "vote"), {"statement": last.uuid, "value": VoteValue.PASS})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert too_many_text() in response.content.decode()
    assert list(StatementVote.objects.order_by("pk").values_list("pk", "value", "updated_at")) == (
        before
    )


def test_a_burst_of_new_statements_is_refused_and_stores_nothing(
    client, clock, survey, seeded, participant
):
    client.force_login(participant)
    for n in range(5):  # 5 a minute per account
        response = client.post(
            url(survey, "add"),
            {"text": f"گزارهٔ تازهٔ شمارهٔ {n}", "form_rendered": rendered(clock, participant, 60)},
        )
        assert response.status_code == 302
    count = Statement.objects.count()
    response = client.post(
        url(survey, "add"),
        {"text": "یک گزارهٔ دیگر", "form_rendered": rendered(clock, participant, 60)},
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert too_many_text() in response.content.decode()
    # The person's text is kept on the 429 page to send again later.
    assert "یک گزارهٔ دیگر" in response.content.decode()
    assert Statement.objects.count() == count


def test_a_filled_honeypot_on_a_vote_stores_nothing(client, survey, seeded, participant):
    client.force_login(participant)
    response = client.post(
        url(survey, "vote"),
        {"statement": seeded[0].uuid, "value": VoteValue.AGREE, "website": "http://spam"},
    )
    assert response.status_code == 400
    assert not StatementVote.objects.exists()


def test_a_statement_sent_too_fast_stores_nothing(client, clock, survey, seeded, participant):
    client.force_login(participant)
    count = Statement.objects.count()
    response = client.post(
        url(survey, "add"),
        {"text": "گزارهٔ یک ربات", "form_rendered": rendered(clock, participant, 0)},
    )
    assert response.status_code == 400
    response = client.post(url(survey, "add"), {"text": "گزارهٔ بی‌زمان"})
    assert response.status_code == 400
    assert Statement.objects.count() == count


def test_a_statement_from_a_person_goes_through(client, clock, survey, seeded, participant):
    client.force_login(participant)
    response = client.post(
        url(survey, "add"),
        {"text": "گزارهٔ یک انسان", "form_rendered": rendered(clock, participant, 30)},
    )
    assert response.status_code == 302
    assert Statement.objects.filter(text="گزارهٔ یک انسان", author=participant).exists()


def test_the_form_on_the_page_carries_the_traps(client, survey, seeded, participant):
    client.force_login(participant)
    html = client.get(url(survey, "statements")).content.decode()
    assert html.count('name="website"') == 2  # the vote form and the add form
    assert 'name="form_rendered"' in html
