"""An editor alone, helped by Wagtail's autosave, is never told that someone else saved.

The issue's sequence in Chromium with real waiting: add a survey under the calls index, type
a title, let autosave create the page (the address becomes /admin/pages/N/edit/), change
a field, let autosave save again, then «ذخیره پیش‌نویس». The draft must be saved with no
"another editor" banner. A colleague who saved in between still makes the save stale.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.models import SurveyCampaignPage
from tests.browser.fixtures import save_screenshot
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser

EDIT_URL = re.compile(r"/admin/pages/(\d+)/edit/")
STALE_BANNER = "ویراستار دیگری"
# Wagtail's autosave waits for the editor to pause; a slow, shared machine may take longer.
AUTOSAVE_TIMEOUT_MS = 30_000


@pytest.fixture
def calls_index(transactional_db, live_server, home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


def signed_in_page(make_page, live_server, email):
    """A Persian admin page in a fresh browser context, signed in as a new superuser."""
    page, _outside = make_page(width=1280, height=900)
    client = Client()
    client.force_login(UserFactory(email=email, is_superuser=True, is_staff=True))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


# Records when Wagtail starts watching the form and each autosave that fully succeeded
# (the page hydrated, the form's "unchanged" snapshot retaken).
WATCH_SCRIPT = """
document.addEventListener('w-unsaved:watch-edits', () => { window.hadafWatching = true; });
window.hadafAutosaves = [];
document.addEventListener('w-autosave:success', (event) => {
  window.hadafAutosaves.push(event.detail.data);
});
"""


def open_editor(page, url):
    """Open the editor and wait until Wagtail watches the form for edits (it takes the
    "unchanged" snapshot about two seconds after load; typing earlier is not an edit)."""
    page.add_init_script(WATCH_SCRIPT)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.hadafWatching === true")


def type_and_wait_for_autosave(page, selector, text):
    """Type into a field, leave it, and wait until Wagtail's autosave has stored it."""
    before = page.evaluate("() => window.hadafAutosaves.length")
    page.locator(selector).fill(text)
    # Leaving the title fills the slug, which a page needs before it can be created.
    page.locator(selector).press("Tab")
    page.wait_for_function(
        f"() => window.hadafAutosaves.length > {before}", timeout=AUTOSAVE_TIMEOUT_MS
    )
    return page.evaluate("() => window.hadafAutosaves[window.hadafAutosaves.length - 1]")


def save_draft(page, confirm_conflict=False):
    """Click «ذخیره پیش‌نویس»; past Wagtail's "newer version" dialog if it comes up."""
    with page.expect_navigation(timeout=AUTOSAVE_TIMEOUT_MS):
        page.get_by_role("button", name=re.compile("ذخیره پیش.?نویس")).first.click()
        if confirm_conflict:
            # Wagtail's editing-sessions module may warn of the colleague's save first (once
            # its ping has seen it); the editor goes on anyway, and the server must refuse.
            confirm = page.locator("#w-save-confirmation-dialog [data-w-dialog-target=confirm]")
            try:
                confirm.wait_for(state="visible", timeout=5_000)
                confirm.click()
            except PlaywrightTimeoutError:
                pass
    page.wait_for_load_state("networkidle")


def test_an_editor_alone_saves_after_autosave_created_the_page(calls_index, live_server, make_page):
    page = signed_in_page(make_page, live_server, "editor@ministry.test")
    open_editor(
        page, f"{live_server.url}/admin/pages/add/pages/surveycampaignpage/{calls_index.pk}/"
    )

    created = type_and_wait_for_autosave(page, "#id_title", "پویش آزمایشی خودکار")
    assert created["success"] is True
    page.wait_for_url(EDIT_URL, timeout=AUTOSAVE_TIMEOUT_MS)
    page_id = int(EDIT_URL.search(page.url).group(1))

    again = type_and_wait_for_autosave(page, "#id_title", "پویش آزمایشی ویرایش‌شده")
    assert again["revision_id"] == created["revision_id"]
    save_screenshot(page, "admin-autosave-before-save")

    save_draft(page)
    save_screenshot(page, "admin-autosave-after-save")
    assert STALE_BANNER not in page.content()
    assert page.locator(".messages .success, .messages [class*=success]").count() >= 1
    survey = SurveyCampaignPage.objects.get(pk=page_id)
    assert survey.get_latest_revision_as_object().title == "پویش آزمایشی ویرایش‌شده"
    assert not survey.live


def test_a_colleagues_save_in_between_still_refuses_the_stale_save(
    calls_index, live_server, make_page
):
    page = signed_in_page(make_page, live_server, "editor@ministry.test")
    open_editor(
        page, f"{live_server.url}/admin/pages/add/pages/surveycampaignpage/{calls_index.pk}/"
    )
    type_and_wait_for_autosave(page, "#id_title", "پویش نخست")
    page.wait_for_url(EDIT_URL, timeout=AUTOSAVE_TIMEOUT_MS)
    page_id = int(EDIT_URL.search(page.url).group(1))

    # A colleague opens the page in their own browser and saves a draft.
    colleague = signed_in_page(make_page, live_server, "colleague@ministry.test")
    open_editor(colleague, f"{live_server.url}/admin/pages/{page_id}/edit/")
    colleague.locator("#id_title").fill("پویش همکار")
    save_draft(colleague)
    assert STALE_BANNER not in colleague.content()

    # Back in the first editor's form, now out of date: the full save is refused.
    page.locator("#id_title").fill("پویش قدیمی")
    save_draft(page, confirm_conflict=True)
    save_screenshot(page, "admin-autosave-stale-refused")
    assert STALE_BANNER in page.content()
    latest = SurveyCampaignPage.objects.get(pk=page_id).get_latest_revision_as_object()
    assert latest.title == "پویش همکار"
