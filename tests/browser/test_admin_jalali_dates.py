"""An editor sets a call's dates in the Persian admin with the Jalali picker, in Chromium.

The opening time is picked with the mouse in the picker (Persian month names and digits),
the closing time is typed with the keyboard only; both are stored as Gregorian UTC.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pages.models import RegulationDraftPage
from tests.browser.fixtures import ARTIFACTS
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft
from tests.people.factories import UserFactory

pytestmark = pytest.mark.browser

UTC = datetime.UTC
PERSIAN_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "آذر", "اسفند"]


@pytest.fixture
def draft_site(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    opens = timezone.make_aware(datetime.datetime(2026, 12, 7, 8, 0))  # 1405/09/16 08:00
    draft = add_draft(calls, opens_at=opens, closes_at=opens + datetime.timedelta(days=20))
    return live_server, draft


def admin_page(make_page, live_server):
    page, outside = make_page(width=1280, height=900)
    client = Client()
    client.force_login(UserFactory(email="editor@ministry.test", is_superuser=True, is_staff=True))
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


def screenshot(page, name):
    folder = ARTIFACTS / "admin-dates"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_an_editor_picks_and_types_jalali_dates(draft_site, make_page):
    live_server, draft = draft_site
    page, outside = admin_page(make_page, live_server)
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("tab", name=re.compile("مشارکت|زمان")).first.click()

    opens = page.get_by_label(re.compile("زمان گشایش"))
    assert opens.input_value() == "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰"  # the stored value, back in Jalali
    opens.focus()
    picker = page.locator("jdp-container")
    picker.wait_for(state="visible")
    screenshot(page, "picker-open")
    assert picker.get_attribute("aria-hidden") == "true"
    # Persian month names and digits; the picker opens on the stored month.
    months = picker.locator(".jdp-month select option").all_inner_texts()
    assert all(month in months for month in PERSIAN_MONTHS), months
    assert picker.locator(".jdp-month select").evaluate("s => s.options[s.selectedIndex].text") == (
        "آذر"
    )
    assert (
        picker.locator(".jdp-year select").evaluate("s => s.options[s.selectedIndex].text")
        == "۱۴۰۵"
    )
    days = picker.locator(".jdp-day:not(.not-in-month)")
    assert days.first.inner_text() == "۱"
    assert not re.search(r"[0-9]", picker.inner_text())

    days.filter(has_text=re.compile(r"^۲۰$")).click()
    opens.focus()
    # The picker reopens on focus: Escape pressed before it is shown closed nothing, and the
    # picker then stayed open (a CI run on a loaded machine).
    picker.wait_for(state="visible")
    page.keyboard.press("Escape")  # closes the picker; the keyboard is never trapped in it
    picker.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "id_opens_at"  # focus kept
    page.locator("body").click(position={"x": 5, "y": 5})
    assert opens.input_value() == "۱۴۰۵/۰۹/۲۰ ۰۸:۰۰"
    screenshot(page, "picked")

    # Keyboard only: Tab to the closing time, select all, type Jalali with Latin digits.
    closes = page.get_by_label(re.compile("زمان بسته"))
    closes.focus()
    page.keyboard.press("Escape")
    closes.press("Control+a")
    closes.press_sequentially("1405/10/01 12:00")
    closes.press("Tab")
    assert page.evaluate("document.activeElement.id") != "id_closes_at"  # focus moved on
    picker.wait_for(state="hidden")  # and the picker does not cover the next field

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("ذخیره پیش.?نویس")).first.click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "saved")
    assert "ویراستار دیگری" not in page.content()

    saved = RegulationDraftPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert saved.opens_at == datetime.datetime(2026, 12, 11, 4, 30, tzinfo=UTC)
    assert saved.closes_at == datetime.datetime(2026, 12, 22, 8, 30, tzinfo=UTC)
    assert page.get_by_label(re.compile("زمان گشایش")).input_value() == "۱۴۰۵/۰۹/۲۰ ۰۸:۰۰"
    assert outside.urls == []  # the picker is served by the project, no CDN
