"""A small regulation draft for the drafts tests, with ids the tests can name."""

import pytest

from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import UserFactory

from .factories import (
    add_draft,
)


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def draft(calls):
    return add_draft(calls)


@pytest.fixture
def participant(db):
    return UserFactory(role="faculty", first_name="مریم", last_name="احمدی")


@pytest.fixture
def others(db):
    return [UserFactory(role="student") for _ in range(5)]
