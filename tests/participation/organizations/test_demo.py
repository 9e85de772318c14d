"""The demo organizations: seeded once, whatever the number of runs."""

import pytest

from participation.ideas import demo as idea_demo
from participation.organizations.demo import WAITING_NAME, seed_organizations
from participation.people.demo import seed_accounts
from participation.people.models import Organization

pytestmark = pytest.mark.django_db


def test_seed_organizations_is_idempotent():
    seed_accounts()
    seed_organizations()
    seed_organizations()
    verified = Organization.objects.get(name=idea_demo.ORGANIZATION_NAME)
    assert verified.is_verified
    assert verified.memberships.count() == 3
    assert verified.memberships.filter(is_representative=True).count() == 1
    waiting = Organization.objects.get(name=WAITING_NAME)
    assert not waiting.is_verified
    assert waiting.profile.description
    assert waiting.memberships.get().is_representative
    assert Organization.objects.count() == 2
