"""The ministry editor's journey in the Persian admin, in Chromium (issue 17).

The editor signs in, writes a survey with a Likert matrix, a single choice and a question
shown only after some of its answers (picked, not typed), lets Wagtail's autosave work,
saves, sets Jalali dates with the picker, and submits it for approval. A moderator, in
their own browser, approves and publishes; the editor cannot approve their own submission.
A visitor then reads the live page. In between, a colleague's save makes the editor's open
form genuinely stale, and its save is refused.
"""

import datetime
import re
import zoneinfo

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from wagtail.models import WorkflowState

from pages.models import SurveyCampaignPage
from participation.people.demo import demo_password
from participation.questions.schema import read_questions

# The page form is checked by axe too: static/js/admin-draftail-names.js names Wagtail's
# rich-text textboxes and the avatar buttons of the other people editing the page.
EDIT_FORM_AXE = True
EDIT_URL = re.compile(r"/admin/pages/(\d+)/edit/")
STALE_BANNER = "ویراستار دیگری"
AUTOSAVE_TIMEOUT_MS = 30_000
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
TITLE = "نظرسنجی کیفیت فضاهای فرهنگی دانشگاه"
MATRIX = "تا چه حد با این گزاره‌ها موافقید؟"
SINGLE = "آیا از کانون‌های فرهنگی استفاده می‌کنید؟"
CHOICES = ("هر هفته", "گاهی", "هرگز")
FOLLOW_UP = "کدام کانون را بیشتر دوست دارید؟"
# Records when Wagtail starts watching the form and each autosave that succeeded.
WATCH_SCRIPT = """
document.addEventListener('w-unsaved:watch-edits', () => { window.hadafWatching = true; });
window.hadafAutosaves = [];
document.addEventListener('w-autosave:success', (event) => {
  window.hadafAutosaves.push(event.detail.data);
});
"""


def sign_in_to_admin(make_page, url, email):
    """A fresh browser context, signed in to the admin through its login form."""
    page, outside = make_page(width=1280, height=900)
    page.add_init_script(WATCH_SCRIPT)
    page.goto(f"{url}/admin/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(demo_password())
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")
    return page, outside


def wait_until_watching(page):
    """Wagtail takes the form's "unchanged" snapshot about two seconds after load."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.hadafWatching === true")


def autosaves(page):
    return page.evaluate("() => window.hadafAutosaves.length")


def wait_for_autosave(page, before):
    page.wait_for_function(
        f"() => window.hadafAutosaves.length > {before}", timeout=AUTOSAVE_TIMEOUT_MS
    )
    return page.evaluate("() => window.hadafAutosaves[window.hadafAutosaves.length - 1]")


def open_tab(page, name):
    page.get_by_role("tab", name=re.compile(name)).first.click()


def add_question(page, kind_label):
    """Append a question of the given kind with the stream's last «+» and its menu."""
    panel = page.locator('[role="tabpanel"]', has=page.locator('[name="questions-count"]'))
    panel.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=kind_label).first.click()


def add_list_item_after(page, name):
    """Add an item to a list block with the «+» right after the field ``name``."""
    page.locator(f'[name="{name}"]').locator(
        "xpath=following::button[contains(@class, 'c-sf-add-button')][1]"
    ).click()


def write_questions(page):
    """A Likert matrix, a single choice, and a question shown after two of its answers."""
    open_tab(page, "پرسش")
    add_question(page, "ماتریسی (گزاره‌ها × طیف)")
    page.locator('[name="questions-0-value-label"]').fill(MATRIX)
    page.locator('[name="questions-0-value-rows-0-value-label"]').fill("برنامه‌ها متنوع‌اند.")
    add_list_item_after(page, "questions-0-value-rows-0-value-label")
    page.locator('[name="questions-0-value-rows-1-value-label"]').fill("زمان برنامه‌ها مناسب است.")

    add_question(page, "تک‌گزینه‌ای")
    page.locator('[name="questions-1-value-label"]').fill(SINGLE)
    page.locator('[name="questions-1-value-choices-0-value-label"]').fill(CHOICES[0])
    for index, choice in enumerate(CHOICES[1:], start=1):
        add_list_item_after(page, f"questions-1-value-choices-{index - 1}-value-label")
        page.locator(f'[name="questions-1-value-choices-{index}-value-label"]').fill(choice)

    add_question(page, "متن کوتاه")
    page.locator('[name="questions-2-value-label"]').fill(FOLLOW_UP)
    picker = page.locator("#questions-2-value-show_if-question-picker")
    options = picker.locator("option").all_inner_texts()
    assert SINGLE in options and FOLLOW_UP not in options, options
    picker.select_option(label=SINGLE)
    answers = page.locator(".condition-picker__answers").last
    answers.get_by_label(CHOICES[0]).check()
    answers.get_by_label(CHOICES[1]).check()
    assert page.locator('input[data-condition-picker][type="text"]:visible').count() == 0


