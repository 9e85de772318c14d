"""The statements block's rules: one vote per person, the order, moderation, eligibility."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from participation.choices import AnonymityMode, Audience, ModerationMode, ModerationState
from participation.errors import Refused
from participation.opinions import services
from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement, StatementVote
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_MSGID = (
    "A statements block cannot be used in an anonymous, verified call: votes on statements "
    "are kept with the participant's account, which such a call promises never to do. Choose "
    "named or pseudonymous answers for this call, or remove the statements."
)


def fa(msgid):
    with translation.override("fa"):
        return gettext(msgid)


def test_a_vote_is_stored_once_and_voting_again_changes_it(survey, seeded, participant):
    statement = seeded[0]
    services.vote(participant, statement, VoteValue.AGREE, call=survey)
    services.vote(participant, statement, "-1", call=survey)
    votes = StatementVote.objects.filter(statement=statement, participant=participant)
    assert [vote.value for vote in votes] == [VoteValue.DISAGREE]


def test_the_database_refuses_a_second_vote_by_the_same_person(seeded, participant):
    StatementVote.objects.create(statement=seeded[0], participant=participant, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementVote.objects.create(statement=seeded[0], participant=participant, value=0)


def test_the_database_refuses_a_value_other_than_agree_disagree_pass(seeded, participant):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementVote.objects.create(statement=seeded[0], participant=participant, value=2)


@pytest.mark.parametrize("value", ["2", "agree", "", None, "1.5"])
def test_a_bad_value_is_refused_translated_and_nothing_changes(survey, seeded, participant, value):
    services.vote(participant, seeded[0], VoteValue.PASS, call=survey)
    with translation.override("fa"), pytest.raises(Refused) as refused:
        services.vote(participant, seeded[0], value, call=survey)
    assert str(refused.value.message) == fa("Choose agree, disagree or pass.")
    assert str(refused.value.message) != "Choose agree, disagree or pass."
    assert list(StatementVote.objects.values_list("value", flat=True)) == [VoteValue.PASS]


def _vote_through(call, user):
    """The order ``user`` is shown the statements in, voting pass on each."""
    order = []
    while (statement := services.next_statement(call.call_key, user)) is not None:
        assert statement.pk not in order
        order.append(statement.pk)
        services.vote(user, statement, VoteValue.PASS, call=call)
    return order


def test_next_statement_never_returns_a_voted_or_unpublished_one(survey, seeded, participant):
    for state in (ModerationState.PENDING, ModerationState.HIDDEN, ModerationState.REMOVED):
        Statement.objects.create(call_key=survey.call_key, text=str(state), moderation_state=state)
    order = _vote_through(survey, participant)
    assert sorted(order) == sorted(s.pk for s in seeded)
    assert services.next_statement(survey.call_key, participant) is None


def test_the_next_statement_stays_the_same_until_the_person_votes(survey, seeded, participant):
    first = services.next_statement(survey.call_key, participant)
    assert services.next_statement(survey.call_key, participant) == first


def test_the_order_differs_between_people(survey, seeded, others):
    orders = {tuple(_vote_through(survey, user)) for user in others}
    assert len(orders) > 1


def test_new_and_under_voted_statements_come_first(survey, seeded):
    # Twenty people have voted on every statement but the last. Uniformly, it would come
    # first for 1 person in 8; Pol.is's weights make it nearly 1 in 2.
    voters = UserFactory.create_batch(20, role="student")
    StatementVote.objects.bulk_create(
        StatementVote(statement=statement, participant=voter, value=VoteValue.AGREE)
        for voter in voters
        for statement in seeded[:-1]
    )
    newcomers = UserFactory.create_batch(60, role="student")
    firsts = [services.next_statement(survey.call_key, user) for user in newcomers]
    assert sum(statement == seeded[-1] for statement in firsts) >= 15


def test_a_participant_statement_waits_for_moderation_under_pre_moderation(
    survey, seeded, participant, others, editor
):
    statement = services.add_statement(
        participant, survey, "  خوابگاه‌ها   باید اینترنت بهتری داشته باشند. "
    )
    assert statement.moderation_state == ModerationState.PENDING
    assert statement.text == "خوابگاه‌ها باید اینترنت بهتری داشته باشند."
    assert not statement.seeded_by_editor
    # The author agrees with their own statement, as in Pol.is.
    assert statement.votes.get().value == VoteValue.AGREE
    assert statement not in _shown_to(survey, others[0])
    with pytest.raises(Refused):
        services.vote(others[1], statement, VoteValue.AGREE, call=survey)

    services.moderate(editor, statement, call=survey, approve=True)
    assert statement in _shown_to(survey, others[2])


def _shown_to(call, user):
    return [Statement.objects.get(pk=pk) for pk in _vote_through(call, user)]


def test_post_moderation_publishes_at_once(calls, editor, participant):
    draft = add_draft(calls, moderation=ModerationMode.POST)
    services.seed_statement(editor, draft, "متن آیین‌نامه روشن است.")
    statement = services.add_statement(participant, draft, "مهلت نظرخواهی کوتاه است.")
    assert statement.moderation_state == ModerationState.PUBLISHED


def test_statement_text_rules(survey, seeded, participant):
    with pytest.raises(Refused):
        services.add_statement(participant, survey, "   ")
    with pytest.raises(Refused):
        services.add_statement(participant, survey, "ب" * 141)
    with pytest.raises(Refused):
        services.add_statement(participant, survey, seeded[0].text)
    assert not Statement.objects.filter(author=participant).exists()


def test_ineligible_people_are_refused(calls, survey, seeded, participant, editor):
    closed = SurveyCampaignPageFactory(
        parent=calls, closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    statement = services.seed_statement(editor, closed, "بیانیهٔ فراخوان بسته")
    with pytest.raises(Refused):
        services.vote(participant, statement, VoteValue.AGREE, call=closed)
    academics_only = SurveyCampaignPageFactory(parent=calls, audience=Audience.VERIFIED_ACADEMICS)
    statement = services.seed_statement(editor, academics_only, "بیانیهٔ ویژهٔ دانشگاهیان")
    with pytest.raises(Refused):
        services.vote(participant, statement, VoteValue.AGREE, call=academics_only)
    with pytest.raises(Refused):
        services.add_statement(participant, academics_only, "بیانیهٔ تازه")
    assert not StatementVote.objects.filter(participant=participant).exists()


def test_a_vote_on_another_calls_statement_is_refused(calls, survey, seeded, participant):
    other = SurveyCampaignPageFactory(parent=calls)
    with pytest.raises(Refused):
        services.vote(participant, seeded[0], VoteValue.AGREE, call=other)
    assert not StatementVote.objects.exists()


def test_anonymous_verified_calls_refuse_statements_with_the_editors_message(calls, editor):
    call = SurveyCampaignPageFactory(parent=calls, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        services.seed_statement(editor, call, "بیانیه")
    assert refused.value.messages == [fa(ANONYMOUS_MSGID)]
    assert refused.value.messages != [ANONYMOUS_MSGID]
    assert not Statement.objects.exists()


def test_only_the_calls_editors_seed_and_moderate(survey, seeded, participant):
    with pytest.raises(Refused):
        services.seed_statement(participant, survey, "بیانیهٔ یک شرکت‌کننده")
    with pytest.raises(Refused):
        services.moderate(participant, seeded[0], call=survey, approve=False)
    assert Statement.objects.get(pk=seeded[0].pk).is_public
