"""A faculty member's journey on a 375 px phone (issue 17): the draft bylaw in round 2.

The seeded faculty member (``mohammad.hosseini@hadaf.test``) signs in, opens the draft
from the list of calls, picks a clause others are discussing, proposes an amendment
starting from the clause's own text (prefilled), sees the difference, supports a
colleague's comment and reports another. The editor, in the admin, decides the clause
with a reason, exports every comment (XLSX with Jalali dates) and closes the round. The
faculty member is emailed and reads "you said, we did" on the dashboard; the comparison
table of the round downloads as XLSX with Persian headings. Audited admin actions:
the suite empties the log before the flush (``audit_log_emptied_before_flush``).
"""

import io
import re

import openpyxl
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from pages.models import RegulationDraftPage
from participation.dashboard.contributions import clause_label, decision_sentence
from participation.drafts import outline, services
from participation.drafts.choices import (
    CommentKind,
    DecisionOutcome,
    ModerationState,
    Stance,
)
from participation.drafts.demo import DRAFT_SLUG
from participation.drafts.models import ClauseComment, ClauseDecision, CommentReport, CommentVote
from participation.people.demo import demo_password
from participation.persian import localize_digits
from tests.journeys.conftest import DESKTOP, LATIN_DIGIT, PHONE, TEMPLATE_SYNTAX, click, go

FACULTY = "mohammad.hosseini@hadaf.test"
REASON = "کمیته پیشنهاد را پذیرفت: گزارش سالانه به متن افزوده می‌شود."
ADDED = " و گزارش سالانهٔ آن منتشر می‌شود"
PERSIAN_LETTERS = re.compile(r"[\u0600-\u06ff]")
JALALI_DATE = re.compile(r"۱۴۰[۰-۹]/[۰-۱][۰-۹]/[۰-۳][۰-۹]")


def a_discussed_clause(page, person):
    """A clause of the current round with others' published comments, none of ``person``'s.

    Read from what the seed stored; the journey then finds it on the page by its label.
    """
    current = services.current_round(page).number
    comments = ClauseComment.objects.filter(
        call_key=page.call_key,
        round_number=current,
        parent=None,
        kind=CommentKind.CLAUSE,
        moderation_state=ModerationState.PUBLISHED,
    ).exclude(author=None)
    mine = set(comments.filter(author=person).values_list("clause_id", flat=True))
    provisions = {p.id: p for p in outline.outline_of(page.draft_text) if p.commentable}
    counts = {}
    for comment in comments.exclude(author=person):
        if comment.clause_id in provisions and comment.clause_id not in mine:
            counts.setdefault(comment.clause_id, []).append(comment)
    # Two or more others' comments, but the fewest such: the seed's planted stances (the
    # opinion map's camps) fill some clauses with dozens, paged past the person's own.
    clause_id = max(counts, key=lambda key: (len(counts[key]) >= 2, -len(counts[key])))
    return provisions[clause_id], counts[clause_id]


def sign_in(page, url, email, journey):
    go(page, f"{url}/")
    journey.see(page, "home")
    click(page.locator(".account-menu").get_by_role("link", name="ورود"))
    journey.see(page, "sign-in")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(demo_password())
    click(page.locator('form button[type="submit"]').last)
    assert "/accounts/login/" not in page.url, "the sign-in failed"


def comment_message_is_in_view(page, comment):
    """The message about the vote or report is on the comment's card, in view and focused."""
    message = page.locator(f"#c-{comment.uuid}-message")
    message.wait_for(state="visible")
    assert message.evaluate("e => e.getBoundingClientRect().top") < PHONE["height"]
    assert page.evaluate("document.activeElement.id") == f"c-{comment.uuid}-message"
    return message.inner_text()


def propose_amendment(page, provision, journey):
    page.locator('input[name="stance"][value="amend"]').check()
    proposed = page.locator("#id_proposed_text")
    proposed.wait_for(state="visible")
    # «اصلاح» starts from the clause's own text.
    assert " ".join(proposed.input_value().split()) == " ".join(provision.text.split())
    journey.see(page, "amend-prefilled")
    proposed.press("Control+End")
    proposed.press_sequentially(ADDED)
    page.locator("#id_body").fill("گزارش سالانه شفافیت را بیشتر می‌کند.")
    click(page.locator('.comment-form button[type="submit"]'))


def editor_decides_and_closes_the_round(make_page, url, draft, provision, journey, tmp_path):
    editor, outside = make_page(**DESKTOP)
    go(editor, f"{url}/admin/login/")
    editor.locator("#id_username").fill("editor@hadaf.test")
    editor.locator("#id_password").fill(demo_password())
    click(editor.locator('form button[type="submit"]').last)
    go(editor, f"{url}/admin/draft-decisions/{draft.pk}/")
    journey.see(editor, "editor-decisions")
    prefix = f"clause-{provision.id}"
    editor.locator(f'[name="{prefix}-outcome"]').select_option(DecisionOutcome.ACCEPTED.value)
    editor.locator(f'[name="{prefix}-reason"]').fill(REASON)
    click(editor.locator('form[action^="?round="] button[type="submit"]').last)
    journey.see(editor, "editor-decided")

    with editor.expect_download() as download:
        editor.locator('a[href$="/export/"]').first.click()
    comments_export = tmp_path / "comments.xlsx"
    download.value.save_as(comments_export)

    click(editor.locator('a[href$="/new-round/"]').first)
    journey.see(editor, "editor-new-round")
    mail.outbox.clear()
    click(editor.locator('form button[type="submit"]').last)
    text = journey.see(editor, "editor-round-closed")
    assert outside.urls == []
    return text, comments_export


