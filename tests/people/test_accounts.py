"""Accounts: sign-up with a confirmed email, sign-in, password reset, abuse limits, bad input.

Each test drives the real allauth views through the test client, with our forms,
adapter and templates, and checks both what the visitor sees (in Persian) and what the
database holds afterwards.
"""

import datetime
import re
import time
from unittest import mock

import pytest
import time_machine
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from participation.choices import AcademicRank, AcademicVerification, Role
from tests.people.factories import (
    DEFAULT_PASSWORD,
    UniversityFactory,
    UserFactory,
    with_confirmed_email,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Golestan-1404-sadi"
CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[-:\w]+/)")
RESET_LINK = re.compile(r"https?://[^\s/]+(/accounts/password/reset/key/[-\w]+/)")


# Helpers --------------------------------------------------------------------------------


def signup_data(email, **overrides):
    data = {
        "first_name": "رضا",
        "last_name": "کریمی",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.STUDENT,
        "university": "",
    }
    data.update(overrides)
    return data


def sign_up(client, email, **overrides):
    return client.post(reverse("account_signup"), signup_data(email, **overrides))


def link_in(message, pattern=CONFIRM_LINK):
    match = pattern.search(message.body)
    assert match, message.body
    return match.group(1)


def confirm(client, message):
    """Open the link in ``message`` and press its button, as a person would."""
    url = link_in(message)
    assert client.get(url).status_code == 200
    return client.post(url)


