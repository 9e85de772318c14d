"""A participant's statements and votes in their data export; erasure removes and detaches."""

import io
import json
import zipfile

import pytest

from participation.choices import ModerationState
from participation.opinions import services
from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement, StatementVote
from participation.privacy import services as privacy
from participation.privacy.export import build_zip

pytestmark = pytest.mark.django_db


def export_of(person):
    target = io.BytesIO()
    names = build_zip(person, target)
    archive = zipfile.ZipFile(target)
    return names, archive


@pytest.fixture
def conversation(survey, seeded, editor, participant, others):
    mine = services.add_statement(participant, survey, "برنامه‌های فرهنگی باید ترجمه شوند.")
    mine = services.moderate(editor, mine, call=survey, approve=True)
    services.vote(participant, seeded[0], VoteValue.DISAGREE, call=survey)
    services.vote(participant, seeded[1], VoteValue.PASS, call=survey)
    services.vote(others[0], seeded[0], VoteValue.AGREE, call=survey)
    services.vote(others[0], mine, VoteValue.DISAGREE, call=survey)
    return mine


def test_the_export_holds_the_persons_statements_and_votes_only(
    survey, seeded, participant, others, conversation
):
    names, archive = export_of(participant)
    assert {"statements.json", "statement_votes.json"} <= set(names)
    statements = json.loads(archive.read("statements.json"))
    assert [row["statement"] for row in statements] == [conversation.text]
    assert statements[0]["call"] == survey.title
    assert statements[0]["moderation"] == ModerationState.PUBLISHED
    assert statements[0]["written_at"]["jalali"]  # dates in both calendars
    votes = json.loads(archive.read("statement_votes.json"))
    # Their own statement's agree vote (Pol.is's rule), then their two votes.
    assert sorted((row["statement_text"], row["vote"]) for row in votes) == sorted(
        [(conversation.text, 1), (seeded[0].text, -1), (seeded[1].text, 0)]
    )
    readme = archive.read("README.txt").decode()
    assert "statement_votes.json" in readme and "۱- مخالف" in readme


def test_someone_without_statements_gets_empty_files(others, conversation):
    names, archive = export_of(others[1])
    assert json.loads(archive.read("statements.json")) == []
    assert json.loads(archive.read("statement_votes.json")) == []


def test_erasure_removes_the_votes_and_detaches_the_statements(
    survey, seeded, participant, others, conversation
):
    privacy.erase_account(participant)
    assert not StatementVote.objects.filter(participant=participant).exists()
    kept = Statement.objects.get(pk=conversation.pk)
    assert kept.author is None and kept.text == conversation.text
    # Other people's votes, on theirs and on the detached statement, stay.
    assert StatementVote.objects.filter(participant=others[0]).count() == 2
    assert Statement.objects.filter(call_key=survey.call_key).count() == len(seeded) + 1
