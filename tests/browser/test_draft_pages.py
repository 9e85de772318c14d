"""A regulation draft in a real browser, on a phone: reading, commenting, replying, voting,
what changed between rounds and the printable comparison table.

Screenshots are saved under test-artifacts/screenshots/ for a person to look at.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from participation.drafts import outline, services
from participation.drafts.choices import CommentKind, DecisionOutcome, Stance
from participation.drafts.models import ClauseComment
from tests.browser.fixtures import run_axe, save_screenshot
from tests.pages.factories import CallIndexPageFactory, RegulationDraftPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def sign_in(browser_page, live_server, user):
    """Give the browser the session cookie of a signed-in test client."""
    client = Client()
    client.force_login(user)
    browser_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def open_at(browser_page, url):
    browser_page.goto(url)
    browser_page.wait_for_load_state("networkidle")


def fits_the_screen(browser_page):
    return browser_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


class Draft:
    """The draft under test: its page, numbered provisions and a few ids by label."""

    def __init__(self, page):
        self.page = page
        self.provisions = outline.outline_of(page.draft_text)
        articles = [p for p in self.provisions if p.kind == outline.ARTICLE]
        self.article_1 = articles[0]
        self.article_2 = articles[1]
        # The first clause (بند الف) of the first article that has clauses.
        self.clause_a = next(p for p in self.provisions if p.kind == outline.CLAUSE)

    def url(self, live_server, suffix=""):
        return live_server.url + self.page.url + suffix

    def clause_url(self, live_server, provision):
        return self.url(live_server, f"clause/{provision.id}/")


@pytest.fixture
def draft_site(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    draft = Draft(RegulationDraftPageFactory(parent=calls))
    author = UserFactory(first_name="مریم", last_name="احمدی")
    comment = services.post_comment(
        draft.page,
        author,
        clause_id=draft.article_1.id,
        kind=CommentKind.CLAUSE,
        stance=Stance.OPPOSE,
        body="این ماده باید روشن کند چه نهادی بر تشکل‌ها نظارت می‌کند.",
        language="fa",
    )
    services.post_comment(
        draft.page,
        UserFactory(),
        clause_id=draft.article_1.id,
        kind=CommentKind.CLAUSE,
        stance=Stance.AGREE,
        language="fa",
    )
    return live_server, draft, comment


def test_the_draft_reads_right_to_left_on_a_phone(draft_site, make_page):
    live_server, draft, _comment = draft_site
    page, outside = make_page(**PHONE)
    open_at(page, draft.url(live_server))

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".draft-text").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.get_by_text("ماده ۱", exact=True).first.is_visible()
    assert page.get_by_text("بند الف", exact=True).first.is_visible()
    # Each article, clause and note is reachable by its id, with its discussion.
    article = page.locator(f"#clause-{draft.article_1.id}")
    assert article.locator(".provision__heading").inner_text() == "ماده ۱"
    assert "۲" in article.locator(".provision__count").inner_text()
    assert article.locator(".stance-counts").is_visible()
    assert article.locator(f'a[href$="clause/{draft.article_1.id}/"]').is_visible()
    assert page.locator(f"#clause-{draft.clause_a.id}").is_visible()
    # Where the discussion concentrates links to the most discussed article.
    assert page.locator(f'.hot-list a[href="#clause-{draft.article_1.id}"]').is_visible()
    # A visitor who is not signed in is told how to take part.
    assert page.locator('.survey-notice a[href*="next="]').is_visible()
    assert fits_the_screen(page)
    assert run_axe(page) == []
    save_screenshot(page, "draft-page-390")
    assert outside.urls == []


def test_a_participant_proposes_new_wording_and_sees_the_difference(draft_site, make_page):
    live_server, draft, _comment = draft_site
    participant = UserFactory()
    page, outside = make_page(**PHONE)
    sign_in(page, live_server, participant)
    open_at(page, draft.clause_url(live_server, draft.article_1))

    assert page.locator("h1").inner_text() == "ماده ۱"
    assert page.locator(".comment-form").is_visible()
    assert run_axe(page) == []
    save_screenshot(page, "draft-clause-390")

    # The same wording as the clause is refused with an error summary that takes focus.
    page.locator('input[name="stance"][value="amend"]').check()
    page.locator("#id_proposed_text").fill(draft.article_1.text)
    page.locator('.comment-form button[type="submit"]').click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("#comment-errors")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "comment-errors"
    assert page.locator("#id_proposed_text").get_attribute("aria-invalid") == "true"
    assert run_axe(page) == []
    assert not ClauseComment.objects.filter(author=participant).exists()

    proposed = draft.article_1.text.replace("حمایت از", "پشتیبانی از", 1) + " و گزارش سالانه"
    page.locator('input[name="stance"][value="amend"]').check()
    page.locator("#id_proposed_text").fill(proposed)
    page.locator("#id_body").fill("واژهٔ «پشتیبانی» دقیق‌تر است.")
    page.locator('.comment-form button[type="submit"]').click()
    page.wait_for_load_state("networkidle")

    message = page.locator('.draft-message[role="status"]')
    assert message.is_visible()
    assert "منتشر شد" in message.inner_text() or "published" in message.inner_text()
    comment = ClauseComment.objects.get(author=participant)
    assert comment.stance == Stance.AMEND and comment.proposed_text == proposed
    card = page.locator(f"#c-{comment.uuid}")
    assert card.is_visible()
    assert card.locator(".word-diff ins").first.is_visible()
    assert card.locator(".word-diff del").first.is_visible()
    assert "پشتیبانی" in card.locator(".word-diff ins").first.inner_text()
    # Own comments cannot be voted on or reported by their author.
    assert card.locator(".vote-form").count() == 0
    # Having given a stance, the form now offers a new clause after this one.
    assert page.locator('input[name="kind"][value="new_clause"]').is_checked()
    assert fits_the_screen(page)
    assert run_axe(page) == []
    save_screenshot(page, "draft-clause-proposed-390")
    assert outside.urls == []


def test_a_participant_votes_and_replies(draft_site, make_page):
    live_server, draft, comment = draft_site
    page, outside = make_page(**PHONE)
    sign_in(page, live_server, UserFactory())
    open_at(page, draft.clause_url(live_server, draft.article_1))

    card = page.locator(f"#c-{comment.uuid}")
    support = card.locator('.vote-form button[value="1"]')
    assert support.get_attribute("aria-pressed") == "false"
    support.click()
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#c-{comment.uuid}")
    support = card.locator('.vote-form button[value="1"]')
    assert support.get_attribute("aria-pressed") == "true"
    assert "۱" in support.inner_text()
    assert page.locator('.draft-message[role="status"]').is_visible()
    comment.refresh_from_db()
    assert comment.support_count == 1

    card.locator(".comment__action summary").first.click()
    card.locator(f"#reply-{comment.uuid}").fill("با این نظر موافقم؛ نهاد ناظر باید معلوم باشد.")
    card.locator('.reply-form button[type="submit"]').click()
    page.wait_for_load_state("networkidle")
    replies = page.locator(f"#c-{comment.uuid} .comment__replies")
    assert replies.is_visible()
    assert "نهاد ناظر" in replies.inner_text()
    assert page.locator('.draft-message[role="status"]').is_visible()
    assert run_axe(page) == []
    save_screenshot(page, "draft-clause-replied-390")
    assert outside.urls == []


@pytest.fixture
def decided_draft(draft_site):
    """The draft after round 1 closed with decisions and a revised text in round 2."""
    live_server, draft, comment = draft_site
    editor = UserFactory(is_staff=True, is_superuser=True)
    services.record_decision(
        draft.page,
        editor,
        round_number=1,
        clause_id=draft.article_1.id,
        outcome=DecisionOutcome.PARTLY_ACCEPTED,
        reason="نهاد ناظر در متن بازنگری‌شده مشخص شد.",
    )
    services.record_decision(
        draft.page,
        editor,
        round_number=1,
        clause_id=draft.clause_a.id,
        outcome=DecisionOutcome.REJECTED,
        reason="تعریف کنونی کافی است.",
    )
    revised = draft.page.get_latest_revision_as_object()
    raw = list(revised.draft_text.raw_data)
    for block in raw:
        if block["id"] == draft.article_1.id:
            block["value"]["text"] += " نظارت بر تشکل‌ها با شورای فرهنگی دانشگاه است."
    raw = [block for block in raw if block["id"] != draft.article_2.id]
    revised.draft_text = raw
    revised.save_revision(user=editor)
    draft.page.refresh_from_db()
    services.start_new_round(draft.page, editor, summary="مادهٔ ۱ روشن‌تر شد.")
    draft.page.refresh_from_db()
    return live_server, draft


def test_what_changed_between_rounds(decided_draft, make_page):
    live_server, draft = decided_draft
    page, outside = make_page(**PHONE)
    open_at(page, draft.url(live_server, "changes/"))

    changed = page.locator(".change--changed").first
    assert changed.is_visible()
    assert changed.locator(".word-diff ins").first.is_visible()
    assert page.locator(".change--removed .word-diff del").first.is_visible()
    unchanged = page.locator(".change--unchanged details").first
    assert unchanged.get_attribute("open") is None
    assert fits_the_screen(page)
    assert run_axe(page) == []
    save_screenshot(page, "draft-changes-390")
    assert outside.urls == []


def test_the_comparison_table_prints(decided_draft, make_page):
    live_server, draft = decided_draft
    page, outside = make_page(**PHONE)
    open_at(page, draft.url(live_server, "comparison/"))

    assert page.locator(".comparison-table").is_visible()
    row = page.locator(f"#clause-{draft.article_1.id}")
    assert row.locator(".badge--decision-partly").is_visible()
    assert "نهاد ناظر" in row.inner_text()
    assert page.locator("[data-print]").is_visible()
    xlsx = page.locator('a[href*="comparison/xlsx/?round=1"]')
    assert xlsx.is_visible()
    assert fits_the_screen(page)
    assert run_axe(page) == []
    save_screenshot(page, "draft-comparison-390")

    # On paper: no navigation or buttons, the column headings repeat on every page.
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("[data-print]").is_hidden()
    assert (
        page.locator(".comparison-table thead").evaluate("e => getComputedStyle(e).display")
        == "table-header-group"
    )
    page.set_viewport_size({"width": 1123, "height": 794})
    save_screenshot(page, "draft-comparison-print")
    # The table's pages are A4 landscape (wider than tall), whatever the browser's default.
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes
    assert all(float(width) > float(height) for width, height in boxes)
    assert outside.urls == []


def test_the_draft_page_of_a_closed_round_shows_decisions(decided_draft, make_page):
    live_server, draft = decided_draft
    page, outside = make_page(**PHONE)
    open_at(page, draft.url(live_server, "?round=1"))

    article = page.locator(f"#clause-{draft.article_1.id}")
    assert article.locator(".badge--decision-partly").is_visible()
    assert article.locator(f'a[href$="clause/{draft.article_1.id}/?round=1"]').is_visible()
    assert "۱" in page.locator('.round-picker a[aria-current="page"]').inner_text()
    assert run_axe(page) == []
    save_screenshot(page, "draft-round-1-390")
    assert outside.urls == []


def test_proposing_a_new_clause_works_without_javascript(draft_site, browser):
    live_server, draft, _comment = draft_site
    participant = UserFactory()
    context = browser.new_context(viewport=PHONE, locale="fa-IR", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, participant)
        open_at(page, draft.clause_url(live_server, draft.clause_a))
        # Every field is there without the script; the print-only button is not.
        assert page.locator("[data-comment-stance]").is_visible()
        assert page.locator("#id_proposed_text").is_visible()
        page.locator('input[name="kind"][value="new_clause"]').check()
        page.locator("#id_proposed_text").fill("بند جدید: تشکل‌ها گزارش سالانه منتشر می‌کنند.")
        page.locator('.comment-form button[type="submit"]').click()
        page.wait_for_load_state("networkidle")
        comment = ClauseComment.objects.get(author=participant)
        assert comment.kind == CommentKind.NEW_CLAUSE
        card = page.locator(f"#c-{comment.uuid}")
        assert "گزارش سالانه" in card.locator(".comment__new-clause").inner_text()
        assert page.locator('.draft-message[role="status"]').is_visible()
    finally:
        context.close()
