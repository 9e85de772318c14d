"""Calls of each kind, people and contributions for the dashboard tests."""

import pytest
from django.conf import settings
from django.utils import translation

from participation.incentives import services as incentives
from participation.questions.schema import read_questions
from participation.submissions.models import Answer
from participation.submissions.services import submit_response
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft, comment_on  # noqa: F401
from tests.participation.factories import Q, SurveyCampaignPageFactory
from tests.participation.ideas.factories import add_idea_call, submitted_idea  # noqa: F401
from tests.people.factories import EditorFactory, UserFactory

SECRET_ANSWER = "پاسخ محرمانه‌ای که نباید دیده شود"


@pytest.fixture(autouse=True)
def site_language():
    """Each test runs in Persian; the thread's language is restored afterwards."""
    previous = translation.get_language()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(previous) if previous else translation.deactivate()


@pytest.fixture(autouse=True)
def no_pdfs(monkeypatch):
    """Certificates are issued but their PDFs are not drawn (the incentives tests do that)."""
    monkeypatch.setattr(incentives, "queue_pdf", lambda certificate: None)


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="dash-calls")


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls, slug="dash-survey", title="نظرسنجی خوابگاه‌ها")


@pytest.fixture
def anonymous_survey(calls):
    return SurveyCampaignPageFactory(
        parent=calls, slug="dash-anon", title="نظرسنجی بی‌نام", anonymity="anonymous"
    )


@pytest.fixture
def draft(calls):
    return add_draft(calls, slug="dash-draft")


@pytest.fixture
def idea_call(calls):
    return add_idea_call(calls, slug="dash-ideas")


@pytest.fixture
def person(db):
    return UserFactory(
        email="maryam@ut.ac.ir", role="faculty", first_name="مریم", last_name="احمدی"
    )


@pytest.fixture
def student(db):
    return UserFactory(email="ali@ut.ac.ir", role="student", first_name="علی", last_name="رضایی")


@pytest.fixture
def editor(db):
    return EditorFactory()


def respond(page, user, text="پاسخ کوتاه"):
    """A response through the service, with one short-text answer."""
    questionnaire = read_questions(page.questions)
    answers = [Answer(question_id=Q["story"], text=text)]
    return submit_response(page, user, answers, questionnaire, language="fa")[0]
