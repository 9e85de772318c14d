"""Privacy tests: a survey, a draft and an idea call, and private storage under tmp_path."""

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from participation.ideas.models import IdeaAttachment
from participation.incentives.models import Certificate
from participation.people.models import University
from participation.privacy.models import DataExport
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.participation.ideas.factories import add_idea_call
from tests.people.factories import UserFactory, with_confirmed_email


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in Persian: a request to /en/ leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def private_dir(tmp_path, monkeypatch, settings):
    """One private storage of the test's own for exports, attachments and certificates."""
    settings.MEDIA_ROOT = tmp_path / "media"
    location = tmp_path / "private"
    storage = FileSystemStorage(location=location)
    for model, name in ((DataExport, "file"), (IdeaAttachment, "file"), (Certificate, "pdf")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
    return location


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls, slug="culture-survey")


@pytest.fixture
def draft(calls):
    return add_draft(calls)


@pytest.fixture
def idea_call(calls):
    return add_idea_call(calls)


@pytest.fixture
def university(db):
    return University.objects.create(name="دانشگاه تهران", email_domains="ut.ac.ir")


@pytest.fixture
def person(university):
    user = UserFactory(
        email="maryam.ahmadi@ut.ac.ir",
        first_name="مریم",
        last_name="احمدی",
        role="faculty",
        university=university,
    )
    return with_confirmed_email(user)


@pytest.fixture
def other(db):
    return with_confirmed_email(
        UserFactory(email="reza.karimi@university.test", first_name="رضا", last_name="کریمی")
    )


def answer_survey(client, page, user, **changes):
    """Answer ``page`` as ``user`` through the survey view; returns the response."""
    client.force_login(user)
    data = {**valid_answers(), "_step": "1", "_action": "submit", **changes}
    return client.post(page.url, data)
