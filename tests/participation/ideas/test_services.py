"""Writing, submitting and co-authoring ideas (services and workflow)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from participation.ideas import services, workflow
from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.models import IdeaAnswer, IdeaEvent
from tests.people.factories import UserFactory

from .factories import THEME_MEDIA, draft_idea, submitted_idea

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


def test_an_account_stored_in_another_spelling_accepts_its_invitation(idea_call, author):
    """Long s and fullwidth letters fold to the account's address (participation/emails.py)."""
    idea = draft_idea(idea_call, author)
    guest = UserFactory(email="guest@ut.ac.ir")
    # Stored before canonical addresses, in a spelling that folds to the invited one.
    type(guest).objects.filter(pk=guest.pk).update(email="gue\u017ft@ＵＴ.ac.ir")
    guest.refresh_from_db()
    invited = services.invite_coauthor(idea, idea_call, author, "Guest@UT.ac.ir")
    assert invited.email == "guest@ut.ac.ir"
    token = services.invitation_token(invited)
    accepted = services.respond_to_invitation(services.author_from_token(token), guest, accept=True)
    assert (accepted.person, accepted.status) == (guest, CoAuthorStatus.ACCEPTED)


def test_the_database_keeps_one_answer_row_per_choice(idea_call, author):
    """A repeated choice cannot be stored twice, whatever path writes it."""
    idea = draft_idea(idea_call, author)
    row = {"idea": idea, "question_id": "theme", "choice_id": "media"}
    IdeaAnswer.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaAnswer.objects.create(**row)
    assert IdeaAnswer.objects.filter(idea=idea, question_id="theme").count() == 1


@pytest.mark.parametrize(
    "look_alike",
    [
        "admin@h\u0430d\u0430f.test",  # Cyrillic а
        "ed\u0131tor@hadaf.test",  # dotless ı
        "adm\u0131n@hadaf.test",
        "admin@xn--hdf-6cdb.test",  # the Cyrillic spelling's A-label
        "gue\u017ft@ＵＴ.ac.ir",  # long s and fullwidth letters: refused as at sign-up
    ],
)
def test_a_co_author_invitation_to_a_look_alike_is_refused_in_persian(
    idea_call, author, look_alike
):
    idea = draft_idea(idea_call, author)
    with translation.override("fa"), pytest.raises(services.Refused) as refused:
        services.invite_coauthor(idea, idea_call, author, look_alike)
    assert "خط‌های گوناگون" in str(refused.value.message)
    assert not idea.authors.filter(is_lead=False).exists()
