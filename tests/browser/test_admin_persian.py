"""A ministry editor's Persian admin, in Chromium at 1280 px: numbers in Persian digits, the
tree's root called «ریشه», a half-spaced title giving a hyphenated slug that saves, and the
«Show only if» answers spaced apart right to left, each rich text editor named by its field's
label (axe-clean edit form); and, at 375 px, a Persian reason on the English dashboard marked
as Persian.

The server side of each: tests/site/test_admin_persian.py, tests/pages/test_mixed_language.py.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from pages.models import StandardPage, SurveyCampaignPage
from participation.drafts import services as drafts
from tests.browser.fixtures import run_axe, save_screenshot
from tests.pages.factories import CallIndexPageFactory, StandardPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft, comment_on
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.browser

LATIN_DIGIT = re.compile(r"[0-9]")
PERSIAN_DIGIT = re.compile(r"[۰-۹]")
REASON = "پیشنهاد با هدف آیین‌نامه سازگار بود و در متن دور دوم اعمال شد."
FREQUENCY = "a0000000-0000-4000-8000-000000000011"
FOLLOW_UP = "a0000000-0000-4000-8000-000000000012"
CHOICE_IDS = [f"b0000000-0000-4000-8000-00000000001{n}" for n in range(3)]


def signed_in(make_page, live_server, user, width=1280, locale="fa-IR"):
    """A browser page signed in as ``user`` (the session cookie of a forced login)."""
    page, outside = make_page(width=width, height=900, locale=locale)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page, outside


def superuser():
    return UserFactory(email="editor@ministry.test", is_superuser=True, is_staff=True)


def visible_texts(page, selector):
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


def test_the_explorer_counts_and_times_in_persian_digits(
    transactional_db, live_server, home_page, make_page
):
    pages = [StandardPageFactory(parent=home_page, slug=f"page-{n}") for n in range(3)]
    Page.objects.filter(pk__in=[p.pk for p in pages]).update(
        latest_revision_created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    page, outside = signed_in(make_page, live_server, superuser())

    page.goto(f"{live_server.url}/admin/pages/{home_page.pk}/")
    page.wait_for_load_state("networkidle")
    save_screenshot(page, "admin-persian-explorer")
    assert visible_texts(page, ".w-human-readable-date__date") == ["۲ دقیقه پیش"] * 3
    [pagination] = visible_texts(page, "nav.pagination")
    assert "صفحه ۱ از ۱" in pagination and pagination.endswith("۳ صفحه")
    assert not LATIN_DIGIT.search(pagination)
    # The sidebar's badge is drawn by React after the page loads.
    badge = page.locator(".w-dismissible-badge--count").first
    badge.wait_for(state="attached")
    assert PERSIAN_DIGIT.search(badge.text_content())
    assert not LATIN_DIGIT.search(badge.text_content())
    # The breadcrumbs start at the root, called «ریشه».
    page.goto(f"{live_server.url}/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert "ریشه" in page.locator("h1").inner_text()
    assert "Root" not in page.locator("body").inner_text()
    assert outside.urls == []


def test_a_half_spaced_title_gives_a_hyphenated_slug_that_saves(
    transactional_db, live_server, home_page, make_page
):
    page, _outside = signed_in(make_page, live_server, superuser())
    page.goto(f"{live_server.url}/admin/pages/add/pages/standardpage/{home_page.pk}/")
    page.wait_for_load_state("networkidle")

    title = page.locator("#id_title")
    title.fill("نظرسنجی\u200c دانشجویی پیش\u200cنویس")
    title.blur()
    slug = page.locator("input[name=slug]")
    # Wagtail's script used to drop the half space: «پیشنویس».
    expect(slug).to_have_value("نظرسنجی-دانشجویی-پیش-نویس")

    # A slug typed with a half space gets the same hyphen when the editor leaves the field.
    slug.evaluate(
        """input => {
            const tab = input.closest('[role="tabpanel"]');
            if (tab) { document.querySelector(`[aria-controls="${tab.id}"]`).click(); }
        }"""
    )
    slug.fill("نظرسنجی\u200cدانشجویی")
    slug.press("Tab")
    expect(slug).to_have_value("نظرسنجی-دانشجویی")
    save_screenshot(page, "admin-persian-slug")

    with page.expect_navigation():
        page.locator("form[data-edit-form]").first.evaluate("form => form.requestSubmit()")
    page.wait_for_load_state("networkidle")
    saved = StandardPage.objects.child_of(home_page).get()
    assert saved.slug == "نظرسنجی-دانشجویی"


@pytest.fixture
def survey(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی خوابگاه",
        slug="dorms",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
        questions=[
            {
                "type": "single_choice",
                "id": FREQUENCY,
                "value": {
                    "label": "آیا در خوابگاه زندگی می‌کنید؟",
                    "required": True,
                    "choices": [
                        {"type": "item", "value": {"label": label}, "id": CHOICE_IDS[n]}
                        for n, label in enumerate(["بله", "خیر", "گاهی"])
                    ],
                },
            },
            {"type": "short_text", "id": FOLLOW_UP, "value": {"label": "کدام خوابگاه؟"}},
        ],
    )
    calls.add_child(instance=page)
    return page


def test_the_condition_answers_are_spaced_right_to_left(survey, live_server, make_page):
    page, _outside = signed_in(make_page, live_server, superuser())
    page.goto(f"{live_server.url}/admin/pages/{survey.pk}/edit/")
    page.wait_for_load_state("networkidle")
    picker = page.locator('select[id$="-value-show_if-question-picker"]').nth(1)
    picker.wait_for(state="attached")
    picker.evaluate(
        """select => {
            const tab = select.closest('[role="tabpanel"]');
            if (tab) { document.querySelector(`[aria-controls="${tab.id}"]`).click(); }
            const toggle = select.closest('[data-panel]').querySelector('[data-panel-toggle]');
            if (toggle.getAttribute('aria-expanded') === 'false') { toggle.click(); }
        }"""
    )
    picker.select_option(FREQUENCY)
    group = page.locator(".condition-picker__answers").nth(1)
    group.get_by_label("بله").check()
    group.scroll_into_view_if_needed()
    save_screenshot(page, "admin-persian-condition-picker")

    boxes = group.evaluate(
        """group => [...group.querySelectorAll('label')].map(label => {
            const box = label.querySelector('input').getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(label);
            range.setStartAfter(label.querySelector('input'));
            const text = range.getBoundingClientRect();
            return {boxLeft: box.left, boxRight: box.right, textLeft: text.left,
                    textRight: text.right, labelLeft: label.getBoundingClientRect().left,
                    labelRight: label.getBoundingClientRect().right};
        })"""
    )
    assert len(boxes) == 3
    for answer in boxes:
        # Right to left: the checkbox first (on the right), its words to its left.
        assert answer["textRight"] <= answer["boxLeft"]
        assert answer["boxLeft"] - answer["textRight"] >= 6
    for first, second in zip(boxes, boxes[1:], strict=False):
        # The next answer starts to the left, well clear of the previous one's words.
        assert first["labelLeft"] - second["labelRight"] >= 16


def test_the_english_dashboard_marks_a_persian_reason_on_a_phone(
    transactional_db, live_server, home_page, make_page, django_capture_on_commit_callbacks
):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    draft = add_draft(calls, slug="bylaw")
    person = UserFactory(email="maryam@ut.ac.ir", first_name="مریم", last_name="احمدی")
    editor = EditorFactory()
    comment_on(draft, person, clause_id=CLAUSE_A)
    drafts.record_decision(
        draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="accepted", reason=REASON
    )
    with django_capture_on_commit_callbacks(execute=True):
        drafts.start_new_round(draft, editor)
    page, _outside = signed_in(make_page, live_server, person, width=375, locale="en-US")

    page.goto(f"{live_server.url}/en/dashboard/")
    page.wait_for_load_state("networkidle")
    save_screenshot(page, "dashboard-english-persian-reason-375")
    reason = page.locator(".dashboard-card__reason span", has_text=REASON)
    assert reason.get_attribute("lang") == "fa"
    assert reason.evaluate("span => getComputedStyle(span).direction") == "rtl"
    # The English around it stays left to right.
    assert page.locator(".dashboard-card__reason").evaluate(
        "p => getComputedStyle(p).direction"
    ) == ("ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_number_field_shows_and_takes_persian_digits(survey, live_server, make_page):
    page, _outside = signed_in(make_page, live_server, superuser())
    page.goto(f"{live_server.url}/admin/pages/{survey.pk}/edit/")
    page.wait_for_load_state("networkidle")
    maximum = page.locator('input[name$="-value-max_length"]').first
    maximum.wait_for(state="attached")
    # «بیشینهٔ طول» of the short-text question: was a number input showing "200".
    assert maximum.get_attribute("type") == "text"
    assert maximum.get_attribute("inputmode") == "decimal"
    assert maximum.input_value() == "۲۰۰"
    maximum.evaluate(
        """input => {
            const tab = input.closest('[role="tabpanel"]');
            if (tab) { document.querySelector(`[aria-controls="${tab.id}"]`).click(); }
            const toggle = input.closest('[data-panel]').querySelector('[data-panel-toggle]');
            if (toggle.getAttribute('aria-expanded') === 'false') { toggle.click(); }
        }"""
    )
    maximum.fill("")
    maximum.press_sequentially("35")  # Latin digits typed: shown in Persian as they come
    maximum.press("End")
    maximum.press_sequentially("۰")  # a Persian one
    expect(maximum).to_have_value("۳۵۰")
    save_screenshot(page, "admin-persian-number-field")

    with page.expect_navigation():
        page.locator("#page-edit-form").evaluate("form => form.requestSubmit()")
    page.wait_for_load_state("networkidle")
    latest = SurveyCampaignPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    assert latest.questions[1].value["max_length"] == 350
    # Shown again in Persian digits after the save.
    expect(page.locator('input[name$="-value-max_length"]').first).to_have_value("۳۵۰")


def test_each_rich_text_editor_is_named_by_its_field_label(
    transactional_db, live_server, home_page, make_page
):
    about = StandardPageFactory(
        parent=home_page,
        slug="about",
        body=[
            ("paragraph", "<p>دانشگاهیان در فراخوان‌ها شرکت می‌کنند.</p>"),
            (
                "faq",
                {"heading": "", "questions": [{"question": "چه کسی؟", "answer": "<p>همه</p>"}]},
            ),
        ],
    )
    page, outside = signed_in(make_page, live_server, superuser())
    page.goto(f"{live_server.url}/admin/pages/{about.pk}/edit/")
    page.wait_for_load_state("networkidle")

    editors = page.locator('.Draftail-Editor [role="textbox"]')
    expect(editors).to_have_count(3)
    # The panel's label, the block's type («بند متن»), a block's child field's label (with
    # the required mark, as Wagtail's other required fields are named).
    for editor, name in zip(editors.all(), ["مقدمه", "بند متن", "پاسخ*"], strict=True):
        expect(editor).to_have_accessible_name(name)
    # Wagtail's unnamed textboxes were the edit form's only serious axe finding.
    assert run_axe(page) == []

    # A block added while editing is named too.
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="بند متن").click()
    expect(editors).to_have_count(4)
    expect(editors.last).to_have_accessible_name("بند متن")
    assert outside.urls == []
