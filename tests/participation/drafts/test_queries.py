"""The public pages of a draft cost the same number of queries whatever its size.

A small draft (5 clauses, 3 comments) and a large one (60 clauses, 300 comments with
replies, votes and a closed round) are rendered after a warm-up request each; the
number of queries must be equal.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.drafts import services
from participation.drafts.choices import CommentKind, DecisionOutcome, ModerationState, Stance
from participation.drafts.models import ClauseComment, ClauseDecision, CommentVote
from tests.people.factories import EditorFactory, UserFactory

from .factories import add_draft

pytestmark = pytest.mark.django_db

STANCES = list(Stance)


def legal_text(clauses):
    """One article then ``clauses - 1`` clauses and notes, a new article every six blocks."""
    blocks = []
    for index in range(clauses):
        block_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"hadaf-queries:{clauses}:{index}"))
        if index % 6 == 0:
            blocks.append(
                {"type": "article", "id": block_id, "value": {"title": "", "text": f"ماده {index}"}}
            )
        else:
            kind = "note" if index % 6 == 5 else "clause"
            blocks.append({"type": kind, "id": block_id, "value": {"text": f"متن بند {index}"}})
    return blocks


def build_draft(calls, *, slug, clauses, comments, authors, viewer):
    """A draft whose first clause (``ids[1]``) holds a third of the comments.

    Every fifth comment is a reply; the viewer voted on every top-level comment of the
    first clause and has a pending comment there; a fifth of the clauses are decided.
    """
    text = legal_text(clauses)
    page = add_draft(calls, slug=slug, text=text)
    ids = [block["id"] for block in text]
    round_number = services.current_round(page).number

    def comment(index, clause_id, **fields):
        values = {
            "call": page,
            "call_key": page.call_key,
            "round_number": round_number,
            "clause_id": clause_id,
            "kind": CommentKind.CLAUSE,
            "stance": STANCES[index % len(STANCES)],
            "body": f"نظر شماره {index}",
            "proposed_text": f"پیشنهاد {index}" if index % 4 == 0 else "",
            "clause_text": "متن",
            "author": authors[index % len(authors)],
            "language": "fa",
            "support_count": index % 7,
        }
        values.update(fields)
        if values["proposed_text"]:
            values["stance"] = Stance.AMEND
        return ClauseComment(**values)

    top_count = comments - comments // 5
    tops = []
    for index in range(top_count):
        # A third on the first clause, the rest spread over the others. Authors take turns
        # (there are more of them than comments): one stance per person per clause.
        clause_id = ids[1] if index % 3 == 0 else ids[2 + index * 7 % (len(ids) - 2)]
        tops.append(comment(index, clause_id))
    tops = ClauseComment.objects.bulk_create(tops)
    replies = [
        comment(
            top_count + index,
            parent.clause_id,
            kind=CommentKind.REPLY,
            stance="",
            proposed_text="",
            parent=parent,
        )
        for index, parent in enumerate(tops[: comments - top_count])
    ]
    ClauseComment.objects.bulk_create(replies)
    on_first = [comment for comment in tops if comment.clause_id == ids[1]]
    CommentVote.objects.bulk_create(
        CommentVote(comment=comment, voter=viewer, value=1) for comment in on_first
    )
    ClauseComment.objects.create(
        call=page,
        call_key=page.call_key,
        round_number=round_number,
        clause_id=ids[1],
        stance=Stance.AGREE,
        author=viewer,
        language="fa",
        moderation_state=ModerationState.PENDING,
    )
    ClauseDecision.objects.bulk_create(
        ClauseDecision(
            call_key=page.call_key,
            round_number=round_number,
            clause_id=clause_id,
            outcome=DecisionOutcome.ACCEPTED,
            reason="پذیرفته شد.",
        )
        for clause_id in ids[::5]
    )
    return page, ids


def many_people(count):
    return get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"author{index}@university.test",
            first_name="نام",
            last_name=f"نویسنده {index}",
            role="faculty",
        )
        for index in range(count)
    )


@pytest.fixture
def drafts(calls):
    authors = many_people(300)
    viewer = UserFactory(role="faculty")
    small = build_draft(calls, slug="small", clauses=5, comments=3, authors=authors, viewer=viewer)
    large = build_draft(
        calls, slug="large", clauses=60, comments=300, authors=authors, viewer=viewer
    )
    assert ClauseComment.objects.filter(call_key=small[0].call_key).count() == 3 + 1
    assert ClauseComment.objects.filter(call_key=large[0].call_key).count() == 300 + 1
    return small, large, viewer


def count_queries(client, url):
    client.get(url)  # warm-up: site root paths, content types, locales
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def test_the_fixture_gives_the_pages_something_to_show(client, drafts):
    (small, small_ids), (large, large_ids), viewer = drafts
    client.force_login(viewer)
    _count, response = count_queries(client, f"{large.url}clause/{large_ids[1]}/")
    assert response.context["comment_page"].paginator.count > 20  # more than one page
    assert any(card.replies for card in response.context["cards"])
    assert len(response.context["own_pending"]) == 1
    _count, response = count_queries(client, large.url)
    assert sum(1 for row in response.context["rows"] if row.stats) > 40


@pytest.mark.parametrize("signed_in", [True, False], ids=["participant", "visitor"])
@pytest.mark.parametrize("path", ["", "clause", "comparison/"])
def test_the_public_pages_cost_the_same_queries_whatever_the_size(client, drafts, path, signed_in):
    (small, small_ids), (large, large_ids), viewer = drafts
    if signed_in:
        client.force_login(viewer)

    def url(page, ids):
        return f"{page.url}clause/{ids[1]}/" if path == "clause" else f"{page.url}{path}"

    small_count, _ = count_queries(client, url(small, small_ids))
    large_count, _ = count_queries(client, url(large, large_ids))

    print(
        f"queries for {path or 'draft page'!r} ({'participant' if signed_in else 'visitor'}):"
        f" small={small_count} large={large_count}"
    )
    assert small_count == large_count


def test_the_comparison_table_of_an_editor_costs_the_same_queries(client, drafts):
    """Editors see the open round's table with its decisions."""
    (small, small_ids), (large, large_ids), _viewer = drafts
    client.force_login(EditorFactory())
    for path in ("", "comparison/"):
        small_count, _ = count_queries(client, f"{small.url}{path}")
        large_count, response = count_queries(client, f"{large.url}{path}")
        print(
            f"queries for {path or 'draft page'!r} (editor): small={small_count} "
            f"large={large_count}"
        )
        assert small_count == large_count
    assert response.context["rows"][0].decision is not None


def test_many_pending_comments_of_ones_own_cost_no_query_each(client, calls, participant):
    """The clause page lists the person's own pending comments without a query per comment."""
    text = legal_text(5)
    page = add_draft(calls, slug="own", text=text)
    clause_id = text[1]["id"]
    parent = ClauseComment.objects.create(
        call=page,
        call_key=page.call_key,
        round_number=1,
        clause_id=clause_id,
        stance=Stance.AGREE,
        author=UserFactory(),
        language="fa",
    )
    client.force_login(participant)

    def pending_replies(count):
        ClauseComment.objects.bulk_create(
            ClauseComment(
                call=page,
                call_key=page.call_key,
                round_number=1,
                clause_id=clause_id,
                kind=CommentKind.REPLY,
                body="پاسخ",
                parent=parent,
                author=participant,
                language="fa",
                moderation_state=ModerationState.PENDING,
            )
            for _ in range(count)
        )

    url = f"{page.url}clause/{clause_id}/"
    pending_replies(1)
    one, _ = count_queries(client, url)
    pending_replies(9)
    ten, response = count_queries(client, url)
    assert len(response.context["own_pending"]) == 10
    print(f"queries for the clause page: 1 own pending={one}, 10 own pending={ten}")
    assert one == ten
