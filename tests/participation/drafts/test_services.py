"""Taking part in a draft: stances, replies, votes, reports, moderation, rounds, decisions."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from pages.models import RegulationDraftPage
from participation.choices import Audience
from participation.drafts import services
from participation.drafts.choices import (
    CommentKind,
    DecisionOutcome,
    ModerationMode,
    ModerationState,
    ReportReason,
    Stance,
)
from participation.drafts.models import ClauseComment, ClauseDecision, CommentReport, DraftRound
from tests.people.factories import EditorFactory, UserFactory

from .factories import ARTICLE_1, ARTICLE_2, CLAUSE_A, CLAUSE_B, NOTE_1, add_draft, comment_on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Refusals are matched by their English text here; the catalogue test covers Persian."""
    with translation.override("en"):
        yield


def test_a_comment_is_kept_with_its_round_clause_and_the_clause_text(draft, participant):
    comment = comment_on(draft, participant, stance=Stance.AMEND, proposed_text="گزارش مالی")

    comment.refresh_from_db()
    assert comment.round_number == 1
    assert comment.clause_id == CLAUSE_A
    assert comment.clause_text == "گزارش مالی فعالیت‌ها"
    assert comment.call_key == draft.translation_key
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert comment.author_role == "faculty"


def test_a_second_stance_on_the_same_clause_is_refused_and_nothing_is_stored(draft, participant):
    first = comment_on(draft, participant)

    with pytest.raises(services.AlreadyCommented) as refused:
        comment_on(draft, participant, stance=Stance.AGREE, body="")

    assert refused.value.comment == first
    assert ClauseComment.objects.count() == 1
    # Proposing a new clause after the same clause is a different act, and allowed once.
    comment_on(draft, participant, kind=CommentKind.NEW_CLAUSE, stance="", proposed_text="بند نو")
    with pytest.raises(services.AlreadyCommented):
        comment_on(draft, participant, kind=CommentKind.NEW_CLAUSE, proposed_text="بند دیگر")
    assert ClauseComment.objects.count() == 2


def test_a_comment_on_a_clause_that_does_not_exist_is_refused(draft, participant):
    with pytest.raises(services.Refused, match="does not exist"):
        comment_on(draft, participant, clause_id="not-a-clause")
    assert not ClauseComment.objects.exists()


def test_chapters_are_not_commented_on(draft, participant):
    from .factories import CHAPTER_1

    with pytest.raises(services.Refused):
        comment_on(draft, participant, clause_id=CHAPTER_1)
    assert not ClauseComment.objects.exists()


@pytest.mark.parametrize(("opens", "closes"), [(-20, -10), (5, 15)], ids=["closed", "upcoming"])
def test_a_closed_or_upcoming_draft_takes_no_comments(calls, participant, opens, closes):
    now = timezone.now()
    page = add_draft(
        calls,
        slug="closed",
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
    )
    with pytest.raises(services.Refused):
        comment_on(page, participant)
    assert not ClauseComment.objects.exists()


def test_only_the_audience_may_comment(calls, participant):
    page = add_draft(calls, slug="faculty", audience=Audience.ROLES, audience_roles=["student"])
    with pytest.raises(services.Refused, match="open to"):
        comment_on(page, participant)
    assert not ClauseComment.objects.exists()


def test_pre_moderated_comments_wait_for_a_moderator(calls, participant):
    page = add_draft(calls, slug="pre", moderation=ModerationMode.PRE)
    comment = comment_on(page, participant)
    assert comment.moderation_state == ModerationState.PENDING

    moderator = EditorFactory()
    services.moderate(comment, moderator, approve=True)

    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert comment.moderated_by == moderator
    assert PageLogEntry.objects.filter(page=page, action=services.APPROVED_ACTION).count() == 1


def test_replies_are_one_level_deep(draft, participant, others):
    comment = comment_on(draft, participant)
    reply = services.post_reply(draft, others[0], comment, body="موافقم", language="fa")
    assert reply.parent == comment
    assert reply.kind == CommentKind.REPLY
    assert (reply.round_number, reply.clause_id) == (1, CLAUSE_A)

    with pytest.raises(services.Refused, match="another reply"):
        services.post_reply(draft, others[1], reply, body="پاسخ به پاسخ", language="fa")
    assert ClauseComment.objects.count() == 2


