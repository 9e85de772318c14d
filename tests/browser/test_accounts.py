"""Accounts in a real browser, on a phone: sign up, confirm the email, sign out, sign in.

The confirmation link is read from the outbox: the live server runs in this process with
the in-memory email backend. Screenshots are saved under test-artifacts/screenshots/.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.browser.fixtures import run_axe, save_screenshot
from tests.people.factories import UniversityFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "Golestan-1404-sadi"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[-:\w]+/")


@pytest.fixture
def accounts_site(transactional_db, live_server, home_page, settings):
    settings.AXES_ENABLED = True  # the real sign-in, lockout counting included
    # Emailed links point at the configured site address: here, the live server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    cache.clear()
    UniversityFactory(name="دانشگاه تهران", email_domains="ut.ac.ir")
    mail.outbox.clear()
    yield live_server
    cache.clear()


def open_at(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def check_the_page(page, name):
    """Right to left, nothing scrolls sideways, no serious accessibility problem."""
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert run_axe(page) == []
    save_screenshot(page, f"accounts-{name}-390")


def header_menu(page):
    return page.locator(".account-menu")


def test_sign_up_confirm_sign_out_and_sign_in_on_a_phone(accounts_site, make_page):
    page, outside = make_page(**PHONE)
    open_at(page, accounts_site.url + "/")
    header_menu(page).get_by_role("link", name="ثبت‌نام").click()
    page.wait_for_load_state("networkidle")
    check_the_page(page, "signup")

    # A mistake first: the error summary is announced and nothing is created.
    page.locator("#id_email").fill("reza.karimi@ut.ac.ir")
    page.get_by_role("button", name="ثبت‌نام").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("#form-errors")
    assert summary.get_attribute("role") == "alert" and summary.is_visible()
    check_the_page(page, "signup-errors")
    assert mail.outbox == []

    page.locator("#id_first_name").fill("رضا")
    page.locator("#id_last_name").fill("كريمي")  # Arabic kaf and yeh, as some keyboards type
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("label[for='id_role_0']").click()
    page.locator("#id_university").select_option(label="دانشگاه تهران")
    page.get_by_role("button", name="ثبت‌نام").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "ایمیلتان را ببینید"
    check_the_page(page, "verification-sent")
    assert header_menu(page).get_by_role("link", name="ورود").is_visible()

    [message] = mail.outbox
    assert message.to == ["reza.karimi@ut.ac.ir"]
    link = CONFIRM_LINK.search(message.body).group(0)
    open_at(page, link)
    check_the_page(page, "confirm-email")
    page.get_by_role("button", name="تأیید").click()
    page.wait_for_load_state("networkidle")

    # Confirmed in the same browser: signed in, back where signing up started, with the
    # name (in Persian letters) on top.
    assert page.url == accounts_site.url + "/"
    name_link = header_menu(page).locator(".account-menu__name")
    assert "رضا کریمی" in name_link.inner_text()
    check_the_page(page, "home-after-confirming")
    name_link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "نمایهٔ شما"
    # A university address verified the academic status on the way.
    assert page.locator(".account-status--verified").is_visible()
    check_the_page(page, "profile")

    header_menu(page).get_by_role("button", name="خروج").click()
    page.wait_for_load_state("networkidle")
    assert header_menu(page).get_by_role("link", name="ورود").is_visible()

    header_menu(page).get_by_role("link", name="ورود").click()
    page.wait_for_load_state("networkidle")
    check_the_page(page, "login")
    page.locator("#id_login").fill("Reza.Karimi@UT.ac.ir")  # any letter case
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state("networkidle")
    assert "رضا کریمی" in header_menu(page).locator(".account-menu__name").inner_text()
    assert page.url == accounts_site.url + "/"  # back where the sign-in started
    check_the_page(page, "home-signed-in")
    assert outside.urls == []


def test_password_reset_and_lockout_pages_on_a_phone(accounts_site, make_page):
    from tests.people.factories import UserFactory, with_confirmed_email

    person = with_confirmed_email(UserFactory(email="sara@ut.ac.ir"))
    page, outside = make_page(**PHONE)

    open_at(page, accounts_site.url + "/accounts/login/")
    page.get_by_role("link", name="گذرواژه را فراموش کرده‌اید؟").click()
    page.wait_for_load_state("networkidle")
    check_the_page(page, "password-reset")
    page.locator("#id_email").fill(person.email)
    page.get_by_role("button", name="فرستادن پیوند").click()
    page.wait_for_load_state("networkidle")
    check_the_page(page, "password-reset-done")
    assert [message.to for message in mail.outbox] == [[person.email]]

    open_at(page, accounts_site.url + "/accounts/login/")
    for _attempt in range(5):
        page.locator("#id_login").fill(person.email)
        page.locator("#id_password").fill("not-the-password")
        page.get_by_role("button", name="ورود").click()
        page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "تلاش‌های زیادی برای ورود"
    check_the_page(page, "lockout")
    assert outside.urls == []
