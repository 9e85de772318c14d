import pytest

from tests.pages.factories import CallIndexPageFactory, RegulationDraftPageFactory
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

from .factories import grant_token, make_partner


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls)


@pytest.fixture
def draft(calls):
    return RegulationDraftPageFactory(parent=calls)


@pytest.fixture
def partner(db):
    return make_partner()


@pytest.fixture
def participant(db):
    return UserFactory()


@pytest.fixture
def token(partner, participant):
    site, _key, _text = partner
    return grant_token(site, participant)