def save_draft(page, confirm_conflict=False):
    """Click «ذخیره پیش‌نویس»; past Wagtail's "newer version" dialog if it comes up."""
    with page.expect_navigation(timeout=AUTOSAVE_TIMEOUT_MS):
        page.get_by_role("button", name=re.compile("ذخیره پیش.?نویس")).first.click()
        if confirm_conflict:
            confirm = page.locator("#w-save-confirmation-dialog [data-w-dialog-target=confirm]")
            try:
                confirm.wait_for(state="visible", timeout=5_000)
                confirm.click()
            except PlaywrightTimeoutError:
                pass
    page.wait_for_load_state("networkidle")


def type_jalali(field, text, attempts=3):
    """Type a Jalali date and time into a picker's field as a person does: close the picker
    the focus opened, replace the text, leave the field. On a loaded machine the picker can
    open after the Escape and take the keys; a person looks and types again, and so does
    this (the saved value is asserted after publishing)."""
    picker = field.page.locator("jdp-container")
    for _ in range(attempts):
        field.focus()
        field.page.keyboard.press("Escape")
        field.press("Control+a")
        field.press_sequentially(text)
        field.press("Tab")
        # The picker may still be open and write its own day into the field as it closes:
        # read the value once it is gone, as a person reads it after looking up.
        if picker.count():
            picker.first.wait_for(state="hidden")
        if field.input_value() == text:
            return
    assert field.input_value() == text


def pick_opening_day(page):
    """Open the Jalali picker on «زمان گشایش», choose آذر ۱۴۰۵ and click its first day."""
    opens = page.get_by_label(re.compile("زمان گشایش"))
    opens.focus()
    picker = page.locator("jdp-container")
    picker.wait_for(state="visible")
    months = picker.locator(".jdp-month select option").all_inner_texts()
    assert "آذر" in months and "فروردین" in months, months
    picker.locator(".jdp-year select").select_option(label="۱۴۰۵")
    picker.locator(".jdp-month select").select_option(label="آذر")
    assert not re.search(r"[0-9]", picker.inner_text())
    picker.locator(".jdp-day:not(.not-in-month)").filter(has_text=re.compile(r"^۱$")).click()
    opens.focus()
    page.keyboard.press("Escape")
    picker.wait_for(state="hidden")
    return opens


def submit_menu_item(page, name):
    """The footer's action ``name`` (e.g. action-submit), opening its menu if needed."""
    button = page.locator(f'button[name="{name}"]')
    if not button.is_visible():
        page.locator(".w-dropdown-button", has=button).locator(
            '[data-w-dropdown-target="toggle"]'
        ).click()
    return button


