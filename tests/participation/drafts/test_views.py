"""The public pages of a regulation draft, through the test client: what is shown, to whom.

Messages and errors are compared with the catalogue's translation of their English msgid
under Persian, the language the pages are served in (the catalogue grows in parallel).
"""

import datetime
import io

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook

from pages.models import RegulationDraftPage
from participation.access import is_call_editor
from participation.choices import AnonymityMode
from participation.drafts import forms, outline, services
from participation.drafts.choices import (
    CommentKind,
    DecisionOutcome,
    ModerationMode,
    ModerationState,
    ReportReason,
    Stance,
)
from participation.drafts.identity import pseudonym
from participation.drafts.models import ClauseComment, CommentReport, CommentVote
from participation.results.exports import XLSX_CONTENT_TYPE
from tests.people.factories import EditorFactory, UserFactory

from .factories import ARTICLE_2, CHAPTER_1, CLAUSE_A, CLAUSE_B, NOTE_1, add_draft, comment_on

pytestmark = pytest.mark.django_db

CLAUSE_A_TEXT = "گزارش مالی فعالیت‌ها"


# Helpers -------------------------------------------------------------------------------


def fa(msgid, **params):
    """The Persian page's rendering of a message (its msgid in English)."""
    with translation.override("fa"):
        text = gettext(msgid)
        return escape(text % params if params else text)


def fa_number(number):
    from participation.persian import to_persian_digits

    return to_persian_digits(number)


def labels_of(page):
    with translation.override("fa"):
        return {p.id: p.label for p in outline.outline_of(page.draft_text)}


def clause_url(page, clause_id=CLAUSE_A):
    return f"{page.url}clause/{clause_id}/"


def xlsx_url(page, query=""):
    """The comparison export's address, as the page routes it."""
    return f"{page.url}{page.reverse_subpage('comparison_export')}{query}"


def action_url(page, comment, action):
    return f"{page.url}comments/{comment.uuid}/{action}/"


def decide(page, clause_id, outcome, reason, round_number=1):
    return services.record_decision(
        page,
        EditorFactory(),
        round_number=round_number,
        clause_id=clause_id,
        outcome=outcome,
        reason=reason,
    )


