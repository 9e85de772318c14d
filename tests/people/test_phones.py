"""Mobile numbers: one canonical form for every spelling, Iranian mobiles only, one account each."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import translation

from participation.people.adapter import AccountAdapter
from participation.phones import canonical_phone, canonical_phone_or_none, national_digits
from tests.people.factories import UserFactory

User = get_user_model()
CANONICAL = "+989123456789"

# What people type, and what it is.
SPELLINGS = [
    ("09123456789", CANONICAL),
    ("0912 345 6789", CANONICAL),
    ("0912-345-6789", CANONICAL),
    ("(0912) 345 6789", CANONICAL),
    ("9123456789", CANONICAL),
    ("+989123456789", CANONICAL),
    ("+98 912 345 6789", CANONICAL),
    ("00989123456789", CANONICAL),
    ("0098 912 345 6789", CANONICAL),
    ("989123456789", CANONICAL),
    ("۰۹۱۲۳۴۵۶۷۸۹", CANONICAL),  # Persian digits
    ("۰۹۱۲ ۳۴۵ ۶۷۸۹", CANONICAL),
    ("+۹۸۹۱۲۳۴۵۶۷۸۹", CANONICAL),
    ("٠٩١٢٣٤٥٦٧٨٩", CANONICAL),  # Arabic-Indic digits
    ("۰۹۱۲٣٤٥۶۷۸۹", CANONICAL),  # the two mixed, as a pasted number can be
    ("\u200e+98 912 345 6789\u200f", CANONICAL),  # direction marks from a contact card
    ("\u00a00912\u00a0345\u00a06789 ", CANONICAL),  # no-break spaces
    ("\uff0b989123456789", CANONICAL),  # fullwidth plus
    ("09351234567", "+989351234567"),  # Irancell
    ("09901234567", "+989901234567"),
    ("0921 123 4567", "+989211234567"),  # RighTel
]

NOT_NUMBERS = [
    "",
    "   ",
    "abc",
    "0912345678",  # a digit short
    "091234567890",  # a digit too many
    "+14155552671",  # a valid number, but not Iranian
    "+447911123456",  # a British mobile
    "0912345678a",
]
LANDLINES = ["02112345678", "021 1234 5678", "+98 21 1234 5678", "۰۲۱۱۲۳۴۵۶۷۸"]


@pytest.mark.parametrize(("typed", "canonical"), SPELLINGS)
def test_every_spelling_has_one_canonical_form(typed, canonical):
    assert canonical_phone(typed) == canonical
    assert canonical_phone(canonical_phone(typed)) == canonical  # idempotent


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_what_is_not_an_iranian_mobile_number_is_refused_in_persian(typed):
    with translation.override("fa"), pytest.raises(ValidationError) as caught:
        canonical_phone(typed)
    assert caught.value.code == "invalid_phone"
    assert "شمارهٔ همراه ایرانی" in caught.value.messages[0]
    assert canonical_phone_or_none(typed) is None


@pytest.mark.parametrize("typed", LANDLINES)
def test_a_landline_is_told_apart_from_a_mobile(typed):
    with translation.override("fa"), pytest.raises(ValidationError) as caught:
        canonical_phone(typed)
    assert caught.value.code == "not_mobile"
    assert "پیامک" in caught.value.messages[0]


def test_gateways_get_the_national_digits():
    assert national_digits(CANONICAL) == "09123456789"


def test_numbers_are_shown_in_the_pages_digits():
    template = Template("{% load phones %}{{ number|phone_number }}")
    # Isolated left to right, so the groups keep their order inside a Persian sentence.
    with translation.override("fa"):
        assert template.render(Context({"number": CANONICAL})) == "\u2066۰۹۱۲ ۳۴۵ ۶۷۸۹\u2069"
    with translation.override("en"):
        assert template.render(Context({"number": CANONICAL})) == "\u20660912 345 6789\u2069"


# Stored unique, in the canonical form -------------------------------------------------


@pytest.mark.django_db
def test_one_number_belongs_to_one_account():
    UserFactory(phone=CANONICAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone=CANONICAL)
    assert User.objects.filter(phone=CANONICAL).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_number_not_in_canonical_form():
    person = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(phone="09123456789")


@pytest.mark.django_db
def test_an_account_without_email_needs_a_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        User(first_name="بی", last_name="نشانی").save()
    person = User.objects.create_user(email=None, phone="۰۹۱۲ ۳۴۵ ۶۷۸۹")
    assert person.email is None and person.phone == CANONICAL
    # Any number of accounts without email fit the unique index on email.
    User.objects.create_user(email="", phone="09351234567")
    assert User.objects.filter(email__isnull=True).count() == 2


@pytest.mark.django_db
def test_the_admin_check_reads_any_spelling_and_refuses_another_accounts_number():
    UserFactory(phone=CANONICAL)
    other = UserFactory()
    other.phone = "۰۹۱۲-۳۴۵-۶۷۸۹"
    with translation.override("fa"), pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert "حساب دیگری" in " ".join(caught.value.message_dict["phone"])
    other.refresh_from_db()
    assert other.phone is None


@pytest.mark.django_db
def test_the_adapter_finds_an_account_by_any_spelling_of_its_number():
    person = UserFactory(phone=CANONICAL)
    adapter = AccountAdapter()
    for typed, _canonical in SPELLINGS[:15]:
        assert adapter.get_user_by_phone(typed) == person
    assert adapter.get_user_by_phone("09351234567") is None
    assert adapter.get_user_by_phone("not a number") is None
    assert adapter.get_phone(person) == (CANONICAL, False)
    adapter.set_phone_verified(person, "09123456789")
    person.refresh_from_db()
    assert adapter.get_phone(person) == (CANONICAL, True)