def sign_in(client, user, password=DEFAULT_PASSWORD):
    """Sign in through the form (allauth then counts it as a recent authentication)."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()


def signed_in_user(client):
    from django.contrib.auth import get_user

    return get_user(client)


def page_text(response):
    html = response.content.decode()
    # Drop per-request tokens so two pages can be compared.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def tehran():
    return UniversityFactory(name="دانشگاه تهران", email_domains="ut.ac.ir\n@UT.ac.ir")


@pytest.fixture
def member(db):
    """A participant whose address is confirmed, so allauth lets them sign in."""
    return with_confirmed_email(UserFactory(email="sara.ahmadi@university.test"))


# Sign-up and email confirmation ------------------------------------------------------------


def test_sign_up_sends_a_persian_confirmation_email(client, mailoutbox, tehran):
    response = sign_up(client, "reza@gmail.com", university=tehran.pk, role=Role.STAFF)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert "ایمیلتان را ببینید" in page

    person = User.objects.get(email="reza@gmail.com")
    assert (person.first_name, person.last_name, person.role) == ("رضا", "کریمی", Role.STAFF)
    assert person.university == tehran
    assert person.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=person).verified
    assert not person.is_academic_verified
    assert signed_in_user(client).is_anonymous

    [message] = mailoutbox
    assert message.to == ["reza@gmail.com"]
    assert message.subject.startswith("[هدف] ")
    assert "نشانی ایمیل" in message.subject
    assert "سلام رضا کریمی" in message.body
    assert link_in(message).startswith("/accounts/confirm-email/")


def test_the_link_confirms_the_address_and_signs_in(client, mailoutbox, home_page):
    sign_up(client, "reza@gmail.com")
    url = link_in(mailoutbox[0])

    page = client.get(url)
    assert "reza@gmail.com" in page.content.decode()
    assert not EmailAddress.objects.get(email="reza@gmail.com").verified  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="reza@gmail.com")
    assert address.verified and address.primary
    assert signed_in_user(client) == address.user


def test_a_university_address_verifies_academic_status_at_once(client, mailoutbox, tehran):
    # A subdomain of a registered domain counts, in any letter case.
    sign_up(client, "Reza@Mail.UT.ac.ir", university="")
    person = User.objects.get(email="reza@mail.ut.ac.ir")
    assert not person.is_academic_verified  # not before the address is confirmed

    confirm(client, mailoutbox[0])

    person.refresh_from_db()
    assert person.is_academic_verified
    assert person.academic_verified_via == AcademicVerification.EMAIL
    assert person.university == tehran


@pytest.mark.parametrize("email", ["reza@gmail.com", "reza@evilut.ac.ir", "reza@ut.ac.ir.evil.com"])
def test_other_addresses_do_not_verify_academic_status(client, mailoutbox, tehran, email):
    sign_up(client, email, university=tehran.pk)
    confirm(client, mailoutbox[0])

    person = User.objects.get(email=email)
    assert EmailAddress.objects.get(user=person).verified
    assert not person.is_academic_verified
    assert person.academic_verified_via == ""


def test_a_forged_confirmation_link_is_refused_and_changes_nothing(client, mailoutbox, tehran):
    sign_up(client, "reza@ut.ac.ir")
    real = link_in(mailoutbox[0])
    forged = real.replace(real.split("/")[-2], real.split("/")[-2][:-3] + "abc")

    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "این پیوند تأیید کار نمی‌کند" in html
    assert not EmailAddress.objects.get(email="reza@ut.ac.ir").verified
    assert not User.objects.get(email="reza@ut.ac.ir").is_academic_verified
    assert signed_in_user(client).is_anonymous


def test_an_expired_confirmation_link_is_refused_and_changes_nothing(client, tehran):
    person = UserFactory(email="reza@ut.ac.ir")
    address = EmailAddress.objects.create(user=person, email=person.email, primary=True)
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        key = EmailConfirmationHMAC(address).key
    url = reverse("account_confirm_email", args=[key])

    assert "این پیوند تأیید کار نمی‌کند" in client.get(url).content.decode()
    assert "این پیوند تأیید کار نمی‌کند" in client.post(url).content.decode()
    address.refresh_from_db()
    person.refresh_from_db()
    assert not address.verified
    assert not person.is_academic_verified


def test_an_unconfirmed_account_cannot_sign_in(client, mailoutbox):
    sign_up(client, "reza@gmail.com")
    mailoutbox.clear()
    response = client.post(
        reverse("account_login"), {"login": "reza@gmail.com", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client).is_anonymous


# Signing in and out ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["sara.ahmadi@university.test", "SARA.Ahmadi@University.TEST"])
def test_sign_in_with_the_email_in_any_letter_case(client, member, home_page, typed):
    response = client.post(
        reverse("account_login") + "?next=/calls/",
        {"login": f"  {typed} ", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/calls/"
    assert signed_in_user(client) == member


def test_a_wrong_password_gets_a_persian_error_summary(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "not-the-password"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="survey-errors" id="form-errors" role="alert"' in html
    assert "نشانی ایمیل یا گذرواژه درست نیست." in html
    assert signed_in_user(client).is_anonymous


def test_the_login_form_is_labelled_for_people_and_password_managers(client):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<label class="survey-question__label" for="id_login">نشانی', html)
    email_input = re.search(r"<input[^>]*id=\"id_login\"[^>]*>", html).group(0)
    assert 'dir="ltr"' in email_input and 'autocomplete="username"' in email_input
    assert 'type="email"' in email_input
    password_input = re.search(r"<input[^>]*id=\"id_password\"[^>]*>", html).group(0)
    assert 'autocomplete="current-password"' in password_input
    assert reverse("account_reset_password") in html


def test_sign_out_is_a_post_and_returns_home(client, member, home_page):
    client.force_login(member)
    assert client.get(reverse("account_logout")).status_code == 200
    assert signed_in_user(client) == member  # showing the page signs nobody out
    response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"
    assert signed_in_user(client).is_anonymous


def test_english_pages_live_under_en(client):
    response = client.get("/en/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    assert 'action="/en/accounts/login/"' in html


# The header --------------------------------------------------------------------------------


def test_visitors_see_sign_in_and_sign_up_links_back_to_the_page(client, home_page):
    html = client.get("/").content.decode()
    menu = html.split('class="account-menu"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/accounts/login/?next=%2F"' in menu
    assert 'href="/accounts/signup/?next=%2F"' in menu
    assert "csrfmiddlewaretoken" not in menu  # anonymous pages stay cacheable


def test_signed_in_people_see_their_name_and_a_sign_out_button(client, member, home_page):
    member.first_name, member.last_name = "سارا", "احمدی"
    member.save()
    client.force_login(member)
    html = client.get("/").content.decode()
    menu = html.split('class="account-menu"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("account_profile")}"' in menu and "سارا احمدی" in menu
    assert f'method="post" action="{reverse("account_logout")}"' in menu
    assert "/accounts/login/" not in menu


# Not revealing who has an account --------------------------------------------------------------


def test_signing_up_again_in_another_letter_case_is_refused_without_saying_so(client, mailoutbox):
    existing = with_confirmed_email(UserFactory(email="reza@ut.ac.ir", first_name="رضا"))

    fresh = sign_up(client, "someone.new@ut.ac.ir")
    again = sign_up(client, "Reza@UT.ac.ir", first_name="دیگری")

    # The visitor cannot tell the two apart.
    assert (again.status_code, again["Location"]) == (fresh.status_code, fresh["Location"])
    assert page_text(client.get(again["Location"])) == page_text(client.get(fresh["Location"]))
    # No second account; the first is untouched.
    assert User.objects.filter(email__iexact="reza@ut.ac.ir").count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "رضا" and existing.check_password(DEFAULT_PASSWORD)
    # The owner of the address is told, in Persian.
    told = [message for message in mailoutbox if message.to == ["reza@ut.ac.ir"]]
    assert len(told) == 1 and "حساب دارید" in told[0].subject
    assert "/accounts/password/reset/" in told[0].body


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, member, mailoutbox
):
    known = client.post(reverse("account_reset_password"), {"email": member.email.upper()})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@university.test"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert page_text(client.get(known["Location"])) == page_text(client.get(unknown["Location"]))
    assert "اگر نشانی‌ای که نوشتید حساب داشته باشد" in client.get(known["Location"]).content.decode()
    # Only the owner gets a reset link.
    [to_member] = [message for message in mailoutbox if message.to == [member.email]]
    assert RESET_LINK.search(to_member.body)
    [to_stranger] = [m for m in mailoutbox if m.to == ["nobody@university.test"]]
    assert not RESET_LINK.search(to_stranger.body)


def test_the_reset_link_sets_a_new_password_once(client, member, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member.email})
    url = link_in(mailoutbox[0], RESET_LINK)
    form_url = client.get(url)["Location"]  # allauth moves the key out of the URL
    response = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(PASSWORD)

    html = client.get(url).content.decode()
    assert "این پیوند کار نمی‌کند" in html and 'role="alert"' in html


def test_a_forged_reset_link_is_refused(client, member):
    html = client.get(f"/accounts/password/reset/key/{member.pk}-forged-key/").content.decode()
    assert "این پیوند کار نمی‌کند" in html
    member.refresh_from_db()
    assert member.check_password(DEFAULT_PASSWORD)


# Abuse: lockout and rate limits ------------------------------------------------------------------


def fail_login(client, email, url=None):
    url = url or reverse("account_login")
    field = "username" if url.startswith("/admin/") else "login"
    return client.post(url, {field: email, "password": "wrong-password"})


@override_settings(AXES_ENABLED=True)
def test_five_failed_sign_ins_lock_the_address_out_for_fifteen_minutes(client, member):
    for _attempt in range(4):
        assert fail_login(client, member.email).status_code == 200
    locked = fail_login(client, member.email.upper())
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "تلاش‌های زیادی برای ورود" in html and "۱۵ دقیقه" in html

    # Even the right password is refused now.
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert signed_in_user(client).is_anonymous

    # Someone else, from another address, is not affected.
    other = with_confirmed_email(UserFactory(email="ali@university.test"))
    response = client.post(
        reverse("account_login"),
        {"login": other.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True)
def test_the_admin_login_is_locked_out_too_and_shares_the_count(client):
    from tests.people.factories import EditorFactory

    editor = EditorFactory(email="editor@hadaf.test")
    admin_login = reverse("wagtailadmin_login")
    for _attempt in range(3):
        assert fail_login(client, editor.email, admin_login).status_code == 200
    assert fail_login(client, editor.email).status_code == 200  # the same count
    locked = fail_login(client, editor.email, admin_login)
    assert locked.status_code == 429
    assert "تلاش‌های زیادی برای ورود" in locked.content.decode()

    response = client.post(admin_login, {"username": editor.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert signed_in_user(client).is_anonymous


@override_settings(AXES_ENABLED=True)
def test_a_successful_sign_in_clears_earlier_failures(client, member):
    for _attempt in range(4):
        fail_login(client, member.email)
    client.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    client.logout()
    for _attempt in range(4):
        assert fail_login(client, member.email).status_code == 200


@override_settings(HADAF_RATE_LIMITS=True)
def test_sign_up_is_rate_limited_per_browser(client, mailoutbox):
    """Five sign-ups a minute per browser (participation/protection/limits.py); the
    address's own limit is far higher, for campuses behind one NAT address.

    The clock stands still: the counts are in fixed one-minute windows, and six slow
    sign-ups could otherwise straddle the turn of one and find a fresh count."""
    client.get(reverse("account_signup"))  # the form, and with it the browser's CSRF cookie
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 12, 0, 30, tzinfo=datetime.UTC), tick=False
    ):
        for number in range(5):
            assert sign_up(client, f"person{number}@gmail.com").status_code == 302
        response = sign_up(client, "one.too.many@gmail.com")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "درخواست‌های زیادی" in response.content.decode()
    assert not User.objects.filter(email="one.too.many@gmail.com").exists()


def test_password_reset_is_rate_limited_per_address_alike_for_everyone(client, member, mailoutbox):
    for email in (member.email, "nobody@university.test"):
        statuses = [
            client.post(reverse("account_reset_password"), {"email": email}).status_code
            for _attempt in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
    assert len(mailoutbox) == 6


# Bad input in names ----------------------------------------------------------------------------


def test_names_get_persian_letters_and_lose_bidi_controls(client):
    sign_up(
        client,
        "reza@gmail.com",
        first_name="\u202eعلي\u202c \u200f",
        last_name="\u2067كريمي\u2069\u200e\u061c\u200cنژاد",
    )
    person = User.objects.get(email="reza@gmail.com")
    assert person.first_name == "علی"
    # The zero-width non-joiner is Persian spelling and stays.
    assert person.last_name == "کریمی\u200cنژاد"


def test_a_name_of_invisible_characters_only_is_refused(client):
    response = sign_up(client, "reza@gmail.com", first_name="\u202e\u200f ")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.filter(email="reza@gmail.com").exists()


# The profile ------------------------------------------------------------------------------------


def profile_data(**overrides):
    data = {
        "first_name": "زهرا",
        "last_name": "مرادی",
        "role": Role.FACULTY,
        "university": "",
        "faculty": "دانشکدهٔ الهيات",
        "academic_rank": AcademicRank.ASSISTANT_PROFESSOR,
    }
    data.update(overrides)
    return data


def test_the_profile_needs_a_signed_in_person(client):
    response = client.get(reverse("account_profile"))
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_faculty_members_must_give_their_rank(client, member):
    client.force_login(member)
    response = client.post(reverse("account_profile"), profile_data(academic_rank=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "مرتبهٔ علمی" in html
    member.refresh_from_db()
    assert member.role == Role.STUDENT and member.academic_rank == ""


def test_the_profile_saves_normalized_details(client, member, tehran):
    client.force_login(member)
    response = client.post(reverse("account_profile"), profile_data(university=tehran.pk))
    assert response["Location"] == reverse("account_profile")
    member.refresh_from_db()
    assert (member.role, member.academic_rank) == (Role.FACULTY, AcademicRank.ASSISTANT_PROFESSOR)
    assert member.faculty == "دانشکدهٔ الهیات"
    assert member.university == tehran
    assert "نمایهٔ شما ذخیره شد" in client.get(response["Location"]).content.decode()


def test_only_faculty_keep_a_rank(client, member):
    client.force_login(member)
    client.post(reverse("account_profile"), profile_data(role=Role.STUDENT))
    member.refresh_from_db()
    assert (member.role, member.academic_rank) == (Role.STUDENT, "")


def test_choosing_another_university_withdraws_verification(client, member, tehran):
    from django.utils import timezone

    sharif = UniversityFactory(name="دانشگاه صنعتی شریف", email_domains="sharif.edu")
    member.university, member.academic_verified_at = tehran, timezone.now()
    member.academic_verified_via = AcademicVerification.EMAIL
    member.save()
    client.force_login(member)

    client.post(reverse("account_profile"), profile_data(university=tehran.pk))
    member.refresh_from_db()
    assert member.is_academic_verified  # same university: kept

    client.post(reverse("account_profile"), profile_data(university=sharif.pk))
    member.refresh_from_db()
    assert member.university == sharif and not member.is_academic_verified


# Email change --------------------------------------------------------------------------------


def test_a_new_address_replaces_the_old_one_once_confirmed(client, member, mailoutbox, tehran):
    sign_in(client, member)
    response = client.post(reverse("account_email"), {"email": "Sara@UT.ac.ir", "action_add": ""})
    # The password first, however recently the person signed in.
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert mailoutbox == []
    wrong = client.post(response["Location"], {"password": "not-it"})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()
    response = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "sara.ahmadi@university.test"  # not before it is confirmed
    assert mailoutbox[-1].to == ["sara@ut.ac.ir"]
    page = client.get(reverse("account_email")).content.decode()
    assert "در حال تغییر به" in page and '<dd dir="ltr">sara@ut.ac.ir</dd>' in page

    confirm(client, mailoutbox[-1])
    member.refresh_from_db()
    assert member.email == "sara@ut.ac.ir"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "sara@ut.ac.ir"
    ]
    assert member.is_academic_verified and member.university == tehran
    # The old address hears about it.
    assert any(message.to == ["sara.ahmadi@university.test"] for message in mailoutbox)


# Editors verify by hand -------------------------------------------------------------------------


@pytest.fixture
def waiting(tehran):
    return UserFactory(
        email="fatemeh@gmail.com", first_name="فاطمه", last_name="کریمی", university=tehran
    )


def test_an_editor_verifies_a_person_and_it_is_logged(client, waiting):
    from wagtail.models import ModelLogEntry

    from participation.people.verification import VERIFIED_ACTION
    from tests.people.factories import EditorFactory

    editor = EditorFactory()
    client.force_login(editor)
    listing = client.get(reverse("academic_verification:index"))
    assert listing.status_code == 200
    assert "فاطمه کریمی" in listing.content.decode()

    response = client.post(reverse("academic_verification:verify", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.is_academic_verified
    assert waiting.academic_verified_via == AcademicVerification.EDITOR
    entry = ModelLogEntry.objects.get(action=VERIFIED_ACTION)
    assert entry.user == editor and entry.object_id == str(waiting.pk)
    listing = client.get(reverse("academic_verification:index")).content.decode()
    assert "fatemeh@gmail.com" not in listing  # no longer waiting

    client.post(reverse("academic_verification:revoke", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert not waiting.is_academic_verified


def test_people_who_are_not_editors_cannot_verify(client, waiting):
    from django.contrib.auth.models import Group

    # In the admin (Wagtail's Moderators group) but without the permission to verify.
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    participant = UserFactory()
    url = reverse("academic_verification:verify", args=[waiting.pk])

    assert client.post(url)["Location"].startswith("/admin/login/")  # anonymous
    client.force_login(participant)
    assert client.post(url)["Location"].startswith("/admin/login/")  # not in the admin
    client.force_login(moderator)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # Wagtail turns the refusal into a redirect to the dashboard with an error message.
    refused = reverse("wagtailadmin_home")
    assert client.get(reverse("academic_verification:index"))["Location"] == refused
    assert client.post(url)["Location"] == refused
    waiting.refresh_from_db()
    assert not waiting.is_academic_verified


def test_editors_keep_the_university_list(client):
    from tests.people.factories import EditorFactory

    client.force_login(EditorFactory())
    response = client.post(
        reverse("universities:add"),
        {"name": "دانشگاه شیراز", "email_domains": "shirazu.ac.ir"},
    )
    assert response.status_code == 302
    from participation.people.models import University

    assert University.objects.get(name="دانشگاه شیراز").domains == ["shirazu.ac.ir"]
    assert "دانشگاه شیراز" in client.get(reverse("universities:index")).content.decode()


@pytest.mark.parametrize(
    ("domains", "problem"),
    [
        ("ac.ir", "مشترک"),
        ("gmail.com", "مشترک"),
        ("ut ac.ir", "مشترک"),
        ("not_a_domain", "نام دامنه نیست"),
        ("UT.ac.ir", "پیش‌تر برای دانشگاه تهران ثبت شده است"),
    ],
)
def test_a_domain_that_would_verify_strangers_is_refused(client, tehran, domains, problem):
    from tests.people.factories import EditorFactory

    client.force_login(EditorFactory())
    response = client.post(
        reverse("universities:add"), {"name": "دانشگاه تازه", "email_domains": domains}
    )
    assert response.status_code == 200
    assert problem in response.content.decode()
    from participation.people.models import University

    assert not University.objects.filter(name="دانشگاه تازه").exists()