def publish_outcome(page):
    """Close the call and publish its outcome (makes the current round's decisions public)."""
    now = timezone.now()
    page.opens_at = now - datetime.timedelta(days=9)
    page.closes_at = now - datetime.timedelta(days=1)
    page.outcome_published_at = now - datetime.timedelta(hours=1)
    page.save_revision().publish()
    return RegulationDraftPage.objects.get(pk=page.pk)


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def xlsx_text(response):
    """Every cell of the downloaded workbook, as one string."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@ministry.test")


@pytest.fixture
def person_client(client, participant):
    client.force_login(participant)
    return client


def test_the_editors_group_may_edit_drafts(draft, editor, participant):
    """The decisions tests below rely on EditorFactory users being editors of the draft."""
    assert is_call_editor(editor, draft)
    assert not is_call_editor(participant, draft)


# The draft page ------------------------------------------------------------------------


def test_the_draft_page_shows_every_provision_with_its_label_and_count(
    client, draft, participant, others
):
    first = comment_on(draft, participant)
    comment_on(draft, others[0], stance=Stance.AGREE, body="")
    services.post_reply(draft, others[1], first, body="موافقم", language="fa")
    comment_on(
        draft,
        others[2],
        clause_id=NOTE_1,
        kind=CommentKind.NEW_CLAUSE,
        stance="",
        proposed_text="تبصره تازه",
    )

    html = html_of(client.get(draft.url))

    for label in labels_of(draft).values():
        assert escape(label) in html
    assert "گزارش برنامه‌های فرهنگی" in html
    assert fa("Contributions: %(number)s", number=fa_number(3)) in html  # clause A
    assert fa("Contributions: %(number)s", number=fa_number(1)) in html  # note 1
    assert f'href="{clause_url(draft)}"' in html
    assert f'id="clause-{CLAUSE_B}"' in html
    rows = {row.provision.id: row for row in client.get(draft.url).context["rows"]}
    assert (rows[CLAUSE_A].stats.comments, rows[CLAUSE_A].stats.replies) == (2, 1)
    assert rows[CLAUSE_A].stats.stances == {Stance.OPPOSE: 1, Stance.AGREE: 1}
    assert rows[CLAUSE_B].stats is None
    assert rows[CLAUSE_A].heat == 100


def test_the_draft_page_of_an_unknown_round_is_not_found(client, draft):
    for path in ("", f"clause/{CLAUSE_A}/", "comparison/"):
        assert client.get(f"{draft.url}{path}?round=7").status_code == 404, path
        assert client.get(f"{draft.url}{path}?round=x").status_code == 404, path
    # Even for an editor, who may download the open round's table.
    client.force_login(EditorFactory())
    assert client.get(xlsx_url(draft)).status_code == 200
    assert client.get(xlsx_url(draft, "?round=7")).status_code == 404


# Commenting on a clause ----------------------------------------------------------------


def test_a_comment_is_stored_and_the_person_sent_back_to_it_with_a_message(
    person_client, draft, participant
):
    response = person_client.post(
        clause_url(draft),
        {
            "kind": "clause",
            "stance": "amend",
            "body": "روشن‌تر شود.",
            "proposed_text": "گزارش مالی سالانه فعالیت‌ها",
        },
    )

    comment = ClauseComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{clause_url(draft)}#c-{comment.uuid}-message"
    assert (comment.author, comment.clause_id, comment.stance) == (participant, CLAUSE_A, "amend")
    assert comment.proposed_text == "گزارش مالی سالانه فعالیت‌ها"
    html = html_of(person_client.get(response["Location"]))
    assert fa("Thank you. Your comment is published.") in html
    assert f'id="c-{comment.uuid}"' in html
    assert "روشن‌تر شود." in html
    assert "<ins" in html  # the proposal is shown as a word diff
    # Shown once: the message is gone on the next visit.
    assert fa("Thank you. Your comment is published.") not in html_of(
        person_client.get(clause_url(draft))
    )


def test_a_pre_moderated_comment_says_it_awaits_a_moderator(person_client, calls):
    page = add_draft(calls, slug="pre", moderation=ModerationMode.PRE)
    response = person_client.post(
        clause_url(page), {"kind": "clause", "stance": "agree"}, follow=True
    )
    assert fa("Thank you. Your comment will appear once a moderator has approved it.") in (
        html_of(response)
    )
    assert ClauseComment.objects.get().moderation_state == ModerationState.PENDING


def test_a_clause_that_does_not_exist_is_not_found_and_nothing_is_stored(person_client, draft):
    for clause_id in ("not-a-clause", CHAPTER_1):
        response = person_client.post(
            clause_url(draft, clause_id), {"kind": "clause", "stance": "agree"}
        )
        assert response.status_code == 404
        assert person_client.get(clause_url(draft, clause_id)).status_code == 404
    assert ClauseComment.objects.count() == 0


def test_a_closed_draft_takes_no_comment_and_says_why(person_client, calls):
    now = timezone.now()
    page = add_draft(
        calls,
        slug="closed",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now - datetime.timedelta(days=10),
    )
    response = person_client.post(clause_url(page), {"kind": "clause", "stance": "agree"})

    html = html_of(response)
    assert fa("This call is closed; responses are no longer accepted.") in html
    assert ClauseComment.objects.count() == 0
    assert 'class="comment-form"' not in html


def test_a_second_stance_on_the_same_clause_is_refused_with_a_friendly_message(
    person_client, draft, participant
):
    comment_on(draft, participant)

    response = person_client.post(
        clause_url(draft), {"kind": "clause", "stance": "agree", "body": "نظرم عوض شد."}
    )

    html = html_of(response)
    assert fa("You have already commented on this clause in this round.") in html
    assert ClauseComment.objects.count() == 1
    assert ClauseComment.objects.get().stance == Stance.OPPOSE


def post_bad(client, page, data, clause_id=CLAUSE_A):
    before = ClauseComment.objects.count()
    response = client.post(clause_url(page, clause_id), data)
    assert ClauseComment.objects.count() == before
    html = html_of(response)
    assert 'id="comment-errors"' in html  # the error summary
    return response, html


@pytest.mark.parametrize(
    ("stance", "field"), [("amend", "body"), ("amend", "proposed_text"), ("oppose", "body")]
)
def test_overlong_text_is_refused(person_client, draft, stance, field):
    data = {"kind": "clause", "stance": stance, "body": "دلیل"}
    if stance == "amend":
        data["proposed_text"] = "متن نو"
    data[field] = "ا" * (forms.MAX_COMMENT_LENGTH + 1)

    response, html = post_bad(person_client, draft, data)

    # Only "too long": not also "write the wording", which the person did.
    assert [error.code for error in response.context["form"].errors.as_data()[field]] == [
        "max_length"
    ]
    with translation.override("fa"):
        assert escape(str(response.context["form"].errors[field][0])) in html


@pytest.mark.parametrize(
    "wording",
    [
        CLAUSE_A_TEXT,
        f"  {CLAUSE_A_TEXT}\n",
        "گزارش   مالی\nفعالیت‌ها",  # spacing
        "گزارش مالی فعالیت ها",  # a space for the ZWNJ
        "گزارش\u200cمالی فعالیت‌ها",  # a ZWNJ for the space
        "گزارش مالي فعاليت‌ها",  # Arabic yeh
        "گزارش مالی\u202b فعالیت‌ها",  # a bidi control
    ],
    ids=["same", "padded", "spacing", "space-for-zwnj", "zwnj-for-space", "arabic-yeh", "bidi"],
)
def test_a_proposed_wording_identical_to_the_clause_is_refused(person_client, draft, wording):
    _response, html = post_bad(
        person_client,
        draft,
        {"kind": "clause", "stance": "amend", "body": "", "proposed_text": wording},
    )
    assert (
        fa("The proposed wording is the same as the clause; change it or choose another stance.")
        in html
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "clause", "stance": "amend", "body": "باید عوض شود."},
            "proposed_text",
            "Write the wording you propose.",
        ),
        (
            {"kind": "clause", "stance": "oppose", "body": "   "},
            "body",
            "Say why, so the drafting committee can weigh it.",
        ),
        (
            {"kind": "clause", "stance": "delete"},
            "body",
            "Say why, so the drafting committee can weigh it.",
        ),
        ({"kind": "clause", "body": "نظر"}, "stance", "Choose your stance on the clause."),
        (
            {"kind": "clause", "stance": "agree", "proposed_text": "متن دیگر"},
            "proposed_text",
            "Proposed wording goes with the “Amend” stance only.",
        ),
        (
            {"kind": "new_clause", "body": "بندی لازم است"},
            "proposed_text",
            "Write the clause you propose.",
        ),
    ],
    ids=[
        "amend-without-wording",
        "oppose-without-reason",
        "delete-without-reason",
        "no-stance",
        "wording-without-amend",
        "new-clause-without-text",
    ],
)
def test_incomplete_comments_are_refused_with_the_reason(
    person_client, draft, data, field, message
):
    response, html = post_bad(person_client, draft, data)
    assert field in response.context["form"].errors
    assert fa(message) in html


@pytest.mark.parametrize("kind", ["reply", "anything"])
def test_a_comment_of_an_unknown_kind_is_refused(person_client, draft, kind):
    post_bad(person_client, draft, {"kind": kind, "stance": "agree"})


def test_a_stance_sent_with_a_new_clause_is_ignored(person_client, draft):
    response = person_client.post(
        clause_url(draft),
        {"kind": "new_clause", "stance": "oppose", "body": "", "proposed_text": "بند تازه"},
    )
    assert response.status_code == 302
    comment = ClauseComment.objects.get()
    assert (comment.kind, comment.stance, comment.proposed_text) == (
        CommentKind.NEW_CLAUSE,
        "",
        "بند تازه",
    )


def test_an_anonymous_visitor_cannot_comment(client, draft):
    response = client.post(clause_url(draft), {"kind": "clause", "stance": "agree"})
    html = html_of(response)
    assert ClauseComment.objects.count() == 0
    assert fa("Sign in to take part.") in html
    assert "/accounts/login/?next=" in html


# Replies, votes and reports ------------------------------------------------------------


@pytest.fixture
def published(draft, participant):
    return comment_on(draft, participant)


@pytest.mark.parametrize("action", ["reply", "vote", "report"])
def test_the_comment_actions_take_post_only(client, draft, published, others, action):
    client.force_login(others[0])
    assert client.get(action_url(draft, published, action)).status_code == 405


@pytest.mark.parametrize("action", ["reply", "vote", "report"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, draft, published, action):
    rows = ClauseComment.objects.count()
    response = client.post(
        action_url(draft, published, action), {"body": "پاسخ", "value": "1", "reason": "spam"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert clause_url(draft).replace("/", "%2F") in response["Location"]
    assert ClauseComment.objects.count() == rows
    assert not CommentVote.objects.exists() and not CommentReport.objects.exists()


def test_an_unknown_action_or_comment_is_not_found(client, calls, draft, published, others):
    other_draft = add_draft(calls, slug="other")
    elsewhere = comment_on(other_draft, others[1])
    client.force_login(others[0])

    assert client.post(action_url(draft, published, "delete"), {}).status_code == 404
    for action in ("reply", "vote", "report"):
        # A comment of another draft, through this draft's address.
        response = client.post(
            action_url(draft, elsewhere, action), {"body": "پاسخ", "value": "1", "reason": "spam"}
        )
        assert response.status_code == 404
    assert (
        client.post(
            f"{draft.url}comments/00000000-0000-0000-0000-000000000000/vote/", {"value": "1"}
        ).status_code
        == 404
    )
    assert ClauseComment.objects.count() == 2
    assert not CommentVote.objects.exists() and not CommentReport.objects.exists()


def test_replies_votes_and_reports_go_back_to_the_comment(client, draft, published, others):
    client.force_login(others[0])
    back = f"{clause_url(draft)}#c-{published.uuid}-message"

    response = client.post(action_url(draft, published, "reply"), {"body": "موافقم."})
    assert (response.status_code, response["Location"]) == (302, back)
    assert fa("Thank you. Your reply is published.") in html_of(client.get(back))
    reply = ClauseComment.objects.get(parent=published)
    assert reply.author == others[0]

    response = client.post(action_url(draft, published, "vote"), {"value": "1"})
    assert response["Location"] == back
    published.refresh_from_db()
    assert published.support_count == 1

    response = client.post(action_url(draft, published, "report"), {"reason": ReportReason.SPAM})
    assert response["Location"] == back
    assert CommentReport.objects.filter(comment=published, reporter=others[0]).exists()

    # A reply to a reply is refused with a message, and nothing stored.
    response = client.post(action_url(draft, reply, "reply"), {"body": "پاسخ به پاسخ"})
    assert response["Location"] == back
    html = html_of(client.get(back))
    assert fa("Replies can only be made to a comment, not to another reply.") in html
    assert ClauseComment.objects.count() == 2


def test_bad_votes_and_replies_change_nothing(person_client, draft, published):
    # The author votes on their own comment; an empty reply; a vote with no value.
    back = f"{clause_url(draft)}#c-{published.uuid}-message"
    assert (
        person_client.post(action_url(draft, published, "vote"), {"value": "1"})["Location"] == back
    )
    assert fa("You cannot vote on your own comment.") in html_of(person_client.get(back))
    person_client.post(action_url(draft, published, "reply"), {"body": "  "})
    assert fa("Write your reply.") in html_of(person_client.get(back))
    person_client.post(action_url(draft, published, "vote"), {"value": "7"})
    assert fa("Choose support or oppose.") in html_of(person_client.get(back))
    published.refresh_from_db()
    assert (published.support_count, published.oppose_count) == (0, 0)
    assert ClauseComment.objects.count() == 1
    assert not CommentVote.objects.exists()


# What is never shown -------------------------------------------------------------------

SHOWN = "متن منتشرشدهٔ نمونه"
NOT_SHOWN = {
    "hidden": "متن پنهان‌شدهٔ نمونه",
    "pending": "متن در انتظار بررسی",
    "removed": "متن حذف‌شدهٔ نمونه",
    "hidden-reply": "پاسخ پنهان‌شده",
}


@pytest.fixture
def moderated(calls, participant, others, editor):
    """A draft (one report hides a comment) with one published comment on clause A, and
    a hidden, a pending and a removed one (each proposing wording), and a hidden reply."""
    page = add_draft(calls, slug="moderated", report_threshold=1)
    shown = comment_on(
        page, participant, stance=Stance.AMEND, body=SHOWN, proposed_text=f"{SHOWN} پیشنهادی"
    )
    hidden = comment_on(
        page,
        others[0],
        stance=Stance.AMEND,
        body=NOT_SHOWN["hidden"],
        proposed_text=f"{NOT_SHOWN['hidden']} پیشنهادی",
    )
    assert services.report_comment(page, others[4], hidden, ReportReason.OFFENSIVE)
    removed = comment_on(
        page,
        others[1],
        stance=Stance.AMEND,
        body=NOT_SHOWN["removed"],
        proposed_text=f"{NOT_SHOWN['removed']} پیشنهادی",
    )
    services.moderate(removed, editor, approve=False)
    ClauseComment.objects.create(
        call=page,
        call_key=page.call_key,
        round_number=1,
        clause_id=CLAUSE_A,
        kind=CommentKind.CLAUSE,
        stance=Stance.AMEND,
        body=NOT_SHOWN["pending"],
        proposed_text=f"{NOT_SHOWN['pending']} پیشنهادی",
        clause_text=CLAUSE_A_TEXT,
        author=others[2],
        language="fa",
        moderation_state=ModerationState.PENDING,
    )
    reply = services.post_reply(
        page, others[3], shown, body=NOT_SHOWN["hidden-reply"], language="fa"
    )
    assert services.report_comment(page, others[4], reply, ReportReason.SPAM)
    return page


def assert_only_the_published_comment(text):
    for marker in NOT_SHOWN.values():
        assert marker not in text
    assert SHOWN in text


def test_moderated_comments_never_show_on_the_public_pages_nor_in_counts(client, moderated, others):
    client.force_login(UserFactory())  # a participant who wrote none of them
    page_html = html_of(client.get(moderated.url))
    clause = client.get(clause_url(moderated))
    clause_html = html_of(clause)

    for marker in NOT_SHOWN.values():
        assert marker not in page_html
    assert_only_the_published_comment(clause_html)
    assert fa("Contributions: %(number)s", number=fa_number(1)) in page_html
    assert fa("Comments (%(number)s)", number=fa_number(1)) in clause_html
    stats = clause.context["stats"]
    assert (stats.total, stats.comments, stats.replies) == (1, 1, 0)
    assert [card.comment.body for card in clause.context["cards"]] == [SHOWN]
    assert clause.context["cards"][0].replies == []
    # Moderated comments can't be reached through the actions either.
    removed = ClauseComment.objects.get(moderation_state=ModerationState.REMOVED)
    assert client.post(action_url(moderated, removed, "vote"), {"value": "1"}).status_code == 404


def test_authors_see_their_hidden_comment_but_not_a_removed_one_as_awaiting_moderation(
    client, moderated, others
):
    client.force_login(others[0])  # wrote the comment hidden after a report
    html = html_of(client.get(clause_url(moderated)))
    assert NOT_SHOWN["hidden"] in html
    assert fa("Hidden after reports") in html
    assert NOT_SHOWN["removed"] not in html

    client.force_login(others[1])  # wrote the comment a moderator removed
    response = client.get(clause_url(moderated))
    html = html_of(response)
    # A moderator has decided: it is not "awaiting moderation", and never shown again.
    assert NOT_SHOWN["removed"] not in html
    assert response.context["own_pending"] == []
    assert fa("Your comments awaiting moderation") not in html


def test_moderated_comments_never_show_in_the_comparison_table_nor_its_export(
    client, moderated, editor
):
    client.force_login(editor)  # editors see the table of the open round
    comparison = client.get(f"{moderated.url}comparison/")
    assert_only_the_published_comment(html_of(comparison))
    assert f'href="{xlsx_url(moderated, "?round=1")}"' in html_of(comparison)
    [row] = [row for row in comparison.context["rows"] if row.provision.id == CLAUSE_A]
    assert row.stats.total == 1
    assert [comment.proposed_text for comment in row.proposals] == [f"{SHOWN} پیشنهادی"]
    assert_only_the_published_comment(xlsx_text(client.get(xlsx_url(moderated))))

    # Once the outcome is public, anyone can read and download them: still nothing hidden.
    page = publish_outcome(moderated)
    client.logout()
    assert_only_the_published_comment(html_of(client.get(f"{page.url}comparison/")))
    assert_only_the_published_comment(xlsx_text(client.get(xlsx_url(page))))
    assert_only_the_published_comment(html_of(client.get(clause_url(page))))


def test_ones_own_pending_comment_is_shown_to_them_only(client, calls, participant, others):
    page = add_draft(calls, slug="pre", moderation=ModerationMode.PRE)
    comment_on(page, participant, body="نظر من در انتظار")

    client.force_login(participant)
    own = client.get(clause_url(page))
    html = html_of(own)
    assert "نظر من در انتظار" in html
    assert fa("Your comments awaiting moderation") in html
    assert fa("Awaiting moderation") in html
    assert [card.comment.body for card in own.context["own_pending"]] == ["نظر من در انتظار"]
    assert own.context["cards"] == []
    assert "نظر من در انتظار" not in html_of(client.get(page.url))

    client.force_login(others[0])
    assert "نظر من در انتظار" not in html_of(client.get(clause_url(page)))
    client.logout()
    html = html_of(client.get(clause_url(page)))
    assert "نظر من در انتظار" not in html
    assert fa("Your comments awaiting moderation") not in html
    assert fa("No comments yet") in html_of(client.get(page.url))


def test_a_pseudonymous_draft_never_shows_real_names(client, calls, participant, editor):
    page = add_draft(calls, slug="pseudo", anonymity=AnonymityMode.PSEUDONYMOUS)
    replier = UserFactory(first_name="کاوه", last_name="رستگار")
    first = comment_on(page, participant, stance=Stance.AMEND, proposed_text="گزارش مالی نو")
    services.post_reply(page, replier, first, body="موافقم", language="fa")
    names = [participant.first_name, participant.last_name, replier.first_name, "رستگار"]

    def assert_no_names(text):
        for name in names:
            assert name not in text

    client.force_login(UserFactory(first_name="بیننده", last_name="آزمون"))
    clause_html = html_of(client.get(clause_url(page)))
    assert_no_names(clause_html)
    with translation.override("fa"):
        assert escape(pseudonym(page.call_key, participant.pk)) in clause_html
        assert escape(pseudonym(page.call_key, replier.pk)) in clause_html
    assert_no_names(html_of(client.get(page.url)))
    page = publish_outcome(page)
    client.logout()
    for path in ("", f"clause/{CLAUSE_A}/", "comparison/"):
        assert_no_names(html_of(client.get(f"{page.url}{path}")))
    assert_no_names(xlsx_text(client.get(xlsx_url(page))))


def test_a_named_draft_shows_the_authors_name(client, draft, participant):
    comment_on(draft, participant)
    assert participant.get_full_name() in html_of(client.get(clause_url(draft)))


# Decisions -----------------------------------------------------------------------------

REASON = "با اهداف آیین‌نامه سازگار است و پذیرفته شد."


def test_decisions_are_shown_to_editors_only_until_they_are_public(
    client, draft, participant, editor
):
    comment_on(draft, participant)
    decide(draft, CLAUSE_A, DecisionOutcome.ACCEPTED, REASON)

    page_html = html_of(client.get(draft.url))
    assert REASON not in page_html
    assert REASON not in html_of(client.get(clause_url(draft)))
    comparison = client.get(f"{draft.url}comparison/")
    assert comparison.context["not_public_yet"] is True
    assert REASON not in html_of(comparison)
    assert client.get(xlsx_url(draft)).status_code == 404
    client.force_login(participant)
    assert REASON not in html_of(client.get(draft.url))

    client.force_login(editor)
    editor_page = client.get(draft.url)
    assert REASON in html_of(editor_page)
    assert editor_page.context["decisions_public"] is False
    assert fa(
        "As an editor you see the decisions already; the public sees them once the round "
        "closes or the outcome is published."
    ) in html_of(editor_page)
    assert REASON in html_of(client.get(clause_url(draft)))
    assert REASON in html_of(client.get(f"{draft.url}comparison/"))
    assert REASON in xlsx_text(client.get(xlsx_url(draft)))

    page = publish_outcome(draft)
    client.logout()
    public = client.get(page.url)
    assert REASON in html_of(public)
    assert public.context["decisions_public"] is True
    assert REASON in html_of(client.get(clause_url(page)))
    assert REASON in html_of(client.get(f"{page.url}comparison/"))
    assert REASON in xlsx_text(client.get(xlsx_url(page)))


# Rounds --------------------------------------------------------------------------------

REVISED_A = "گزارش مالی و حسابرسی سالانه فعالیت‌ها"
ADDED_TEXT = "گزارش فعالیت‌های مشترک با دانشگاه‌های دیگر"
ADDED_ID = "c0ffee00-0000-4000-8000-000000000001"


def second_round(page, editor):
    """Save a revision (clause A rewritten, clause B removed, a clause added), start round 2."""
    revised = page.get_latest_revision_as_object()
    blocks = outline.snapshot(page.draft_text)
    for block in blocks:
        if block["id"] == CLAUSE_A:
            block["value"]["text"] = REVISED_A
    blocks = [block for block in blocks if block["id"] != CLAUSE_B]
    blocks.insert(3, {"type": "clause", "id": ADDED_ID, "value": {"text": ADDED_TEXT}})
    revised.draft_text = blocks
    revised.save_revision(user=editor)
    live = RegulationDraftPage.objects.get(pk=page.pk)
    services.start_new_round(live, editor, summary="بند ب حذف شد.")
    return RegulationDraftPage.objects.get(pk=page.pk)


def test_with_one_round_the_changes_page_says_so(client, draft):
    response = client.get(f"{draft.url}changes/")
    assert response.context["changes"] is None
    assert fa("There is only one round so far") in html_of(response)


def test_the_changes_page_lists_changed_added_and_removed_clauses(client, draft, editor):
    page = second_round(draft, editor)

    response = client.get(f"{page.url}changes/")

    html = html_of(response)
    statuses = {change.provision.id: change.status for change in response.context["changes"]}
    assert statuses[CLAUSE_A] == "changed"
    assert statuses[CLAUSE_B] == "removed"
    assert statuses[ADDED_ID] == "added"
    assert {statuses[pid] for pid in (CHAPTER_1, NOTE_1, ARTICLE_2)} == {"unchanged"}
    summary = response.context["summary"]
    assert (summary["changed"], summary["added"], summary["removed"]) == (1, 1, 1)
    assert "<ins" in html and "<del" in html
    assert ADDED_TEXT in html
    assert "گزارش برنامه‌های فرهنگی" in html  # the removed clause, shown as deleted
    assert "بند ب حذف شد." in html
    for query in ("?from=2&to=1", "?from=1&to=1", "?to=3", "?from=x"):
        assert client.get(f"{page.url}changes/{query}").status_code == 404, query
    assert client.get(f"{page.url}changes/?from=1&to=2").status_code == 200


def test_a_closed_round_keeps_its_text_comments_and_public_decisions(
    client, draft, participant, editor
):
    comment_on(draft, participant, clause_id=CLAUSE_B, stance=Stance.DELETE, body="زائد است.")
    decide(draft, CLAUSE_B, DecisionOutcome.ACCEPTED, REASON)
    page = second_round(draft, editor)

    current = html_of(client.get(page.url))
    assert REVISED_A in current and ADDED_TEXT in current
    assert "گزارش برنامه‌های فرهنگی" not in current
    assert REASON not in current  # round 2 has no decisions yet
    assert client.get(clause_url(page, CLAUSE_B)).status_code == 404

    old = client.get(f"{page.url}?round=1")
    old_html = html_of(old)
    assert "گزارش برنامه‌های فرهنگی" in old_html and CLAUSE_A_TEXT in old_html
    assert REASON in old_html  # the closed round's decisions are public
    old_clause = html_of(client.get(f"{clause_url(page, CLAUSE_B)}?round=1"))
    assert "زائد است." in old_clause and REASON in old_clause
    # A closed round takes no comments.
    client.force_login(participant)
    response = client.post(
        f"{clause_url(page, CLAUSE_A)}?round=1", {"kind": "clause", "stance": "agree"}
    )
    assert response.status_code == 405
    assert ClauseComment.objects.count() == 1
    # The comparison table defaults to the closed round while the current one is private.
    client.logout()
    comparison = client.get(f"{page.url}comparison/")
    assert comparison.context["review_round"].number == 1
    assert REASON in html_of(comparison)


# The comparison export -----------------------------------------------------------------


def test_comparison_cells_that_look_like_formulas_stay_text(client, calls, participant, others):
    formulas = {
        "clause": '=HYPERLINK("https://example.test","بند")',
        "proposal": "=1+1",
        "reason": "=SUM(A1:A9)",
    }
    text = [
        {"type": "article", "id": "art", "value": {"title": "", "text": "متن ماده"}},
        {"type": "clause", "id": "formula", "value": {"text": formulas["clause"]}},
    ]
    page = add_draft(calls, slug="formulas", text=text)
    comment_on(
        page,
        participant,
        clause_id="formula",
        stance=Stance.AMEND,
        body="-2+3",
        proposed_text=formulas["proposal"],
    )
    decide(page, "formula", DecisionOutcome.REJECTED, formulas["reason"])
    page = publish_outcome(page)

    response = client.get(xlsx_url(page))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@"]
    assert risky, "the formula-like texts should be in the export"
    assert all(cell.data_type == "s" for cell in risky)
    values = {cell.value for cell in cells}
    assert formulas["clause"] in values
    assert formulas["reason"] in values
    assert any(formulas["proposal"] in str(value) for value in values)
