"""Calls with submissions whose free text is distinctive, so tests can look for it in logs."""

import pytest

from participation.drafts.choices import ModerationMode
from participation.ideas.models import IdeaAnswer
from tests.helpers.reports import respond
from tests.participation.drafts.factories import add_draft, comment_on
from tests.participation.ideas.factories import QUESTION_TEAM, add_idea_call, idea_fields
from tests.people.factories import UserFactory

# Text a participant wrote: it must never reach an audit row or a log line.
SECRET_ANSWER = "پاسخ-محرمانه-۷۳۹۱"


@pytest.fixture
def survey_response(survey):
    return respond(survey, text=SECRET_ANSWER)


@pytest.fixture
def idea_call(call_index):
    return add_idea_call(call_index, slug="ideas")


@pytest.fixture
def author(db):
    return UserFactory(role="faculty", first_name="مریم", last_name="احمدی")


@pytest.fixture
def idea(idea_call, author):
    from participation.ideas import services

    answers = [IdeaAnswer(question_id=QUESTION_TEAM, text=SECRET_ANSWER)]
    draft = services.start_idea(
        idea_call, author, fields=idea_fields(body=SECRET_ANSWER), answers=answers
    )
    return services.submit_idea(draft, idea_call, author)


@pytest.fixture
def regulation_draft(call_index):
    return add_draft(call_index, slug="bylaw", moderation=ModerationMode.PRE)


@pytest.fixture
def pending_comment(regulation_draft, author):
    comment = comment_on(regulation_draft, author, body=SECRET_ANSWER)
    comment.refresh_from_db()
    return comment
