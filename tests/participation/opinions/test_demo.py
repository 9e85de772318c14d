"""The demo's statements conversation: forty statements, votes with three planted groups."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from participation.opinions import demo, engine, services
from participation.opinions.models import Statement, StatementVote
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return UserFactory.create_batch(150, role="student")


def snapshot(survey):
    return (
        sorted(
            Statement.objects.filter(call_key=survey.call_key).values_list(
                "text", "moderation_state", "seeded_by_editor"
            )
        ),
        sorted(
            StatementVote.objects.filter(statement__call_key=survey.call_key).values_list(
                "statement__text", "participant__email", "value"
            )
        ),
    )


def test_the_demo_block_seeds_forty_statements_and_votes(survey, editor, people):
    stored = demo.seed_statements(survey, editor, people)
    block = services.statements_block(survey)
    assert block is not None and len(block["statements"]) == len(demo.STATEMENTS) == 40
    assert services.public_statements(survey.call_key).count() == 40
    assert stored == StatementVote.objects.count()
    # About VOTED_SHARE of the cells are voted.
    assert 0.6 < stored / (len(people) * 40) < 0.8


def test_seeding_again_changes_nothing(survey, editor, people):
    demo.seed_statements(survey, editor, people)
    before = snapshot(survey)
    assert demo.seed_statements(survey, editor, people) == 0
    assert snapshot(survey) == before
    assert len(services.statements_block(survey)["statements"]) == 40


def test_the_opinion_map_finds_the_three_planted_groups(survey, editor, people):
    demo.seed_statements(survey, editor, people)
    statements = list(Statement.objects.filter(call_key=survey.call_key).order_by("pk"))
    column = {statement.pk: n for n, statement in enumerate(statements)}
    row = {person.pk: n for n, person in enumerate(people)}
    votes = np.full((len(people), len(statements)), np.nan)
    for participant, statement, value in StatementVote.objects.values_list(
        "participant_id", "statement_id", "value"
    ):
        votes[row[participant], column[statement]] = value
    opinion_map = engine.compute_map(votes)
    planted = [demo.group_of(person) for person in people]
    clustered = opinion_map.clustered
    assert clustered.sum() >= 0.9 * len(people)
    found = opinion_map.labels[clustered]
    assert opinion_map.k == 3
    assert adjusted_rand_score(np.array(planted)[clustered], found) >= 0.9
