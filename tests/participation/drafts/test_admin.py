"""The drafting committee's admin: moderation queue, decisions, new rounds, the export."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.log_actions import registry as log_registry
from wagtail.models import GroupPagePermission, PageLogEntry

from pages.models import RegulationDraftPage
from participation.drafts import admin_views, outline, services
from participation.drafts.choices import (
    CommentKind,
    DecisionOutcome,
    ModerationMode,
    ModerationState,
    ReportReason,
    Stance,
)
from participation.drafts.forms import MAX_DECISION_REASON_LENGTH
from participation.drafts.identity import display_name
from participation.drafts.models import ClauseComment, ClauseDecision, CommentReport, DraftRound
from participation.drafts.wagtail_hooks import ModerationMenuItem
from participation.results.exports import XLSX_CONTENT_TYPE
from tests.people.factories import EditorFactory, UserFactory

from .factories import (
    ARTICLE_1,
    ARTICLE_2,
    CLAUSE_A,
    CLAUSE_B,
    NOTE_1,
    NOTE_2A,
    NOTE_2B,
    add_draft,
    comment_on,
)

pytestmark = pytest.mark.django_db

COMMENTABLE = [ARTICLE_1, CLAUSE_A, CLAUSE_B, NOTE_1, ARTICLE_2, NOTE_2A, NOTE_2B]


def url(name, *args):
    return reverse(f"hadaf_drafts:{name}", args=args)


def decide(page, user, clause_id, outcome, reason):
    services.current_round(page)  # Round 1 starts with the first comment or admin visit.
    return services.record_decision(
        page, user, round_number=1, clause_id=clause_id, outcome=outcome, reason=reason
    )


def logged(action, comment):
    return PageLogEntry.objects.filter(action=action, data__comment=str(comment.uuid)).exists()


def state_of(comment):
    return ClauseComment.objects.get(pk=comment.pk).moderation_state


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@ministry.test")


@pytest.fixture
def reported_draft(calls):
    """Post-moderated; one report hides a comment."""
    return add_draft(calls, slug="reported", report_threshold=1)


@pytest.fixture
def pre_draft(calls):
    return add_draft(calls, slug="pre", title="پیش‌نویس شیوه‌نامه", moderation=ModerationMode.PRE)


@pytest.fixture
def scoped_editor(reported_draft):
    """In the admin, allowed to edit ``reported_draft`` only."""
    user = UserFactory(email="scoped@ministry.test", is_staff=True, role="")
    group = Group.objects.create(name="Draft committee")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=reported_draft, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    return user


@pytest.fixture
def queue(reported_draft, pre_draft, participant, others):
    """Comments in every state on two drafts, oldest first."""
    published = comment_on(reported_draft, participant)
    hidden = comment_on(reported_draft, others[0], clause_id=CLAUSE_B, body="=HYPERLINK(1)")
    services.report_comment(reported_draft, others[1], hidden, ReportReason.OFFENSIVE)
    removed = comment_on(reported_draft, others[2], clause_id=NOTE_1)
    services.moderate(removed, None, approve=False)
    approved = comment_on(pre_draft, others[3], clause_id=ARTICLE_2, stance=Stance.AGREE, body="")
    approved = services.moderate(approved, None, approve=True)
    pending = comment_on(
        pre_draft, others[3], stance=Stance.AMEND, body="", proposed_text="گزارش مالی سالانه"
    )
    pending_reply = services.post_reply(
        pre_draft, others[4], approved, body="موافقم", language="fa"
    )
    return {
        "published": published,
        "hidden": hidden,
        "removed": removed,
        "pending": pending,
        "pending_reply": pending_reply,
        "approved": approved,
    }


def listed(client, **params):
    response = client.get(url("moderation"), params)
    assert response.status_code == 200
    return [item.comment.pk for item in response.context["items"]]


# The moderation queue -----------------------------------------------------------------


def test_the_queue_lists_waiting_comments_of_editable_drafts_newest_first(
    client, editor, scoped_editor, queue, reported_draft, pre_draft
):
    client.force_login(editor)
    waiting = [queue["pending_reply"].pk, queue["pending"].pk, queue["hidden"].pk]
    assert listed(client) == waiting
    assert listed(client, state="pending") == waiting[:2]
    assert listed(client, state="hidden") == [queue["hidden"].pk]
    assert listed(client, draft=pre_draft.pk) == waiting[:2]
    assert listed(client, draft=reported_draft.pk, state="pending") == []

    client.force_login(scoped_editor)
    assert listed(client) == [queue["hidden"].pk]
    # A draft they may not edit is not a filter they can use to see its comments.
    assert listed(client, draft=pre_draft.pk) == [queue["hidden"].pk]


def test_each_waiting_comment_shows_what_a_moderator_needs(client, editor, queue, others):
    services.report_comment(
        RegulationDraftPage.objects.get(slug="reported"),
        others[3],
        queue["published"],
        ReportReason.SPAM,
    )  # Threshold 1: this one is hidden too.
    client.force_login(editor)
    response = client.get(url("moderation"), {"state": "hidden"})
    items = {item.comment.pk: item for item in response.context["items"]}
    assert set(items) == {queue["hidden"].pk, queue["published"].pk}
    hidden = items[queue["hidden"].pk]
    with translation.override("fa"):  # The admin's language.
        # A clause is named with its article, to be read on its own in the queue.
        assert hidden.clause_label == in_article(1, outline.provision_label(outline.CLAUSE, 2))
        assert hidden.author_name == display_name(hidden.draft, queue["hidden"])
        assert hidden.reports == [(ReportReason.OFFENSIVE.label, 1)]
    assert hidden.report_total == 1
    assert items[queue["published"].pk].reports == [(ReportReason.SPAM.label, 1)]
    html = response.content.decode()
    assert "=HYPERLINK(1)" in html
    for comment_pk in items:
        action = url("moderate", ClauseComment.objects.get(pk=comment_pk).uuid)
        assert html.count(f'action="{action}"') == 1
    assert f"{hidden.draft.url}clause/{CLAUSE_B}/?round=1" in html

    pending = client.get(url("moderation"), {"state": "pending"}).context["items"]
    assert [item.comment.kind for item in pending] == [CommentKind.REPLY, CommentKind.CLAUSE]
    assert pending[1].comment.proposed_text == "گزارش مالی سالانه"
    assert pending[0].comment.parent == queue["approved"]
    with translation.override("fa"):
        assert (pending[0].clause_label, pending[1].clause_label) == (
            outline.provision_label(outline.ARTICLE, 2),
            in_article(1, outline.provision_label(outline.CLAUSE, 1)),
        )


def in_article(number, provision):
    return translation.gettext("%(article)s, %(provision)s") % {
        "article": outline.provision_label(outline.ARTICLE, number),
        "provision": provision,
    }


def test_the_queue_paginates(client, editor, pre_draft, others, monkeypatch):
    for person in others:
        comment_on(pre_draft, person)
    monkeypatch.setattr(admin_views, "PER_PAGE", 2)
    client.force_login(editor)
    first = client.get(url("moderation"), {"state": "pending"})
    third = client.get(url("moderation"), {"state": "pending", "p": 3})
    assert len(first.context["items"]) == 2 and len(third.context["items"]) == 1
    assert first.context["paginator"].count == 5
    assert "state=pending&amp;p=2" in first.content.decode()


def test_the_queue_costs_the_same_queries_however_many_comments_wait(
    client, editor, pre_draft, others
):
    client.force_login(editor)
    comment_on(pre_draft, others[0])
    client.get(url("moderation"))  # Warm Wagtail's per-process caches.
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url("moderation")).context["items"]) == 1
    for person, clause_id in zip(others[1:], (CLAUSE_B, NOTE_1, ARTICLE_2, NOTE_2A), strict=True):
        reported = comment_on(pre_draft, person, clause_id=clause_id, body="متن")
        reported = services.moderate(reported, None, approve=True)
        services.report_comment(pre_draft, others[0], reported, ReportReason.SPAM)
        ClauseComment.objects.filter(pk=reported.pk).update(moderation_state=ModerationState.HIDDEN)
        comment_on(pre_draft, person)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url("moderation")).context["items"]) == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_publishing_a_hidden_comment_clears_its_reports_and_is_logged(
    client, editor, queue, reported_draft
):
    client.force_login(editor)
    hidden = queue["hidden"]
    back = url("moderation") + "?state=hidden"
    response = client.post(url("moderate", hidden.uuid), {"action": "publish", "next": back})

    assert response.status_code == 302 and response["Location"] == back
    hidden.refresh_from_db()
    assert hidden.moderation_state == ModerationState.PUBLISHED
    assert hidden.report_count == 0
    assert hidden.moderated_by == editor
    assert not CommentReport.objects.filter(comment=hidden, resolved_at__isnull=True).exists()
    assert CommentReport.objects.filter(comment=hidden).count() == 1
    entry = PageLogEntry.objects.get(page=reported_draft, action=services.APPROVED_ACTION)
    assert entry.user == editor and entry.data == {"comment": str(hidden.uuid), "clause": CLAUSE_B}
    assert hidden.pk not in listed(client)


def test_removing_a_pending_comment_keeps_it_out_and_is_logged(client, editor, queue, pre_draft):
    client.force_login(editor)
    pending = queue["pending"]
    response = client.post(url("moderate", pending.uuid), {"action": "remove"})
    assert response.status_code == 302 and response["Location"] == url("moderation")
    assert state_of(pending) == ModerationState.REMOVED
    entry = PageLogEntry.objects.get(page=pre_draft, action=services.REMOVED_ACTION)
    assert entry.user == editor and entry.data["comment"] == str(pending.uuid)

    # A second moderator acting on the same, already decided comment changes nothing.
    again = client.post(url("moderate", pending.uuid), {"action": "publish"})
    assert again.status_code == 302
    assert state_of(pending) == ModerationState.REMOVED
    assert not logged(services.APPROVED_ACTION, pending)


def test_an_unknown_action_or_an_unsafe_next_changes_nothing(client, editor, queue):
    client.force_login(editor)
    hidden = queue["hidden"]
    response = client.post(url("moderate", hidden.uuid), {"action": "delete"})
    assert response["Location"] == url("moderation")
    assert state_of(hidden) == ModerationState.HIDDEN
    response = client.post(
        url("moderate", hidden.uuid), {"action": "publish", "next": "https://evil.example/"}
    )
    assert response["Location"] == url("moderation")
    assert state_of(hidden) == ModerationState.PUBLISHED


def test_people_who_cannot_edit_the_draft_cannot_moderate(
    client, scoped_editor, queue, participant
):
    client.force_login(scoped_editor)
    pending = queue["pending"]  # On the pre-moderated draft they may not edit.
    response = client.post(url("moderate", pending.uuid), {"action": "publish"})
    assert response.status_code == 403
    assert state_of(pending) == ModerationState.PENDING
    assert not logged(services.APPROVED_ACTION, pending)

    client.force_login(participant)  # Not in the admin at all: sent to sign in.
    response = client.post(url("moderate", pending.uuid), {"action": "publish"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert state_of(pending) == ModerationState.PENDING


def test_moderation_needs_post_and_csrf(editor, queue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    hidden = queue["hidden"]
    assert client.get(url("moderate", hidden.uuid)).status_code == 405
    assert client.post(url("moderate", hidden.uuid), {"action": "publish"}).status_code == 403
    assert state_of(hidden) == ModerationState.HIDDEN


def test_the_menu_item_counts_the_comments_waiting_for_this_person(
    editor, scoped_editor, queue, participant
):
    item = ModerationMenuItem("Comment moderation", url("moderation"), name="draft-moderation")
    request = RequestFactory().get("/admin/")
    with translation.override("en"):
        request.user = editor
        assert item.is_shown(request)
        assert item.render_component(request).label == "Comment moderation (3)"
        request.user = scoped_editor
        assert item.render_component(request).label == "Comment moderation (1)"
        client = Client()
        client.force_login(scoped_editor)
        client.post(url("moderate", queue["hidden"].uuid), {"action": "remove"})
        assert item.render_component(request).label == "Comment moderation"
    with translation.override("fa"):
        request.user = editor
        assert item.render_component(request).label.endswith("(۲)")
    request.user = participant
    assert not item.is_shown(request)


def test_the_menu_item_is_in_the_admin_menu(client, editor, queue):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert url("moderation") in response.content.decode()


def test_the_log_actions_have_labels():
    with translation.override("en"):
        labels = {
            action: str(log_registry.get_action_label(action))
            for action in (
                services.APPROVED_ACTION,
                services.REMOVED_ACTION,
                services.DECIDED_ACTION,
                services.ROUND_ACTION,
                services.COMMENT_ACTION,
                services.EXPORTED_ACTION,
            )
        }
    assert labels == {
        services.APPROVED_ACTION: "Publish a clause comment",
        services.REMOVED_ACTION: "Remove a clause comment",
        services.DECIDED_ACTION: "Decide on a clause",
        services.ROUND_ACTION: "Start a new round",
        services.COMMENT_ACTION: "Comment on a clause",
        services.EXPORTED_ACTION: "Export clause comments",
    }


# Decisions ----------------------------------------------------------------------------


def form_data(response, **changes):
    """The decisions form as the browser sends it, with ``changes`` {clause id: (outcome,
    reason)} typed in."""
    data = {}
    for row in response.context["rows"]:
        prefix = row.form.prefix
        outcome = row.decision.outcome if row.decision else ""
        reason = row.decision.reason if row.decision else ""
        data[f"initial-{prefix}-outcome"], data[f"initial-{prefix}-reason"] = outcome, reason
        new_outcome, new_reason = changes.get(row.provision.id, (outcome, reason))
        data[f"{prefix}-outcome"], data[f"{prefix}-reason"] = new_outcome, new_reason
    return data


def test_the_decisions_page_lists_every_clause_with_its_discussion(
    client, editor, draft, participant, others
):
    comment_on(draft, participant)
    comment_on(draft, others[0], stance=Stance.AGREE, body="")
    comment_on(draft, others[1], kind=CommentKind.NEW_CLAUSE, stance="", proposed_text="بند تازه")
    client.force_login(editor)
    response = client.get(url("decisions", draft.pk))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.provision.id for row in rows] == COMMENTABLE
    clause_a = rows[1]
    assert clause_a.stats.total == 3 and clause_a.stats.new_clauses == 1
    assert clause_a.stats.stances == {Stance.OPPOSE: 1, Stance.AGREE: 1}
    assert rows[0].stats is None
    assert (response.context["decided"], response.context["total"]) == (0, 7)
    assert response.context["decisions_public"] is False
    html = response.content.decode()
    assert f"{draft.url}clause/{CLAUSE_A}/?round=1" in html
    assert url("export", draft.pk) in html
    assert url("new_round", draft.pk) in html
    assert f"{url('moderation')}?draft={draft.pk}" in html
    assert f"{draft.url}comparison/?round=1" in html
    assert "گزارش مالی فعالیت‌ها" in html


def test_the_decisions_button_is_on_the_draft_in_the_admin(client, editor, draft):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert url("decisions", draft.pk) in edit.content.decode()
    explore = client.get(reverse("wagtailadmin_explore", args=[draft.get_parent().pk]))
    assert url("decisions", draft.pk) in explore.content.decode()


def test_decisions_are_saved_logged_and_updated(client, editor, draft):
    client.force_login(editor)
    page_url = url("decisions", draft.pk)
    data = form_data(
        client.get(page_url),
        **{
            CLAUSE_A: (DecisionOutcome.ACCEPTED, "  پذیرفته شد و متن اصلاح شد. "),
            NOTE_2B: (DecisionOutcome.OUT_OF_SCOPE, "خارج از موضوع آیین‌نامه"),
        },
    )
    response = client.post(page_url, data)

    assert response.status_code == 302 and response["Location"] == f"{page_url}?round=1"
    decisions = {d.clause_id: d for d in ClauseDecision.objects.all()}
    assert set(decisions) == {CLAUSE_A, NOTE_2B}
    assert decisions[CLAUSE_A].outcome == DecisionOutcome.ACCEPTED
    assert decisions[CLAUSE_A].reason == "پذیرفته شد و متن اصلاح شد."
    assert decisions[CLAUSE_A].decided_by == editor and decisions[CLAUSE_A].round_number == 1
    assert PageLogEntry.objects.filter(page=draft, action=services.DECIDED_ACTION).count() == 2

    again = client.get(page_url)
    assert (again.context["decided"], again.context["total"]) == (2, 7)
    # Saving the form unchanged records nothing; changing one decision updates it.
    assert client.post(page_url, form_data(again)).status_code == 302
    assert PageLogEntry.objects.filter(action=services.DECIDED_ACTION).count() == 2
    client.post(page_url, form_data(again, **{CLAUSE_A: (DecisionOutcome.PARTLY_ACCEPTED, "بخشی")}))
    changed = ClauseDecision.objects.get(clause_id=CLAUSE_A)
    assert (changed.pk, changed.outcome, changed.reason) == (
        decisions[CLAUSE_A].pk,
        DecisionOutcome.PARTLY_ACCEPTED,
        "بخشی",
    )
    assert ClauseDecision.objects.count() == 2
    assert PageLogEntry.objects.filter(action=services.DECIDED_ACTION).count() == 3


def test_a_stale_form_does_not_overwrite_a_colleagues_newer_decision(client, editor, draft):
    client.force_login(editor)
    page_url = url("decisions", draft.pk)
    seen = client.get(page_url)  # Before the colleague decides.
    services.record_decision(
        draft,
        EditorFactory(),
        round_number=1,
        clause_id=CLAUSE_B,
        outcome=DecisionOutcome.REJECTED,
        reason="تکراری است",
    )
    client.post(page_url, form_data(seen, **{CLAUSE_A: (DecisionOutcome.ACCEPTED, "پذیرفته")}))
    kept = ClauseDecision.objects.get(clause_id=CLAUSE_B)
    assert (kept.outcome, kept.reason) == (DecisionOutcome.REJECTED, "تکراری است")
    assert ClauseDecision.objects.get(clause_id=CLAUSE_A).outcome == DecisionOutcome.ACCEPTED


def test_invalid_decisions_show_errors_next_to_their_clause_and_store_nothing(
    client, editor, draft
):
    client.force_login(editor)
    page_url = url("decisions", draft.pk)
    data = form_data(
        client.get(page_url),
        **{
            ARTICLE_1: (DecisionOutcome.ACCEPTED, "درست"),  # Valid, but not saved alone.
            CLAUSE_A: ("", "دلیلی بدون تصمیم"),
            CLAUSE_B: (DecisionOutcome.REJECTED, "   "),
            NOTE_1: (DecisionOutcome.REJECTED, "ب" * (MAX_DECISION_REASON_LENGTH + 1)),
            NOTE_2A: ("maybe", "دلیل"),
        },
    )
    response = client.post(page_url, data)

    assert response.status_code == 200
    errors = {
        row.provision.id: {name: len(messages) for name, messages in row.form.errors.items()}
        for row in response.context["rows"]
        if row.form.errors
    }
    assert errors == {
        CLAUSE_A: {"outcome": 1},
        CLAUSE_B: {"reason": 1},
        NOTE_1: {"reason": 1},
        NOTE_2A: {"outcome": 1},
    }
    assert [row.provision.id for row in response.context["invalid_rows"]] == [
        CLAUSE_A,
        CLAUSE_B,
        NOTE_1,
        NOTE_2A,
    ]
    html = response.content.decode()
    assert f'href="#clause-{CLAUSE_A}"' in html
    assert "دلیلی بدون تصمیم" in html  # What was typed is kept.
    assert not ClauseDecision.objects.exists()
    assert not PageLogEntry.objects.filter(action=services.DECIDED_ACTION).exists()


def test_a_recorded_decision_cannot_be_emptied(client, editor, draft):
    decide(draft, editor, CLAUSE_A, DecisionOutcome.ACCEPTED, "خوب")
    client.force_login(editor)
    page_url = url("decisions", draft.pk)
    response = client.post(page_url, form_data(client.get(page_url), **{CLAUSE_A: ("", "")}))
    assert response.status_code == 200
    assert "outcome" in response.context["rows"][1].form.errors
    assert ClauseDecision.objects.get().outcome == DecisionOutcome.ACCEPTED


def test_only_editors_of_the_draft_see_and_save_decisions(
    client, scoped_editor, draft, reported_draft, participant
):
    client.force_login(scoped_editor)
    assert client.get(url("decisions", reported_draft.pk)).status_code == 200
    refused = client.get(url("decisions", draft.pk))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    prefix = f"clause-{CLAUSE_A}"
    posted = client.post(
        url("decisions", draft.pk), {f"{prefix}-outcome": "accepted", f"{prefix}-reason": "خوب"}
    )
    assert posted.status_code == 302 and posted["Location"] == reverse("wagtailadmin_home")
    assert not ClauseDecision.objects.exists()
    for name in ("new_round", "export"):
        assert client.get(url(name, draft.pk))["Location"] == reverse("wagtailadmin_home")
    client.force_login(participant)
    assert "/login/" in client.get(url("decisions", draft.pk))["Location"]


def test_a_page_that_is_not_a_draft_has_no_decisions(client, editor, calls):
    client.force_login(editor)
    assert client.get(url("decisions", calls.pk)).status_code == 404


def test_a_round_that_does_not_exist_is_not_found(client, editor, draft):
    client.force_login(editor)
    assert client.get(url("decisions", draft.pk), {"round": 7}).status_code == 404


# A new round --------------------------------------------------------------------------

REVISED_CLAUSE_A = "گزارش مالی و حسابرسی فعالیت‌ها"
NEW_CLAUSE_TEXT = "گزارش فعالیت‌های مشترک با دانشگاه‌های دیگر"


def save_revised_text(page, user):
    """Save, without publishing, a revision that rewrites clause A, removes clause B, adds one."""
    revised = page.get_latest_revision_as_object()
    blocks = outline.snapshot(page.draft_text)
    for block in blocks:
        if block["id"] == CLAUSE_A:
            block["value"]["text"] = REVISED_CLAUSE_A
    blocks = [block for block in blocks if block["id"] != CLAUSE_B]
    blocks.insert(3, {"type": "clause", "id": "new-clause", "value": {"text": NEW_CLAUSE_TEXT}})
    revised.draft_text = blocks
    revised.save_revision(user=user)
    page.refresh_from_db()
    return revised


def test_the_new_round_page_explains_and_shows_the_revised_text(client, editor, draft):
    decide(draft, editor, CLAUSE_A, DecisionOutcome.ACCEPTED, "خوب")
    save_revised_text(draft, editor)
    client.force_login(editor)
    response = client.get(url("new_round", draft.pk))

    assert response.status_code == 200
    changes = {change.provision.id: change.status for change in response.context["changes"]}
    assert changes == {CLAUSE_A: "changed", CLAUSE_B: "removed", "new-clause": "added"}
    assert [p.id for p in response.context["undecided"]] == [
        pid for pid in COMMENTABLE if pid != CLAUSE_A
    ]
    assert response.context["blocker"] == ""
    assert response.context["next_number"] == 2
    html = response.content.decode()
    assert "<ins" in html and "<del" in html
    assert 'name="summary"' in html


def test_starting_a_new_round_freezes_the_text_publishes_the_revision_and_tells_authors(
    client, editor, draft, participant, others, django_capture_on_commit_callbacks
):
    decided = comment_on(draft, participant)
    comment_on(draft, others[0], clause_id=CLAUSE_B, stance=Stance.AGREE, body="")
    decide(draft, editor, CLAUSE_A, DecisionOutcome.PARTLY_ACCEPTED, "بخشی پذیرفته")
    original_text = outline.snapshot(draft.draft_text)
    save_revised_text(draft, editor)
    client.force_login(editor)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("new_round", draft.pk), {"summary": "بند ب حذف شد."})

    assert response.status_code == 302 and response["Location"] == url("decisions", draft.pk)
    first, second = DraftRound.objects.filter(call_key=draft.translation_key).order_by("number")
    assert first.is_closed and first.text == original_text
    assert (second.number, second.is_closed, second.summary) == (2, False, "بند ب حذف شد.")
    live = RegulationDraftPage.objects.get(pk=draft.pk)
    assert not live.has_unpublished_changes
    texts = {p.id: p.text for p in outline.outline_of(live.draft_text)}
    assert texts[CLAUSE_A] == REVISED_CLAUSE_A and CLAUSE_B not in texts
    assert texts["new-clause"] == NEW_CLAUSE_TEXT
    assert [message.to for message in mail.outbox] == [[participant.email]]
    assert decided.clause_id == CLAUSE_A
    assert PageLogEntry.objects.filter(
        page=draft, action=services.ROUND_ACTION, data={"round": 2}
    ).exists()

    history = client.get(reverse("wagtailadmin_pages:history", args=[draft.pk]))
    with translation.override("fa"):
        started = translation.gettext("Round %(round)s started") % {"round": "۲"}
    assert history.status_code == 200 and started in history.content.decode()

    # Round 1's decisions stay editable on its own page, on its frozen text.
    old_round = client.get(url("decisions", draft.pk), {"round": 1})
    assert [row.provision.id for row in old_round.context["rows"]] == COMMENTABLE
    assert old_round.context["decisions_public"] is True
    assert client.get(url("decisions", draft.pk)).context["review_round"].number == 2


def test_a_new_round_without_a_revision_keeps_the_text(client, editor, draft):
    client.force_login(editor)
    response = client.get(url("new_round", draft.pk))
    assert response.context["revision"] is None and response.context["changes"] == []
    client.post(url("new_round", draft.pk), {"summary": ""})
    assert DraftRound.objects.filter(call_key=draft.translation_key).count() == 2
    assert DraftRound.objects.get(number=1).text == outline.snapshot(draft.draft_text)


def test_a_new_round_is_refused_to_those_who_may_not_publish_the_revision(
    client, scoped_editor, reported_draft
):
    save_revised_text(reported_draft, scoped_editor)
    client.force_login(scoped_editor)
    response = client.post(url("new_round", reported_draft.pk), {"summary": "تغییر"})
    assert response.status_code == 200
    assert response.context["blocker"]
    assert DraftRound.objects.filter(call_key=reported_draft.translation_key).count() == 1
    assert RegulationDraftPage.objects.get(pk=reported_draft.pk).has_unpublished_changes


def test_an_overlong_summary_starts_nothing(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        url("new_round", draft.pk), {"summary": "ا" * (admin_views.MAX_SUMMARY_LENGTH + 1)}
    )
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert DraftRound.objects.filter(call_key=draft.translation_key).count() == 1


# The export ---------------------------------------------------------------------------


def test_the_export_downloads_every_comment_as_text_and_is_logged(
    client, editor, draft, participant, others
):
    comment_on(draft, participant, body="=SUM(A1:A9)")
    comment_on(draft, others[0], stance=Stance.AMEND, body="", proposed_text="=1+1 گزارش")
    client.force_login(editor)
    response = client.get(url("export", draft.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    formulas = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] == "="]
    assert sorted(cell.value for cell in formulas) == ["=1+1 گزارش", "=SUM(A1:A9)"]
    assert {cell.data_type for cell in formulas} == {"s"}
    assert sheet.max_row == 3
    entry = PageLogEntry.objects.get(page=draft, action=services.EXPORTED_ACTION)
    assert entry.user == editor and entry.data == {"format": "xlsx"}


def test_the_decisions_page_costs_the_same_queries_however_many_clauses_are_decided(
    client, editor, draft, participant
):
    client.force_login(editor)
    comment_on(draft, participant)
    client.get(url("decisions", draft.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("decisions", draft.pk))
    for clause_id in COMMENTABLE:
        decide(draft, EditorFactory(), clause_id, DecisionOutcome.REJECTED, "دلیل")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("decisions", draft.pk))
    assert response.context["decided"] == 7
    assert len(many.captured_queries) == len(few.captured_queries)
