"""A survey with a statements conversation an editor has seeded, for the opinions tests."""

import pytest

from participation.opinions import services
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import EditorFactory, UserFactory

from .factories import (
    SEEDS,
)


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls)


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def seeded(survey, editor):
    """The survey's statements, seeded by its editor (published at once)."""
    return [services.seed_statement(editor, survey, text) for text in SEEDS]


@pytest.fixture
def participant(db):
    return UserFactory(role="student")


@pytest.fixture
def others(db):
    return [UserFactory(role="student") for _ in range(6)]
