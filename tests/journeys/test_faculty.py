"""A faculty member's journey on the open regulation draft (issue 17), on a 375 px phone:
sign in, amend a clause starting from its wording, see the redline, vote on a colleague's
comment, report one. After each action the message sits on the item acted on and has focus.

Through the UI only; the ORM is read to check what was stored.
"""

from participation.drafts.choices import CommentKind, Stance
from participation.drafts.demo import DRAFT_SLUG
from participation.drafts.models import ClauseComment, CommentReport, CommentVote
from participation.people.demo import demo_password
from tests.journeys.conftest import PHONE

EMAIL = "mohammad.hosseini@hadaf.test"  # a seeded faculty member (participation/people/demo.py)
DRAFT_TITLE = "پیش‌نویس آیین‌نامه حمایت از تشکل‌های دانشجویی فرهنگی"
ADDITION = " و گزارش آن هر سال منتشر می‌شود"


def go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def click(locator):
    locator.click()
    locator.page.wait_for_load_state("networkidle")


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def sign_in(page, site, journey):
    go(page, site.url + "/accounts/login/")
    journey.see(page, "login")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(demo_password())
    click(page.get_by_role("button", name="ورود"))
    assert "محمد حسینی" in page.locator(".account-menu__name").inner_text()


def open_most_discussed_clause(page, site, journey):
    go(page, site.url + "/")
    click(page.get_by_role("link", name=DRAFT_TITLE).first)
    journey.see(page, "draft")
    # The most discussed provision, from the list of where the discussion concentrates.
    anchor = page.locator(".hot-list a").first.get_attribute("href")
    provision = page.locator(anchor)
    click(provision.locator('a[href*="clause/"]').first)
    journey.see(page, "clause")


def message_on(page, card_id):
    """The message shown on the card ``card_id``: visible, next to the item and focused."""
    message = page.locator(f"#{card_id}-message")
    assert message.is_visible()
    assert focused_id(page) == f"{card_id}-message"
    box = message.bounding_box()
    viewport = page.viewport_size
    assert 0 <= box["y"] < viewport["height"], "the message is out of sight"
    return message.inner_text()


def amend(page, journey):
    """«اصلاح»: the box starts from the clause's wording; the edit is shown as a redline."""
    clause_text = page.locator("[data-clause-text]").inner_text().strip()
    page.locator('label:has(input[name="stance"][value="amend"])').click()
    box = page.locator("#id_proposed_text")
    assert box.is_visible()
    assert box.input_value().strip() == clause_text
    journey.see(page, "amend-prefilled")
    box.press("End")
    box.press_sequentially(ADDITION)
    proposed = box.input_value()
    page.locator("#id_body").fill("انتشار گزارش سالانه پاسخ‌گویی تشکل‌ها را بیشتر می‌کند.")
    click(page.locator('.comment-form button[type="submit"]'))
    return clause_text, proposed


def test_a_faculty_member_amends_votes_and_reports_on_the_draft(seeded_site, make_page, journey):
    page, outside = make_page(**PHONE)
    sign_in(page, seeded_site, journey)
    open_most_discussed_clause(page, seeded_site, journey)
    clause_text, proposed = amend(page, journey)

    mine = ClauseComment.objects.get(call__slug=DRAFT_SLUG, author__email=EMAIL)
    card_id = f"c-{mine.uuid}"
    assert "منتشر شد" in message_on(page, card_id)
    card = page.locator(f"#{card_id}")
    assert "گزارش آن هر سال" in card.locator(".word-diff ins").first.inner_text()
    journey.see(page, "amended")

    # A colleague's comment on the same clause: support it.
    others = page.locator("article.comment:has(.vote-form)")
    other_id = others.first.get_attribute("id")
    click(page.locator(f'#{other_id} .vote-form button[value="1"]'))
    assert (
        page.locator(f'#{other_id} .vote-form button[value="1"]').get_attribute("aria-pressed")
        == "true"
    )
    message_on(page, other_id)
    journey.see(page, "voted")

    # Another colleague's comment: report it.
    reported_id = page.locator(
        f"article.comment:has(.report-form):not(#{other_id}):not(#{card_id})"
    ).first.get_attribute("id")
    reported = page.locator(f"#{reported_id}")
    reported.locator(".comment__action summary", has_text="گزارش").click()
    reported.locator('.report-form input[name="reason"]').first.check()
    click(reported.locator('.report-form button[type="submit"]'))
    message_on(page, reported_id)
    journey.see(page, "reported")
    assert outside.urls == []

    mine.refresh_from_db()
    assert mine.kind == CommentKind.CLAUSE and mine.stance == Stance.AMEND
    assert mine.proposed_text == proposed.strip() and mine.proposed_text != clause_text
    assert mine.clause_text.strip() == clause_text
    vote = CommentVote.objects.get(voter__email=EMAIL)
    assert (vote.comment.uuid.hex, vote.value) == (other_id.removeprefix("c-").replace("-", ""), 1)
    report = CommentReport.objects.get(reporter__email=EMAIL)
    assert str(report.comment.uuid) == reported_id.removeprefix("c-")
