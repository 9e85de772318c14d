"""Sign-up by mobile number and sign-in by a one-time code, through the test client.

The real allauth views run with our forms, adapter, stages and templates; the text
messages land in ``participation.people.sms.outbox`` (the locmem gateway of the test
settings), from which the tests read the code as a person reads their phone.
"""

import logging
import re
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from allauth.account.internal.flows import code_verification
from django.contrib.auth import get_user, get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from participation.choices import Role
from participation.people import sms
from tests.people.factories import UserFactory, with_confirmed_email

pytestmark = pytest.mark.django_db

User = get_user_model()
NUMBER = "+989123456789"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
CODE_PATTERN = re.compile(r"^\d{6}$")


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def sign_up_by_phone(client, phone="۰۹۱۲ ۳۴۵ ۶۷۸۹", **overrides):
    data = {
        "first_name": "زهرا",
        "last_name": "رضایی",
        "phone": phone,
        "role": Role.STUDENT,
        "university": "",
        **overrides,
    }
    return client.post(reverse("account_signup_phone"), data)


def request_code(client, phone):
    return client.post(reverse("account_request_login_code"), {"phone": phone})


def confirm_login(client, code):
    return client.post(reverse("account_confirm_login_code"), {"action": "verify", "code": code})


def verify_phone(client, code):
    return client.post(reverse("account_verify_phone"), {"action": "verify", "code": code})


def last_code(phone=NUMBER):
    message = sms.outbox[-1]
    assert message.phone == phone
    return message.code


def signed_in(client):
    return get_user(client).is_authenticated


def phone_account(phone=NUMBER, verified=True):
    from django.utils import timezone

    person = User.objects.create_user(email=None, phone=phone, first_name="زهرا")
    if verified:
        person.phone_verified_at = timezone.now()
        person.save()
    return person


# The whole journey ---------------------------------------------------------------------


def test_sign_up_by_phone_confirm_the_code_then_sign_in_by_code(client):
    page = client.get(reverse("account_signup_phone"))
    field = re.search(r"<input[^>]*name=\"phone\"[^>]*>", page.content.decode()).group(0)
    for attribute in ('type="tel"', 'autocomplete="tel"', 'inputmode="tel"', 'dir="ltr"'):
        assert attribute in field
    assert "password" not in page.content.decode().lower().split("<main", 1)[1]
    label = re.search(r'<label[^>]*for="id_phone"[^>]*>([^<]*)<', page.content.decode())
    assert label.group(1).strip() == "شمارهٔ همراه"

    response = sign_up_by_phone(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert not signed_in(client)  # not until the code is typed
    person = User.objects.get(phone=NUMBER)
    assert person.email is None and not person.is_phone_verified
    assert not person.has_usable_password()
    assert (person.first_name, person.last_name, person.role) == ("زهرا", "رضایی", Role.STUDENT)

    [message] = sms.outbox
    assert message.phone == NUMBER
    assert CODE_PATTERN.match(message.code)
    lines = message.text.splitlines()
    assert "هدف" in lines[0] and message.code in lines[0]
    assert "این کد را به هیچ‌کس ندهید" in message.text
    assert lines[-1] == f"@testserver #{message.code}"  # WebOTP, last

    page = client.get(reverse("account_verify_phone"))
    assert "۰۹۱۲ ۳۴۵ ۶۷۸۹" in text(page)
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page.content.decode()).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field

    # Typed with a Persian keyboard.
    response = verify_phone(client, message.code.translate(PERSIAN_DIGITS))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_profile")
    assert signed_in(client) and get_user(client) == person
    person.refresh_from_db()
    assert person.is_phone_verified
    profile = text(client.get(reverse("account_profile")))
    assert "۰۹۱۲ ۳۴۵ ۶۷۸۹" in profile and "افزودن نشانی ایمیل" in profile

    client.post(reverse("account_logout"))
    assert not signed_in(client)
    response = request_code(client, "0098 912 345 6789")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(sms.outbox) == 2
    response = confirm_login(client, last_code())
    assert response.status_code == 302
    assert get_user(client) == person
    assert User.objects.count() == 1


