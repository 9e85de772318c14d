"""Less friction on a draft: "Amend" starts from the clause's text, a vote's or report's
message appears on the comment acted on, and clauses read with their article in lists."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

import participation.drafts.wagtail_hooks  # noqa: F401 - registers the admin URLs
from participation.drafts import outline
from participation.drafts.choices import ModerationMode, Stance
from participation.drafts.forms import ClauseCommentForm
from participation.drafts.models import ClauseComment
from tests.people.factories import EditorFactory

from .factories import ARTICLE_1, ARTICLE_2, CLAUSE_A, NOTE_2B, add_draft, comment_on

pytestmark = pytest.mark.django_db

CLAUSE_A_TEXT = "گزارش مالی فعالیت‌ها"


def fa(msgid):
    with translation.override("fa"):
        return escape(gettext(msgid))


def clause_url(page, clause_id=CLAUSE_A):
    return f"{page.url}clause/{clause_id}/"


def test_the_proposed_wording_starts_from_the_clause_text(client, draft, participant):
    client.force_login(participant)
    html = client.get(clause_url(draft)).content.decode()
    [textarea] = re.findall(r'<textarea name="proposed_text"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea.strip() == CLAUSE_A_TEXT


def test_the_untouched_prefilled_wording_does_not_count_as_a_proposal():
    form = ClauseCommentForm(
        {"kind": "clause", "stance": Stance.AGREE, "body": "", "proposed_text": CLAUSE_A_TEXT},
        clause_text=CLAUSE_A_TEXT,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["proposed_text"] == ""


def test_a_new_clause_must_differ_from_the_prefilled_wording():
    form = ClauseCommentForm(
        {"kind": "new_clause", "body": "", "proposed_text": CLAUSE_A_TEXT},
        clause_text=CLAUSE_A_TEXT,
    )
    assert not form.is_valid()
    assert "proposed_text" in form.errors


def message_block(html, comment):
    """The message shown inside the comment's own card, or ``None``."""
    card = html.split(f'id="c-{comment.uuid}"', 1)[1].split("</article>", 1)[0]
    match = re.search(r'<div class="draft-message[^"]*" id="c-[^"]+-message"([^>]*)>', card)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("action", "data", "msgid"),
    [
        ("vote", {"value": "1"}, "Your vote was recorded."),
        ("reply", {"body": "موافقم."}, "Thank you. Your reply is published."),
    ],
)
def test_the_message_after_an_action_is_on_the_comment_and_takes_focus(
    client, draft, participant, others, action, data, msgid
):
    comment = comment_on(draft, participant)
    client.force_login(others[0])
    response = client.post(f"{draft.url}comments/{comment.uuid}/{action}/", data)
    assert response["Location"].endswith(f"#c-{comment.uuid}-message")
    html = client.get(response["Location"]).content.decode()
    attributes = message_block(html, comment)
    assert attributes is not None, "the message is not next to the comment"
    assert 'role="status"' in attributes and 'tabindex="-1"' in attributes
    assert "data-focus-message" in attributes
    assert fa(msgid) in html.split(f'id="c-{comment.uuid}"', 1)[1]
    # Not also at the top of the page.
    assert 'class="draft-messages"' not in html


def labels(page):
    with translation.override("fa"):
        return {p.id: p.label for p in outline.outline_of(page.draft_text)}


def test_most_discussed_clauses_are_named_with_their_article(client, draft, participant, others):
    comment_on(draft, participant, clause_id=CLAUSE_A)
    comment_on(draft, others[0], clause_id=NOTE_2B)
    html = client.get(draft.url).content.decode()
    hot = html.split('class="hot-list"', 1)[1].split("</ol>", 1)[0]
    names = labels(draft)
    assert f"{names[ARTICLE_1]}، {names[CLAUSE_A]}" in hot
    assert f"{names[ARTICLE_2]}، {names[NOTE_2B]}" in hot  # «ماده ۲، تبصره ۲»


def test_the_moderation_queue_names_clauses_with_their_article(client, calls, participant):
    page = add_draft(calls, slug="pre", moderation=ModerationMode.PRE)
    comment_on(page, participant, clause_id=NOTE_2B)
    client.force_login(EditorFactory(email="moderator@ministry.test"))
    with translation.override("fa"):
        response = client.get(reverse("hadaf_drafts:moderation"), HTTP_ACCEPT_LANGUAGE="fa")
    [item] = response.context["items"]
    names = labels(page)
    assert item.clause_label == f"{names[ARTICLE_2]}، {names[NOTE_2B]}"
    assert ClauseComment.objects.count() == 1