def test_votes_count_once_per_person_switch_and_can_be_taken_back(draft, participant, others):
    comment = comment_on(draft, participant)
    assert services.cast_vote(draft, others[0], comment, 1) == 1
    assert services.cast_vote(draft, others[1], comment, 1) == 1
    assert services.cast_vote(draft, others[2], comment, -1) == -1
    comment.refresh_from_db()
    assert (comment.support_count, comment.oppose_count) == (2, 1)

    assert services.cast_vote(draft, others[2], comment, 1) == 1  # switched
    assert services.cast_vote(draft, others[0], comment, 1) is None  # taken back
    comment.refresh_from_db()
    assert (comment.support_count, comment.oppose_count) == (2, 0)
    assert comment.votes.count() == 2

    with pytest.raises(services.Refused, match="own comment"):
        services.cast_vote(draft, participant, comment, 1)


def test_enough_reports_hide_a_comment_until_a_moderator_decides(calls, participant, others):
    page = add_draft(calls, slug="reported", report_threshold=3)
    comment = comment_on(page, participant)

    assert services.report_comment(page, others[0], comment, ReportReason.SPAM) is False
    with pytest.raises(services.Refused, match="already reported"):
        services.report_comment(page, others[0], comment, ReportReason.OFFENSIVE)
    assert services.report_comment(page, others[1], comment, ReportReason.SPAM) is False
    assert services.report_comment(page, others[2], comment, ReportReason.PERSONAL) is True

    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    assert comment.report_count == 3
    # Hidden comments can't be reported, voted on or replied to.
    with pytest.raises(services.Refused):
        services.report_comment(page, others[3], comment, ReportReason.SPAM)
    with pytest.raises(services.Refused):
        services.cast_vote(page, others[3], comment, 1)
    with pytest.raises(services.Refused):
        services.post_reply(page, others[3], comment, body="پاسخ", language="fa")

    services.moderate(comment, EditorFactory(), approve=True)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert comment.report_count == 0
    assert not CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    # New reports count afresh after the moderator's decision.
    assert services.report_comment(page, others[3], comment, ReportReason.SPAM) is False


def test_a_moderator_can_remove_a_comment(draft, participant):
    comment = comment_on(draft, participant)
    services.moderate(comment, EditorFactory(), approve=False)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.REMOVED
    assert PageLogEntry.objects.filter(page=draft, action=services.REMOVED_ACTION).exists()


def test_decisions_are_private_until_the_round_closes(draft, participant):
    editor = EditorFactory()
    comment_on(draft, participant)
    services.record_decision(
        draft,
        editor,
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.REJECTED,
        reason="با اهداف آیین‌نامه سازگار نیست.",
    )
    assert not services.decisions_are_public(draft, services.current_round(draft))
    assert mail.outbox == []
    with pytest.raises(services.Refused):
        services.record_decision(
            draft, editor, round_number=1, clause_id="nope", outcome="accepted", reason="x"
        )
    with pytest.raises(services.Refused):
        services.record_decision(
            draft, editor, round_number=7, clause_id=CLAUSE_A, outcome="accepted", reason="x"
        )
    assert ClauseDecision.objects.count() == 1


