"""A decided draft, an idea call with a winner and a survey, each with a contributor,
and a helper that makes commitments through the services."""

import datetime

import pytest
from django.utils import timezone

from participation.choices import SourceKind
from participation.drafts import outline
from participation.drafts.choices import DecisionOutcome
from participation.drafts.models import ClauseComment, ClauseDecision, DraftRound
from participation.ideas.choices import CoAuthorStatus, IdeaKind, IdeaStatus
from participation.ideas.models import Idea, IdeaAuthor
from participation.impact import services
from participation.impact.models import Commitment
from participation.sources import SourceRef
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft
from tests.participation.ideas.factories import add_idea_call
from tests.people.factories import EditorFactory, UniversityFactory, UserFactory


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


def _closed(days=20):
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(days=days),
        "closes_at": now - datetime.timedelta(days=2),
        "outcome_published_at": now - datetime.timedelta(days=1),
    }


@pytest.fixture
def draft(calls):
    return add_draft(calls, **_closed())


@pytest.fixture
def commenter(db):
    return UserFactory(email="commenter@university.test", first_name="مریم")


@pytest.fixture
def comment(draft, commenter):
    DraftRound.objects.create(
        call_key=draft.call_key,
        number=1,
        closed_at=timezone.now() - datetime.timedelta(days=1),
        text=outline.snapshot(draft.draft_text),
    )
    return ClauseComment.objects.create(
        call=draft,
        call_key=draft.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        body="گزارش مالی باید عمومی منتشر شود.",
        author=commenter,
        language="fa",
    )


@pytest.fixture
def decision(comment):
    return ClauseDecision.objects.create(
        call_key=comment.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.ACCEPTED,
        reason="پیشنهاد با هدف آیین‌نامه سازگار بود.",
    )


@pytest.fixture
def idea_page(calls):
    return add_idea_call(calls, slug="festival", **_closed())


@pytest.fixture
def idea_author(db):
    return UserFactory(email="author@university.test")


def winning_idea(page, person, title="کارگاه روایت‌نویسی دانشجویی"):
    idea = Idea.objects.create(
        call=page,
        call_key=page.call_key,
        language="fa",
        kind=IdeaKind.IDEA,
        title=title,
        summary="خلاصه",
        status=IdeaStatus.WINNER,
        show_in_gallery=True,
        created_by=person,
    )
    IdeaAuthor.objects.create(
        idea=idea, person=person, email=person.email, is_lead=True, status=CoAuthorStatus.ACCEPTED
    )
    return idea


@pytest.fixture
def idea(idea_page, idea_author):
    return winning_idea(idea_page, idea_author)


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@ministry.test")


@pytest.fixture
def university(db):
    return UniversityFactory(name="دانشگاه تهران")


def decision_ref(decision):
    return SourceRef(SourceKind.CLAUSE_DECISION, decision.call_key, object_id=decision.pk)


def idea_ref(idea):
    return SourceRef(SourceKind.IDEA, idea.call_key, object_id=idea.pk)


def make(editor, call, refs=(), **fields):
    """A commitment made through the service (its notices run when the test's
    transaction would commit only under ``django_capture_on_commit_callbacks``)."""
    reason = fields.pop("reason", "")
    values = {"title": "انتشار عمومی گزارش مالی تشکل‌ها", "responsible_unit": "دفتر تشکل‌ها"}
    values.update(fields)
    commitment = Commitment(call=call, **values)
    services.create_commitment(editor, commitment, refs=refs, reason=reason)
    return commitment
