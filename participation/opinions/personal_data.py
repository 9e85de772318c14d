"""A person's statements and votes, for their data export and their account's erasure.

Registered with the kernel's ``participation.personal_data`` when the app is ready, so the
privacy app reaches them without importing this app. Erasing an account deletes the
person's votes (a vote is only about them) and detaches their statements: the text stays
in the conversation others voted on, with no author.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from participation.personal_data import PersonalDataProvider, register

from .models import Statement, StatementVote


def _call_titles(keys):
    titles = {}
    for page in Page.objects.filter(translation_key__in=set(keys)).order_by("pk"):
        titles.setdefault(page.translation_key, page.title)
    return titles


def export_statements(person):
    """The statements ``person`` wrote, with their moderation state."""
    statements = list(Statement.objects.filter(author=person).order_by("pk"))
    titles = _call_titles(statement.call_key for statement in statements)
    return [
        {
            "id": str(statement.uuid),
            "call": titles.get(statement.call_key, ""),
            "call_key": str(statement.call_key),
            "statement": statement.text,
            "seeded_by_editor": statement.seeded_by_editor,
            "moderation": statement.moderation_state,
            "written_at": statement.created_at,
        }
        for statement in statements
    ]


def export_votes(person):
    """``person``'s votes on statements: which statement, agree (1), disagree (-1), pass (0)."""
    votes = list(
        StatementVote.objects.filter(participant=person).select_related("statement").order_by("pk")
    )
    titles = _call_titles(vote.statement.call_key for vote in votes)
    return [
        {
            "statement": str(vote.statement.uuid),
            "statement_text": vote.statement.text,
            "call": titles.get(vote.statement.call_key, ""),
            "call_key": str(vote.statement.call_key),
            "vote": vote.value,
            "first_voted_at": vote.created_at,
            "voted_at": vote.updated_at,
        }
        for vote in votes
    ]


def detach_statements(person):
    """The person's statements stay in their conversations, without an author."""
    Statement.objects.filter(author=person).update(author=None)


def delete_votes(person):
    StatementVote.objects.filter(participant=person).delete()


def register_providers():
    register(
        PersonalDataProvider(
            name="statements.json",
            description=_("Statements you added to opinion conversations, and their moderation."),
            export=export_statements,
            erase=detach_statements,
        )
    )
    register(
        PersonalDataProvider(
            name="statement_votes.json",
            description=_(
                "Your votes on statements: 1 agree, -1 disagree, 0 pass, with the statement."
            ),
            export=export_votes,
            erase=delete_votes,
        )
    )
