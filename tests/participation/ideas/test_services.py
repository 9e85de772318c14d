"""Writing, submitting and co-authoring ideas (services and workflow)."""

import datetime

import pytest
from django.utils import timezone

from participation.ideas import services, workflow
from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.models import IdeaEvent
from tests.people.factories import UserFactory

from .conftest import THEME_MEDIA, draft_idea, submitted_idea

pytestmark = pytest.mark.django_db


def test_start_idea_makes_the_person_its_lead_author(idea_call, author):
    idea = draft_idea(idea_call, author, category=THEME_MEDIA)
    assert idea.status == IdeaStatus.DRAFT
    assert idea.call_key == idea_call.call_key
    lead = idea.authors.get()
    assert (lead.person, lead.is_lead, lead.status) == (author, True, CoAuthorStatus.ACCEPTED)


def test_submitting_logs_the_step(idea_call, author):
    idea = submitted_idea(idea_call, author)
    assert idea.status == IdeaStatus.SUBMITTED and idea.submitted_at
    event = IdeaEvent.objects.get(idea=idea)
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", author)


def test_submitting_after_the_deadline_is_refused(idea_call, author):
    idea = draft_idea(idea_call, author)
    later = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(services.Refused):
        services.submit_idea(idea, idea_call, author, now=later)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT and not IdeaEvent.objects.exists()


def test_a_step_the_workflow_does_not_allow_is_refused(idea_call, author, editor):
    idea = submitted_idea(idea_call, author)
    with pytest.raises(workflow.TransitionRefused):
        workflow.move(idea, IdeaStatus.WINNER, actor=editor)
    with pytest.raises(workflow.TransitionRefused):
        workflow.move(idea, IdeaStatus.INELIGIBLE, actor=editor, reason="  ")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_invited_coauthor_accepts_with_the_invited_address(idea_call, author):
    idea = draft_idea(idea_call, author)
    guest = UserFactory(email="guest@ut.ac.ir")
    invited = services.invite_coauthor(idea, idea_call, author, "Guest@UT.ac.ir")
    token = services.invitation_token(invited)
    stranger = UserFactory()
    with pytest.raises(services.Refused):
        services.respond_to_invitation(services.author_from_token(token), stranger, accept=True)
    accepted = services.respond_to_invitation(services.author_from_token(token), guest, accept=True)
    assert (accepted.person, accepted.status) == (guest, CoAuthorStatus.ACCEPTED)
    with pytest.raises(services.Refused):
        services.author_from_token(token + "x")


def test_an_invitation_in_a_look_alike_spelling_belongs_to_the_one_account(idea_call, author):
    """Long s and fullwidth letters fold to the account's address (people/emails.py)."""
    idea = draft_idea(idea_call, author)
    guest = UserFactory(email="guest@ut.ac.ir")
    invited = services.invite_coauthor(idea, idea_call, author, "gue\u017ft@ＵＴ.ac.ir")
    assert invited.email == "guest@ut.ac.ir"
    token = services.invitation_token(invited)
    accepted = services.respond_to_invitation(services.author_from_token(token), guest, accept=True)
    assert (accepted.person, accepted.status) == (guest, CoAuthorStatus.ACCEPTED)
