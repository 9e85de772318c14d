"""The statements block through the test client: a plain form, GET, POST, redirect."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import PageViewRestriction

from participation.choices import Audience
from participation.opinions import services
from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement, StatementVote
from tests.participation.factories import SurveyCampaignPageFactory

pytestmark = pytest.mark.django_db


def fa(msgid, **params):
    with translation.override("fa"):
        text = gettext(msgid)
        return escape(text % params if params else text)


def url(call, name="statements"):
    return reverse(f"opinions:{name}", args=[call.call_key])


def shown_statement(response):
    """The statement the page asks about (its uuid, from the vote form)."""
    match = re.search(r'name="statement" value="([0-9a-f-]+)"', response.content.decode())
    return match and Statement.objects.get(uuid=match[1])


def test_get_shows_one_statement_with_three_buttons(client, survey, seeded, participant):
    client.force_login(participant)
    response = client.get(url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    statement = shown_statement(response)
    assert statement == services.next_statement(survey.call_key, participant)
    assert escape(statement.text) in html
    for value, label in ((1, "Agree"), (-1, "Disagree"), (0, "Pass")):
        assert f'type="submit" name="value" value="{value}">{fa(label)}</button>' in html
    assert "<script" not in html.split('method="post"')[1].split("</form>")[0]
    # Counts in Persian digits.
    assert fa("You have voted on %(voted)s of %(total)s statements.", voted="۰", total="۸") in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_post_records_the_vote_and_redirects_to_the_next_statement(
    client, survey, seeded, participant
):
    client.force_login(participant)
    first = shown_statement(client.get(url(survey)))
    response = client.post(url(survey, "vote"), {"statement": first.uuid, "value": "-1"})
    assert response.status_code == 302
    assert response["Location"] == url(survey)
    assert StatementVote.objects.get(participant=participant).value == VoteValue.DISAGREE
    following = client.get(response["Location"])
    assert shown_statement(following) not in (None, first)
    assert fa("You have voted on %(voted)s of %(total)s statements.", voted="۱", total="۸") in (
        following.content.decode()
    )


def test_voting_through_every_statement(client, survey, seeded, participant):
    client.force_login(participant)
    for _ in seeded:
        statement = shown_statement(client.get(url(survey)))
        client.post(url(survey, "vote"), {"statement": statement.uuid, "value": "0"})
    response = client.get(url(survey))
    assert shown_statement(response) is None
    assert fa("You have voted on every statement") in response.content.decode()
    assert StatementVote.objects.filter(participant=participant).count() == len(seeded)


@pytest.mark.parametrize("value", ["5", "yes", ""])
def test_a_bad_value_is_refused_with_a_message_and_nothing_stored(
    client, survey, seeded, participant, value
):
    client.force_login(participant)
    response = client.post(
        url(survey, "vote"), {"statement": seeded[0].uuid, "value": value}, follow=True
    )
    assert fa("Choose agree, disagree or pass.") in response.content.decode()
    assert not StatementVote.objects.exists()


def test_a_bad_statement_id_is_refused(client, survey, seeded, participant):
    client.force_login(participant)
    response = client.post(url(survey, "vote"), {"statement": "not-a-uuid", "value": "1"})
    assert response.status_code == 302
    assert not StatementVote.objects.exists()


def test_ineligible_people_see_why_and_cannot_vote(client, calls, editor, participant):
    call = SurveyCampaignPageFactory(parent=calls, audience=Audience.VERIFIED_ACADEMICS)
    statement = services.seed_statement(editor, call, "بیانیهٔ ویژهٔ دانشگاهیان")
    client.force_login(participant)
    response = client.get(url(call))
    html = response.content.decode()
    assert fa("This call is open to verified academics only.") in html
    assert 'name="value"' not in html
    client.post(url(call, "vote"), {"statement": statement.uuid, "value": "1"})
    client.post(url(call, "add"), {"text": "بیانیهٔ تازه"})
    assert not StatementVote.objects.exists()
    assert Statement.objects.count() == 1


def test_visitors_are_asked_to_sign_in(client, survey, seeded):
    response = client.get(url(survey))
    assert fa("Sign in to take part.") in response.content.decode()
    assert 'name="value"' not in response.content.decode()


def test_a_participants_statement_waits_for_moderation(client, survey, seeded, participant):
    client.force_login(participant)
    response = client.post(url(survey, "add"), {"text": "سلف باید تا شب باز باشد."})
    assert response.status_code == 302
    statement = Statement.objects.get(author=participant)
    assert not statement.is_public
    page = client.get(response["Location"]).content.decode()
    assert (
        fa("Thank you: your statement will be shown to others once a moderator approves it.")
        in page
    )


def test_a_too_long_statement_is_shown_again_with_the_error(client, survey, seeded, participant):
    client.force_login(participant)
    response = client.post(url(survey, "add"), {"text": "ب" * 141})
    assert response.status_code == 400
    assert (
        'aria-describedby="statement_text_help statement_text_error"' in response.content.decode()
    )
    assert not Statement.objects.filter(author=participant).exists()


def test_a_call_without_statements_has_no_block(client, survey, participant):
    client.force_login(participant)
    assert client.get(url(survey)).status_code == 404


def test_a_private_calls_statements_stay_behind_its_view_restriction(
    client, survey, seeded, participant
):
    """A call page restricted to a password (or to some groups) keeps its statements behind
    the same restriction: the page's own view rules hold at /statements/ too."""
    PageViewRestriction.objects.create(
        page=survey, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-word"
    )
    client.force_login(participant)
    assert client.get(url(survey)).status_code == 404
    response = client.post(url(survey, "vote"), {"statement": seeded[0].uuid, "value": "1"})
    assert response.status_code == 404
    assert not StatementVote.objects.exists()