def check_comments_export(path, provision):
    """Every comment, with Persian headings, Jalali text dates and real date cells."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert all(PERSIAN_LETTERS.search(str(value)) for value in header if value), header
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows
    jalali = [value for row in rows for value in row if isinstance(value, str)]
    assert any(JALALI_DATE.search(value) for value in jalali)
    dates = [sheet.cell(row=2, column=column).value for column in range(1, len(header) + 1)]
    assert any(hasattr(value, "year") for value in dates), dates
    assert any(provision.id in [str(value) for value in row] for row in rows)


def check_comparison_export(content, provision):
    """The round's comparison table: Persian headings and sheet title, the decision in Persian."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert PERSIAN_LETTERS.search(sheet.title) and not LATIN_DIGIT.search(sheet.title)
    header = [cell.value for cell in sheet[1]]
    assert all(PERSIAN_LETTERS.search(str(value)) for value in header if value), header
    assert sheet.freeze_panes == "A2"
    [row] = [
        [str(value or "") for value in row]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if provision.id in [str(value) for value in row]
    ]
    with translation.override("fa"):
        assert str(DecisionOutcome.ACCEPTED.label) in row, row
    assert REASON in row


def test_a_faculty_member_reviews_the_draft_on_a_phone(
    seeded_site, make_page, journey, settings, tmp_path
):
    settings.WAGTAILADMIN_BASE_URL = seeded_site.url
    url = seeded_site.url
    draft = RegulationDraftPage.objects.get(slug=DRAFT_SLUG, locale__language_code="fa")
    person = get_user_model().objects.get(email=FACULTY)
    provision, others = a_discussed_clause(draft, person)
    supported, reported = others[0], others[-1]

    page, outside = make_page(**PHONE)
    sign_in(page, url, FACULTY, journey)
    click(page.get_by_role("link", name=draft.title).first)
    journey.see(page, "draft")
    click(page.locator(f'#clause-{provision.id} a[href$="clause/{provision.id}/"]').first)
    text = journey.see(page, "clause")
    assert provision.label in text

    propose_amendment(page, provision, journey)
    mine = ClauseComment.objects.get(author=person, call_key=draft.call_key, clause_id=provision.id)
    assert mine.stance == Stance.AMEND
    assert ADDED.strip() in mine.proposed_text
    card = page.locator(f"#c-{mine.uuid}")
    card.wait_for(state="visible")
    assert card.locator(".word-diff ins").first.is_visible()
    journey.see(page, "amendment-published")

    support = page.locator(f"#c-{supported.uuid} .vote-form button[value='1']")
    click(support)
    comment_message_is_in_view(page, supported)
    journey.see(page, "supported")
    assert CommentVote.objects.filter(comment=supported, voter=person, value=1).exists()

    report = page.locator(f"#c-{reported.uuid}")
    # The card's own report action (a card may hold replies with actions of their own).
    action = report.locator("details.comment__action:has(.report-form)").first
    action.locator("summary").first.click()
    action.locator('.report-form input[name="reason"]').first.check()
    click(action.locator('.report-form button[type="submit"]').first)
    comment_message_is_in_view(page, reported)
    journey.see(page, "reported")
    assert CommentReport.objects.filter(comment=reported, reporter=person).exists()

    closed, comments_export = editor_decides_and_closes_the_round(
        make_page, url, draft, provision, journey, tmp_path
    )
    decision = ClauseDecision.objects.get(
        call_key=draft.call_key, round_number=mine.round_number, clause_id=provision.id
    )
    assert (decision.outcome, decision.reason) == (DecisionOutcome.ACCEPTED, REASON)
    assert services.current_round(draft).number == mine.round_number + 1
    with translation.override("fa"):
        started = gettext(
            "Round %(new)s has started; the decisions of round %(old)s are now public."
        ) % {
            "new": localize_digits(mine.round_number + 1),
            "old": localize_digits(mine.round_number),
        }
    assert started in closed
    check_comments_export(comments_export, provision)

    # Told by email, in Persian; "you said, we did" on the dashboard.
    told = [message for message in mail.outbox if FACULTY in message.to]
    assert told, [message.to for message in mail.outbox]
    for part in (told[0].subject, told[0].body):
        assert PERSIAN_LETTERS.search(part)
        assert not any(syntax in part for syntax in TEMPLATE_SYNTAX)
    click(page.locator(".account-menu").locator('a[href$="/dashboard/"]'))
    text = journey.see(page, "dashboard-you-said-we-did")
    with translation.override("fa"):
        provisions = {p.id: p for p in outline.outline_of(draft.draft_text)}
        sentence = decision_sentence(
            DecisionOutcome.ACCEPTED, clause_label(provisions, provision.id)
        )
    row = page.locator(".dashboard-card", has_text=REASON)
    assert row.is_visible()
    assert " ".join(sentence.split()) in " ".join(row.inner_text().split()), row.inner_text()

    # The round's comparison table, and its XLSX.
    go(page, f"{url}{draft.url}comparison/?round={mine.round_number}")
    text = journey.see(page, "comparison")
    assert REASON in text
    link = page.locator(f'a[href*="comparison/xlsx/?round={mine.round_number}"]')
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "comparison.xlsx"
    download.value.save_as(path)
    check_comparison_export(path.read_bytes(), provision)
    assert outside.urls == []
