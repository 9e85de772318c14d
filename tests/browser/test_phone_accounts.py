"""Sign-up by mobile number on a 375 px phone: the number, the code, signed in, out, in again.

The codes are read from the SMS outbox: the live server runs in this process with the
in-memory gateway. Screenshots are saved under test-artifacts/screenshots/.
"""

import pytest
from django.core.cache import cache

from participation.people import sms
from tests.browser.fixtures import run_axe, save_screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone_site(transactional_db, live_server, home_page, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    cache.clear()
    sms.outbox.clear()
    yield live_server
    cache.clear()
    sms.outbox.clear()


def settle(page):
    page.wait_for_load_state("networkidle")


def check_the_page(page, name):
    """Right to left, nothing scrolls sideways at 375 px, no serious accessibility problem."""
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert run_axe(page) == []
    save_screenshot(page, f"phone-accounts-{name}-375")


def test_sign_up_by_phone_and_sign_in_by_code_on_a_phone(phone_site, make_page):
    page, outside = make_page(**PHONE)
    page.goto(phone_site.url + "/accounts/signup/")
    settle(page)
    page.get_by_role("link", name="ثبت‌نام با شمارهٔ همراه").click()
    settle(page)
    check_the_page(page, "signup")

    # A landline first: a Persian error, nothing sent.
    page.locator("#id_first_name").fill("زهرا")
    page.locator("#id_last_name").fill("رضایی")
    page.locator("#id_phone").fill("۰۲۱ ۱۲۳۴ ۵۶۷۸")
    page.locator("label[for='id_role_0']").click()
    page.get_by_role("button", name="کد را برایم بفرست").click()
    settle(page)
    assert "این شمارهٔ همراه نیست" in page.locator("main").inner_text()
    assert sms.outbox == []

    page.locator("#id_phone").fill("۰۹۱۲ ۳۴۵ ۶۷۸۹")  # Persian digits, as a Persian keyboard types
    page.get_by_role("button", name="کد را برایم بفرست").click()
    settle(page)
    assert page.locator("h1").inner_text() == "تأیید شمارهٔ همراه"
    code_input = page.locator("#id_code")
    assert code_input.get_attribute("autocomplete") == "one-time-code"
    assert code_input.get_attribute("inputmode") == "numeric"
    check_the_page(page, "verify")
    [message] = sms.outbox
    assert message.text.splitlines()[-1].endswith(f"#{message.code}")

    code_input.fill(message.code)
    page.get_by_role("button", name="تأیید").click()
    settle(page)
    assert page.locator("h1").inner_text() == "نمایهٔ شما"
    assert "۰۹۱۲ ۳۴۵ ۶۷۸۹" in page.locator("main").inner_text()
    check_the_page(page, "profile")

    page.locator(".account-menu").get_by_role("button", name="خروج").click()
    settle(page)
    page.goto(phone_site.url + "/accounts/login/")
    settle(page)
    page.get_by_role("link", name="ورود با شمارهٔ همراه").click()
    settle(page)
    check_the_page(page, "request-code")
    page.locator("#id_phone").fill("+98 912 345 6789")
    page.get_by_role("button", name="کد را برایم بفرست").click()
    settle(page)
    assert page.locator("h1").inner_text() == "کد را وارد کنید"
    check_the_page(page, "enter-code")
    page.locator("#id_code").fill(sms.outbox[-1].code)
    page.get_by_role("button", name="تأیید").click()
    settle(page)
    assert "زهرا رضایی" in page.locator(".account-menu__name").inner_text()
    assert outside.urls == []
