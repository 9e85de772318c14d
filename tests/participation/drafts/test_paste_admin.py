"""The page editor in the real admin: pasting a bylaw, and the rules that guard the text."""

from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localtime
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from participation.choices import AnonymityMode
from participation.drafts import outline, services
from participation.drafts.choices import CommentKind, Stance
from participation.drafts.models import ClauseComment
from tests.people.factories import UserFactory

from .factories import CLAUSE_B, SMALL_TEXT

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "participation/drafts/data/sample_bylaw_fa.txt"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@ministry.test", is_superuser=True, is_staff=True))
    return client


def legal_text(blocks):
    """StreamField form data for ``blocks`` (stored form), keeping each block's id."""
    data = streamfield([(block["type"], block["value"]) for block in blocks])
    for index, block in enumerate(blocks):
        data[str(index)]["id"] = block["id"]
    return data


def admin_datetime(value):
    return localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def edit_form_data(page, *, text=None, paste="", **changes):
    """The page editor's form as an editor would send it for ``page``, with ``changes``."""
    fields = {
        "title": page.title,
        "slug": page.slug,
        "intro": rich_text(page.intro),
        "body": streamfield([]),
        "rationale": rich_text(page.rationale),
        "related_documents": streamfield([]),
        "draft_text_paste": paste,
        "draft_text": legal_text(outline.snapshot(page.draft_text) if text is None else text),
        "opens_at": admin_datetime(page.opens_at),
        "closes_at": admin_datetime(page.closes_at),
        "audience": page.audience,
        "anonymity": page.anonymity,
        "results_visibility": page.results_visibility,
        "outcome": rich_text(page.outcome),
        "outcome_published_at": "",
        "moderation": page.moderation,
        "report_threshold": str(page.report_threshold),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    fields.update(changes)
    return nested_form_data(fields)


def edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def latest(page):
    """The page as last saved in the editor (the latest revision, published or not)."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def latest_text(page):
    return latest(page).draft_text


def form_errors(response, field):
    return [str(message) for message in response.context["form"].errors.get(field, [])]


def test_the_unchanged_form_saves_a_revision(admin_client, draft):
    """The form data built here is a complete, valid edit (the other tests rely on it)."""
    revisions = draft.revisions.count()
    response = edit(admin_client, draft, edit_form_data(draft))
    assert response.status_code == 302, response.context["form"].errors
    assert draft.revisions.count() == revisions + 1
    assert outline.snapshot(latest_text(draft)) == outline.snapshot(draft.draft_text)


def test_a_pasted_bylaw_becomes_chapters_articles_clauses_and_notes(admin_client, draft):
    revisions = draft.revisions.count()
    response = edit(admin_client, draft, edit_form_data(draft, paste=SAMPLE.read_text()))

    assert response.status_code == 302, response.context["form"].errors
    assert draft.revisions.count() == revisions + 1
    text = latest_text(draft)
    with translation.override("fa"):
        provisions = outline.outline_of(text)
        labels = [provision.label for provision in provisions]
    assert Counter(provision.kind for provision in provisions) == {
        "chapter": 5,
        "article": 24,
        "clause": 34,
        "note": 15,
    }
    # Every block got its own stable id, and none of the old text is left.
    ids = [child.id for child in text]
    assert len(set(ids)) == len(ids) == 78 and all(ids)
    assert not {block["id"] for block in SMALL_TEXT} & set(ids)
    # Numbered automatically, Iranian style (the words come from the catalogue; the
    # numbers and letters are checked here).
    assert [(p.kind, p.number) for p in provisions[:6]] == [
        ("chapter", 1),
        ("article", 1),
        ("article", 2),
        ("clause", 1),
        ("clause", 2),
        ("clause", 3),
    ]
    assert labels[:6] == ["فصل اول", "ماده ۱", "ماده ۲", "بند الف", "بند ب", "بند پ"]
    articles = [p for p in provisions if p.kind == "article"]
    assert [p.number for p in articles] == list(range(1, 25))
    with translation.override("fa"):
        assert articles[-1].label.endswith("۲۴")
        assert [p.label for p in provisions if p.kind == "chapter"][-1].endswith("پنجم")
        lone_notes = [p for p in provisions if p.kind == "note" and p.siblings == 1]
        assert lone_notes and all(p.label == lone_notes[0].label for p in lone_notes)
        assert lone_notes[0].label == "تبصره"
    assert provisions[1].text.startswith("هدف از این آیین‌نامه")
    # The live page keeps its text until the revision is published.
    draft.refresh_from_db()
    assert [child.id for child in draft.draft_text] == [block["id"] for block in SMALL_TEXT]


def test_a_paste_without_an_article_is_refused_and_changes_nothing(admin_client, draft):
    revisions = draft.revisions.count()
    response = edit(
        admin_client,
        draft,
        edit_form_data(draft, paste="این متن هیچ ماده‌ای ندارد.\nفقط چند سطر توضیح است."),
    )

    assert response.status_code == 200
    assert form_errors(response, "draft_text_paste")
    assert draft.revisions.count() == revisions
    assert outline.snapshot(latest_text(draft)) == outline.snapshot(draft.draft_text)


def test_removing_a_clause_with_comments_in_the_open_round_is_refused(
    admin_client, draft, participant
):
    services.post_comment(
        draft,
        participant,
        clause_id=CLAUSE_B,
        kind=CommentKind.CLAUSE,
        stance=Stance.DELETE,
        body="این بند لازم نیست.",
        language="fa",
    )
    revisions = draft.revisions.count()
    without_b = [block for block in SMALL_TEXT if block["id"] != CLAUSE_B]

    response = edit(admin_client, draft, edit_form_data(draft, text=without_b))

    assert response.status_code == 200
    [error] = form_errors(response, "draft_text")
    with translation.override("fa"):
        label = outline.commentable(outline.outline_of(draft.draft_text))[CLAUSE_B].label
    assert label.endswith("ب")
    assert label in error
    assert draft.revisions.count() == revisions
    assert ClauseComment.objects.filter(clause_id=CLAUSE_B).count() == 1


def test_removing_a_clause_nobody_commented_on_is_allowed(admin_client, draft, participant):
    services.post_comment(
        draft,
        participant,
        clause_id=SMALL_TEXT[2]["id"],
        kind=CommentKind.CLAUSE,
        stance=Stance.AGREE,
        language="fa",
    )
    without_b = [block for block in SMALL_TEXT if block["id"] != CLAUSE_B]

    response = edit(admin_client, draft, edit_form_data(draft, text=without_b))

    assert response.status_code == 302, response.context["form"].errors
    assert CLAUSE_B not in {child.id for child in latest_text(draft)}


def test_pasting_over_a_commented_text_is_refused_too(admin_client, draft, participant):
    services.post_comment(
        draft,
        participant,
        clause_id=CLAUSE_B,
        kind=CommentKind.CLAUSE,
        stance=Stance.AGREE,
        language="fa",
    )
    revisions = draft.revisions.count()

    response = edit(admin_client, draft, edit_form_data(draft, paste=SAMPLE.read_text()))

    assert response.status_code == 200
    [error] = form_errors(response, "draft_text")
    with translation.override("fa"):
        label = outline.commentable(outline.outline_of(draft.draft_text))[CLAUSE_B].label
    assert label in error
    assert draft.revisions.count() == revisions


def test_an_anonymous_draft_is_refused(admin_client, draft):
    revisions = draft.revisions.count()

    response = edit(
        admin_client, draft, edit_form_data(draft, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)
    )

    assert response.status_code == 200
    assert form_errors(response, "anonymity")
    assert draft.revisions.count() == revisions
    assert latest(draft).anonymity == AnonymityMode.NAMED


def test_a_pseudonymous_draft_is_accepted(admin_client, draft):
    response = edit(
        admin_client, draft, edit_form_data(draft, anonymity=AnonymityMode.PSEUDONYMOUS)
    )
    assert response.status_code == 302, response.context["form"].errors
    assert latest(draft).anonymity == AnonymityMode.PSEUDONYMOUS


def test_after_pasting_the_editor_is_told_what_was_left_out(admin_client, draft):
    pasted = "آیین‌نامه آزمایشی\nمصوب شورا\n\nماده ۱ - متن نخست.\nماده ۳ - متن دوم."
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        edit_form_data(draft, paste=pasted),
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("آیین‌نامه آزمایشی مصوب شورا" in message for message in shown), shown
    # The numbering skip (۳ after ۱) is reported too, and the text still saved.
    assert len(shown) >= 3
    assert [p.kind for p in outline.outline_of(latest_text(draft))] == ["article", "article"]