def test_the_login_page_offers_signing_in_by_mobile_number(client):
    page = text(client.get(reverse("account_login")))
    assert reverse("account_request_login_code") in page
    assert "ورود با شمارهٔ همراه" in page
    page = text(client.get(reverse("account_request_login_code")))
    assert 'name="email"' not in page and 'name="phone"' in page


def test_a_code_works_once(client):
    person = phone_account()
    request_code(client, "09123456789")
    code = last_code()
    assert confirm_login(client, code).status_code == 302
    assert get_user(client) == person
    client.post(reverse("account_logout"))

    # The same code again: no sign-in waits for it.
    response = confirm_login(client, code)
    assert response.status_code == 302 and not signed_in(client)
    # Nor does it open a new sign-in, whose code is a new one.
    request_code(client, "09123456789")
    new_code = last_code()
    if new_code != code:
        response = confirm_login(client, code)
        assert response.status_code == 200 and not signed_in(client)
        assert "این کد درست نیست" in text(response)
    assert confirm_login(client, new_code).status_code == 302
    assert get_user(client) == person


def test_a_code_expires_after_five_minutes(client):
    phone_account()
    request_code(client, NUMBER)
    code = last_code()
    later = time.time() + 5 * 60 + 1
    with mock.patch.object(code_verification, "time", SimpleNamespace(time=lambda: later)):
        response = confirm_login(client, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_login_code")
    assert not signed_in(client)


def test_three_wrong_codes_end_the_attempt(client):
    phone_account()
    request_code(client, NUMBER)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(2):
        response = confirm_login(client, wrong)
        assert response.status_code == 200
        assert "این کد درست نیست" in text(response)
    response = confirm_login(client, wrong)
    assert response.status_code == 302 and not signed_in(client)
    # The right code is no use now: the attempt is over.
    confirm_login(client, code)
    assert not signed_in(client)


def test_bad_numbers_get_a_persian_error_and_send_nothing(client):
    for typed in ("02112345678", "0912345678", "+14155552671", "تلفن"):
        response = request_code(client, typed)
        assert response.status_code == 200
        assert "شمارهٔ همراه" in text(response)
        response = sign_up_by_phone(client, phone=typed)
        assert response.status_code == 200
    assert sms.outbox == []
    assert not User.objects.exists()


# Enumeration: the same answer whether a number has an account or not --------------------


def test_a_number_without_an_account_gets_the_same_answer_and_no_text(client):
    phone_account()
    known = request_code(client, NUMBER)
    assert len(sms.outbox) == 1
    client.cookies.clear()
    unknown = request_code(client, "09351234567")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(sms.outbox) == 1  # nothing to a number without an account
    page = text(client.get(unknown["Location"]))
    assert "۰۹۳۵ ۱۲۳ ۴۵۶۷" in page
    assert not signed_in(client)


def test_signing_up_with_a_registered_number_creates_nothing_and_says_nothing(client):
    person = phone_account()
    response = sign_up_by_phone(client, phone="09123456789", first_name="مهاجم")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert User.objects.count() == 1
    assert sms.outbox == []
    page = text(client.get(response["Location"]))
    assert reverse("account_restart_code") in page  # the way forward: sign in by code
    assert "با این شماره حساب دارید؟" in page
    verify_phone(client, "123456")
    assert not signed_in(client)
    person.refresh_from_db()
    assert person.first_name == "زهرا"


# Rate limits ---------------------------------------------------------------------------


def test_codes_are_limited_per_number_with_a_429_and_retry_after(client):
    phone_account()
    for _request in range(3):
        client.cookies.clear()  # a new visitor each time, as a script would be
        assert request_code(client, NUMBER).status_code == 302
    client.cookies.clear()
    response = request_code(client, "۰۹۱۲ ۳۴۵ ۶۷۸۹")  # another spelling, the same number
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 5 * 60
    assert "کدهای زیادی" in text(response) and "پیامکی فرستاده نشد" in text(response)
    assert len(sms.outbox) == 3
    # Another number is not held back by this one's limit.
    phone_account("09351234567")
    client.cookies.clear()
    assert request_code(client, "09351234567").status_code == 302


def test_phone_sign_ups_are_limited_per_number(client):
    for _attempt in range(3):
        client.cookies.clear()
        assert sign_up_by_phone(client).status_code == 302
    client.cookies.clear()
    response = sign_up_by_phone(client)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert User.objects.count() == 1


@override_settings(
    ACCOUNT_RATE_LIMITS={"request_login_code": "2/m/ip,3/5m/key", "verify_phone": "2/m/ip"}
)
def test_codes_are_limited_per_address(client):
    numbers = ["09121111111", "09122222222", "09123333333"]
    for number in numbers:
        phone_account(number)
    assert request_code(client, numbers[0]).status_code == 302
    # "Start again with another number" on the code page.
    assert client.post(reverse("account_restart_code")).status_code == 302
    assert request_code(client, numbers[1]).status_code == 302
    client.cookies.clear()
    response = request_code(client, numbers[2])
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    assert len(sms.outbox) == 2
    # JSON clients get the same limit as JSON.
    response = client.post(
        reverse("account_request_login_code"),
        {"phone": numbers[2]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 429 and response.json()["error"] == "too_many_requests"


# Never logged ---------------------------------------------------------------------------


def test_codes_never_appear_in_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    sign_up_by_phone(client)
    verify_phone(client, "999999" if last_code() != "999999" else "888888")  # a wrong one
    verify_phone(client, last_code())
    client.post(reverse("account_logout"))
    request_code(client, NUMBER)
    confirm_login(client, last_code())
    assert signed_in(client)

    codes = {message.code for message in sms.outbox}
    assert len(codes) >= 1
    assert "SMS code sent to +98912***6789" in caplog.text  # the log was captured
    for code in codes:
        assert code not in caplog.text
        for record in caplog.records:
            assert code not in str(record.args or "")
    assert NUMBER not in caplog.text  # and the number only masked


# Both ways in, on one account ------------------------------------------------------------


def test_an_email_account_adds_a_mobile_number_and_then_signs_in_with_it(client):
    person = with_confirmed_email(UserFactory())
    client.post(
        reverse("account_login"), {"login": person.email, "password": "correct-horse-battery"}
    )
    assert get_user(client) == person
    response = client.post(reverse("account_change_phone"), {"phone": "۰۹۱۲۳۴۵۶۷۸۹"})
    # The password first, as for changing the email address.
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert sms.outbox == []
    response = client.post(response["Location"], {"password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    person.refresh_from_db()
    assert person.phone is None  # not before the code is typed
    verify_phone(client, last_code())
    person.refresh_from_db()
    assert person.phone == NUMBER and person.is_phone_verified

    client.post(reverse("account_logout"))
    request_code(client, NUMBER)
    confirm_login(client, last_code())
    assert get_user(client) == person


def test_a_number_of_another_account_cannot_be_taken_over_by_adding_it(client):
    owner = phone_account()
    intruder = with_confirmed_email(UserFactory())
    client.post(
        reverse("account_login"), {"login": intruder.email, "password": "correct-horse-battery"}
    )
    response = client.post(reverse("account_change_phone"), {"phone": NUMBER})
    client.post(response["Location"], {"password": "correct-horse-battery"})
    # Even with the code (the intruder does not have it, but suppose so), it is refused.
    codes = [message.code for message in sms.outbox]
    response = verify_phone(client, codes[-1] if codes else "123456")
    assert response.status_code == 200
    assert "از این شمارهٔ همراه نمی‌توان استفاده کرد" in text(response)
    intruder.refresh_from_db()
    owner.refresh_from_db()
    assert intruder.phone is None and owner.phone == NUMBER


def test_a_phone_account_adds_an_email_address_later(client):
    person = phone_account()
    request_code(client, NUMBER)
    confirm_login(client, last_code())
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "zahra.rezaei@ut.ac.ir"}
    )
    assert response.status_code == 302, text(response)
    [message] = mail.outbox
    assert message.to == ["zahra.rezaei@ut.ac.ir"]
    link = re.search(r"https?://[^\s/]+(/accounts/confirm-email/[-:\w]+/)", message.body).group(1)
    client.post(link)
    person.refresh_from_db()
    assert person.email == "zahra.rezaei@ut.ac.ir" and person.phone == NUMBER
