"""The statements block in a call page's body: publishing syncs it, the page shows it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.choices import AnonymityMode, ModerationMode, ModerationState
from participation.errors import Refused
from participation.opinions import services
from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement, StatementVote
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory

from .factories import SEEDS

pytestmark = pytest.mark.django_db


def fa(msgid):
    with translation.override("fa"):
        return escape(gettext(msgid))


def block(texts, *, may_add=True):
    return (
        "statements",
        {
            "heading": "نظر شما چیست؟",
            "intro": "با هر گزاره موافق یا مخالف باشید.",
            "statements": list(texts),
            "participants_may_add": may_add,
        },
    )


def publish(page, texts, editor, *, may_add=True):
    page.body = [block(texts, may_add=may_add)]
    page.save_revision(user=editor).publish(user=editor)
    page.refresh_from_db()
    return page


def shown_statement(response):
    match = re.search(r'name="statement" value="([0-9a-f-]+)"', response.content.decode())
    return match and Statement.objects.get(uuid=match[1])


def states(call):
    return {
        s.text: s.moderation_state
        for s in Statement.objects.filter(call_key=call.call_key, seeded_by_editor=True)
    }


# Syncing on publish ------------------------------------------------------------------


def test_publishing_the_block_seeds_its_statements_once(survey, editor):
    publish(survey, SEEDS[:3], editor)
    publish(survey, SEEDS[:3], editor)
    rows = Statement.objects.filter(call_key=survey.call_key)
    assert sorted(rows.values_list("text", flat=True)) == sorted(SEEDS[:3])
    assert all(s.seeded_by_editor and s.is_public and s.author == editor for s in rows)
    assert services.has_statements(survey.call_key)


def test_texts_are_normalised_and_duplicates_in_the_block_count_once(survey, editor):
    publish(survey, [SEEDS[0], "  " + SEEDS[0] + "  ", SEEDS[1]], editor)
    assert sorted(states(survey)) == sorted(SEEDS[:2])


def test_removing_a_statement_retires_it_and_keeps_its_votes(survey, editor, participant):
    publish(survey, SEEDS[:3], editor)
    dropped = Statement.objects.get(call_key=survey.call_key, text=SEEDS[2])
    services.vote(participant, dropped, VoteValue.AGREE, call=survey)

    publish(survey, SEEDS[:2], editor)
    assert states(survey)[SEEDS[2]] == ModerationState.REMOVED
    assert StatementVote.objects.filter(statement=dropped).count() == 1
    assert dropped not in services.public_statements(survey.call_key)

    publish(survey, SEEDS[:3], editor)  # back in the block: asked about again, same row
    assert states(survey)[SEEDS[2]] == ModerationState.PUBLISHED
    assert Statement.objects.filter(call_key=survey.call_key).count() == 3
    assert StatementVote.objects.filter(statement=dropped).count() == 1


def test_a_participants_statement_with_the_same_text_is_not_duplicated(survey, editor, participant):
    publish(survey, SEEDS[:1], editor)
    survey.moderation = ModerationMode.POST
    services.add_statement(participant, survey, SEEDS[1])
    publish(survey, SEEDS[:2], editor)
    assert Statement.objects.filter(call_key=survey.call_key, text=SEEDS[1]).count() == 1
    assert not Statement.objects.get(text=SEEDS[1]).seeded_by_editor


def test_publishing_a_page_without_the_block_leaves_seeded_statements_alone(survey, seeded, editor):
    survey.save_revision(user=editor).publish(user=editor)
    assert set(states(survey).values()) == {ModerationState.PUBLISHED}


def test_a_translation_does_not_seed_a_second_set(survey, editor):
    from wagtail.models import Locale

    publish(survey, SEEDS[:2], editor)
    english = survey.copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0], copy_parents=True
    )
    english.body = [block(["Cultural events should be held in the evening."])]
    english.save_revision(user=editor).publish(user=editor)
    assert sorted(states(survey)) == sorted(SEEDS[:2])
    assert set(states(survey).values()) == {ModerationState.PUBLISHED}


def test_the_block_is_refused_on_an_anonymous_verified_call(survey):
    survey.anonymity = AnonymityMode.ANONYMOUS_VERIFIED
    survey.body = [block(SEEDS[:1])]
    with pytest.raises(ValidationError) as refused:
        survey.full_clean()
    assert "body" in refused.value.message_dict
    survey.body = []
    survey.full_clean()  # without the block the same call is fine


def test_participants_cannot_add_when_the_block_says_so(survey, editor, participant):
    publish(survey, SEEDS[:2], editor, may_add=False)
    assert not services.allows_additions(survey)
    with pytest.raises(Refused):
        services.add_statement(participant, survey, "گزاره‌ای تازه از یک دانشجو.")
    assert Statement.objects.filter(call_key=survey.call_key).count() == 2


# On the call page --------------------------------------------------------------------


def test_the_survey_page_shows_the_next_statement_with_three_buttons(
    client, survey, editor, participant
):
    publish(survey, SEEDS[:3], editor)
    client.force_login(participant)
    response = client.get(survey.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="statements"' in html
    assert "نظر شما چیست؟" in html
    statement = shown_statement(response)
    assert statement == services.next_statement(survey.call_key, participant)
    assert f'action="{reverse("opinions:vote", args=[survey.call_key])}"' in html
    assert '<input type="hidden" name="return_to" value="page">' in html
    for value, label in ((1, "Agree"), (-1, "Disagree"), (0, "Pass")):
        assert f'type="submit" name="value" value="{value}">{fa(label)}</button>' in html
    assert f'action="{reverse("opinions:add", args=[survey.call_key])}"' in html
    assert 'max="۳"' not in html and 'max="3" value="0"' in html


def test_voting_from_the_page_returns_to_the_page_and_moves_on(client, survey, editor, participant):
    publish(survey, SEEDS[:3], editor)
    client.force_login(participant)
    first = shown_statement(client.get(survey.url))
    response = client.post(
        reverse("opinions:vote", args=[survey.call_key]),
        {"statement": first.uuid, "value": "1", "return_to": "page"},
    )
    assert response.status_code == 302
    assert response["Location"] == survey.url + "#statements"
    assert StatementVote.objects.get(participant=participant).statement == first
    second = shown_statement(client.get(survey.url))
    assert second is not None and second != first


def test_the_add_form_is_absent_when_participants_may_not_add(client, survey, editor, participant):
    publish(survey, SEEDS[:2], editor, may_add=False)
    client.force_login(participant)
    html = client.get(survey.url).content.decode()
    assert shown_statement(client.get(survey.url)) is not None
    assert reverse("opinions:add", args=[survey.call_key]) not in html


def test_a_visitor_is_asked_to_sign_in_and_sees_no_statement(client, survey, editor):
    publish(survey, SEEDS[:2], editor)
    response = client.get(survey.url)
    assert 'id="statements"' in response.content.decode()
    assert shown_statement(response) is None


def test_a_draft_page_shows_the_block(client, calls, editor, participant):
    draft = add_draft(calls)
    publish(draft, SEEDS[:2], editor)
    client.force_login(participant)
    response = client.get(draft.url)
    assert response.status_code == 200
    assert shown_statement(response) in Statement.objects.filter(call_key=draft.call_key)


def test_the_block_adds_a_bounded_number_of_queries_to_the_page(
    client, calls, survey, editor, participant
):
    """The block costs a few queries of its own (measured: 22 without it, 31 with it, one
    of them the published opinion map shown under the conversation)."""
    plain = SurveyCampaignPageFactory(parent=calls)
    client.force_login(participant)
    client.get(plain.url)
    with CaptureQueriesContext(connection) as without_block:
        client.get(plain.url)
    publish(survey, SEEDS, editor)
    for statement in Statement.objects.filter(call_key=survey.call_key)[:4]:
        services.vote(participant, statement, VoteValue.AGREE, call=survey)
    client.get(survey.url)
    with CaptureQueriesContext(connection) as with_block:
        client.get(survey.url)
    added = len(with_block) - len(without_block)
    assert added <= 9
