"""An idea call with two themes, three weighted criteria and one extra question.

Block ids are fixed (``THEME_*``, ``CRITERION_*``, ``QUESTION_TEAM``) so tests can post them."""

import pytest
from django.utils import timezone

from participation.people.models import Organization, OrganizationMembership, University
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import EditorFactory, UserFactory

from .factories import (
    add_idea_call,
)


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def idea_call(calls):
    return add_idea_call(calls)


@pytest.fixture
def universities(db):
    return [
        University.objects.create(name="دانشگاه تهران", email_domains="ut.ac.ir"),
        University.objects.create(name="دانشگاه شیراز", email_domains="shirazu.ac.ir"),
        University.objects.create(name="دانشگاه تبریز", email_domains="tabrizu.ac.ir"),
    ]


@pytest.fixture
def author(universities):
    return UserFactory(
        role="faculty", first_name="مریم", last_name="احمدی", university=universities[0]
    )


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def organization(author, universities):
    organization = Organization.objects.create(
        name="کانون فیلم دانشگاه تهران",
        kind="student_association",
        university=universities[0],
        verified_at=timezone.now(),
    )
    OrganizationMembership.objects.create(
        organization=organization, person=author, is_representative=True
    )
    return organization