def test_a_new_round_freezes_the_text_keeps_comments_and_tells_authors(
    draft, participant, others, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    stance = comment_on(draft, participant, stance=Stance.AMEND, proposed_text="گزارش مالی سالانه")
    proposal = comment_on(
        draft,
        others[0],
        clause_id=NOTE_1,
        kind=CommentKind.NEW_CLAUSE,
        stance="",
        proposed_text="تبصره جدید",
    )
    reply = services.post_reply(draft, others[1], stance, body="موافقم", language="fa")
    services.record_decision(
        draft,
        editor,
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.PARTLY_ACCEPTED,
        reason="بخشی از پیشنهاد اعمال شد.",
    )
    services.record_decision(
        draft,
        editor,
        round_number=1,
        clause_id=NOTE_1,
        outcome=DecisionOutcome.OUT_OF_SCOPE,
        reason="خارج از موضوع آیین‌نامه است.",
    )
    # The editor revises the text in a draft revision: clause A rewritten, clause B removed.
    revised = draft.get_latest_revision_as_object()
    text = [
        {"type": child.block_type, "id": child.id, "value": dict(child.value)}
        for child in draft.draft_text
        if child.id != CLAUSE_B
    ]
    text[2]["value"]["text"] = "گزارش مالی سالانه فعالیت‌ها"
    revised.draft_text = text
    revised.save_revision(user=editor)
    draft = RegulationDraftPage.objects.get(pk=draft.pk)  # the live page, as the admin loads it

    with django_capture_on_commit_callbacks(execute=True):
        new_round = services.start_new_round(draft, editor, summary="بند ب حذف شد.")

    assert new_round.number == 2
    closed = DraftRound.objects.get(call_key=draft.call_key, number=1)
    assert closed.is_closed
    frozen = {item["id"]: item["value"].get("text") for item in closed.text}
    assert frozen[CLAUSE_A] == "گزارش مالی فعالیت‌ها"
    assert CLAUSE_B in frozen
    draft.refresh_from_db()
    live = {child.id: child.value.get("text") for child in draft.draft_text}
    assert live[CLAUSE_A] == "گزارش مالی سالانه فعالیت‌ها"
    assert CLAUSE_B not in live
    # Comments stay on round 1; the reply's author was not decided on, so is not told.
    assert set(ClauseComment.objects.values_list("round_number", flat=True)) == {1}
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([participant.email, others[0].email])
    assert reply.author.email not in recipients
    notice = next(message for message in mail.outbox if message.to == [participant.email])
    assert "بخشی از پیشنهاد اعمال شد." in notice.body
    # The link comes from the configured site address, not from Wagtail's Site record.
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + draft.url in notice.body
    assert all(decision.notified_at for decision in ClauseDecision.objects.filter(round_number=1))
    # Told once: announcing again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_decisions(draft) == 0
    assert len(mail.outbox) == 2
    # New comments go to round 2, where the same person may take a stance again.
    again = comment_on(draft, participant, stance=Stance.AGREE, body="")
    assert again.round_number == 2
    assert proposal.round_number == 1


def test_a_decision_recorded_after_the_outcome_is_published_is_told_at_once(
    calls, participant, django_capture_on_commit_callbacks
):
    page = add_draft(calls, slug="done")
    comment_on(page, participant, clause_id=ARTICLE_2)
    now = timezone.now()
    page.closes_at = now - datetime.timedelta(days=1)
    page.opens_at = now - datetime.timedelta(days=9)
    page.outcome_published_at = now - datetime.timedelta(hours=1)
    page.save_revision().publish()
    page.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(
            page,
            EditorFactory(),
            round_number=1,
            clause_id=ARTICLE_2,
            outcome=DecisionOutcome.ACCEPTED,
            reason="پذیرفته شد.",
        )
    assert [message.to for message in mail.outbox] == [[participant.email]]


def test_a_rolled_back_decision_sends_nothing(
    draft, participant, django_capture_on_commit_callbacks
):
    from django.db import transaction

    comment_on(draft, participant, clause_id=ARTICLE_1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.start_new_round(draft, EditorFactory())
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    assert DraftRound.objects.filter(call_key=draft.call_key).count() == 1


def test_rounds_are_shared_by_the_translations_of_a_draft(draft):
    assert services.current_round(draft).number == 1
    assert services.current_round(draft) == services.rounds_of(draft)[0]
    assert UserFactory  # the factory module loads with the drafts app installed


def test_publishing_the_outcome_tells_the_authors_once(
    calls, participant, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    page = add_draft(calls, slug="outcome")
    comment_on(page, participant, clause_id=ARTICLE_1)
    services.record_decision(
        page,
        EditorFactory(),
        round_number=1,
        clause_id=ARTICLE_1,
        outcome=DecisionOutcome.ACCEPTED,
        reason="در متن نهایی آمد.",
    )
    assert mail.outbox == []
    now = timezone.now()
    page.opens_at = now - datetime.timedelta(days=9)
    page.closes_at = now - datetime.timedelta(days=1)
    page.outcome_published_at = now - datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert [message.to for message in mail.outbox] == [[participant.email]]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_decisions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_publishing_a_new_draft_does_not_start_a_round(calls):
    page = add_draft(calls, slug="fresh")
    assert not DraftRound.objects.filter(call_key=page.call_key).exists()