def test_a_ministry_editor_publishes_a_survey_through_approval(seeded_site, make_page, journey):
    url = seeded_site.url
    editor, outside = sign_in_to_admin(make_page, url, "editor@hadaf.test")
    journey.see(editor, "editor-dashboard")

    # Calls index → add a child page → «پویش نظرسنجی».
    calls = SurveyCampaignPage.objects.first().get_parent()
    editor.goto(f"{url}/admin/pages/{calls.pk}/add_subpage/")
    text = journey.see(editor, "choose-page-type")
    assert "پویش نظرسنجی" in text
    editor.get_by_role("link", name=re.compile("پویش نظرسنجی")).first.click()
    wait_until_watching(editor)

    before = autosaves(editor)
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_title").press("Tab")
    created = wait_for_autosave(editor, before)
    assert created["success"] is True
    editor.wait_for_url(EDIT_URL, timeout=AUTOSAVE_TIMEOUT_MS)
    page_id = int(EDIT_URL.search(editor.url).group(1))
    journey.see(editor, "autosave-created-the-page", axe=EDIT_FORM_AXE)

    write_questions(editor)
    journey.see(editor, "questions-written", axe=EDIT_FORM_AXE)
    before = autosaves(editor)
    open_tab(editor, "محتوا")
    editor.locator("#id_title").fill(TITLE + " ۱۴۰۵")
    editor.locator("#id_title").press("Tab")
    wait_for_autosave(editor, before)
    save_draft(editor)
    text = journey.see(editor, "draft-saved", axe=EDIT_FORM_AXE)
    assert STALE_BANNER not in text
    survey = SurveyCampaignPage.objects.get(pk=page_id)
    draft = survey.get_latest_revision_as_object()
    assert draft.title == TITLE + " ۱۴۰۵"
    [matrix, single, follow_up] = read_questions(draft.questions).questions
    assert follow_up.condition.question_id == single.id
    assert follow_up.condition.answers == tuple(choice.id for choice in single.choices[:2])
    assert [q.type for q in (matrix, single, follow_up)] == [
        "matrix",
        "single_choice",
        "short_text",
    ]
    assert [row.label for row in matrix.rows] == ["برنامه‌ها متنوع‌اند.", "زمان برنامه‌ها مناسب است."]

    # A colleague saves the page while the editor's form is still open: genuinely stale.
    colleague, _ = sign_in_to_admin(make_page, url, "admin@hadaf.test")
    colleague.goto(f"{url}/admin/pages/{page_id}/edit/")
    wait_until_watching(colleague)
    colleague.locator("#id_title").fill(TITLE + " (همکار)")
    save_draft(colleague)
    assert STALE_BANNER not in journey.see(colleague, "colleague-saved", axe=EDIT_FORM_AXE)
    editor.locator("#id_title").fill(TITLE + " (کهنه)")
    save_draft(editor, confirm_conflict=True)
    text = journey.see(editor, "stale-save-refused", axe=EDIT_FORM_AXE)
    assert STALE_BANNER in text
    latest = SurveyCampaignPage.objects.get(pk=page_id).get_latest_revision_as_object()
    assert latest.title == TITLE + " (همکار)"

    # The editor reloads, puts the title back and sets the dates in Jalali.
    editor.goto(f"{url}/admin/pages/{page_id}/edit/")
    wait_until_watching(editor)
    editor.locator("#id_title").fill(TITLE)
    open_tab(editor, "مشارکت")
    opens = pick_opening_day(editor)
    journey.see(editor, "opening-picked", axe=EDIT_FORM_AXE)
    closes = editor.get_by_label(re.compile("زمان بسته"))
    type_jalali(closes, "۱۴۰۵/۱۰/۳۰ ۱۸:۰۰")
    assert opens.input_value().startswith("۱۴۰۵/۰۹/۰۱")
    # What is submitted is what the editor typed (the picker has had its last word).
    assert closes.input_value() == "۱۴۰۵/۱۰/۳۰ ۱۸:۰۰"

    # Submitted for approval: no «انتشار», no approval of their own submission.
    with editor.expect_navigation(timeout=AUTOSAVE_TIMEOUT_MS):
        submit_menu_item(editor, "action-submit").click()
    editor.wait_for_load_state("networkidle")
    journey.see(editor, "submitted", axe=EDIT_FORM_AXE)
    editor.goto(f"{url}/admin/pages/{page_id}/edit/")
    editor.wait_for_load_state("networkidle")
    journey.see(editor, "awaiting-approval", axe=EDIT_FORM_AXE)
    assert editor.locator("[data-workflow-action-name=approve]").count() == 0
    assert editor.locator('button[name="action-publish"]').count() == 0
    survey = SurveyCampaignPage.objects.get(pk=page_id)
    assert not survey.live
    assert survey.current_workflow_state is not None

    # The moderator approves and publishes.
    moderator, _ = sign_in_to_admin(make_page, url, "moderator@hadaf.test")
    moderator.goto(f"{url}/admin/pages/{page_id}/edit/")
    wait_until_watching(moderator)
    journey.see(moderator, "moderator-reviews", axe=EDIT_FORM_AXE)
    approve = moderator.locator(
        "[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    if not approve.is_visible():
        moderator.locator(".w-dropdown-button", has=approve).locator(
            '[data-w-dropdown-target="toggle"]'
        ).click()
    with moderator.expect_navigation(timeout=AUTOSAVE_TIMEOUT_MS):
        approve.click()
    moderator.wait_for_load_state("networkidle")
    journey.see(moderator, "approved-and-published", axe=EDIT_FORM_AXE)

    survey = SurveyCampaignPage.objects.get(pk=page_id)
    assert survey.live and survey.title == TITLE
    assert survey.opens_at.astimezone(TEHRAN).date() == datetime.date(2026, 11, 22)
    assert survey.closes_at == datetime.datetime(2027, 1, 20, 14, 30, tzinfo=datetime.UTC)
    assert survey.live_revision.user.email == "moderator@hadaf.test"
    approval = WorkflowState.objects.for_instance(survey).get()
    assert approval.status == WorkflowState.STATUS_APPROVED
    assert approval.requested_by.email == "editor@hadaf.test"
    published = read_questions(survey.questions).questions
    assert [q.id for q in published] == [matrix.id, single.id, follow_up.id]

    # A visitor reads the live page, in Persian with Persian digits.
    visitor, _ = make_page(width=1280, height=900)
    visitor.goto(url + survey.url)
    text = journey.see(visitor, "visitor-sees-the-survey")
    assert TITLE in text
    assert "۱۴۰۵" in text and "دی" in text
    assert not re.search(r"[0-9]", visitor.locator("main").inner_text())
    assert outside.urls == []
