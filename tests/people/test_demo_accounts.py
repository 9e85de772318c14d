"""The demo accounts (seed_demo): participants sign in through the real login form."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from participation.choices import AcademicRank, Role
from participation.people.demo import UNIVERSITIES, demo_password, seed_accounts
from participation.people.models import University

pytestmark = pytest.mark.django_db


def test_participants_have_confirmed_addresses_profiles_and_universities():
    accounts = seed_accounts()
    for person in [accounts["editor"], accounts["admin"], *accounts["participants"]]:
        address = EmailAddress.objects.get(user=person)
        assert address.email == person.email and address.verified and address.primary
    assert sorted(University.objects.values_list("name", "email_domains")) == sorted(UNIVERSITIES)
    for person in accounts["participants"]:
        assert person.role and person.university_id
        assert bool(person.academic_rank) == (person.role == Role.FACULTY)
    faculty = [p for p in accounts["participants"] if p.role == Role.FACULTY]
    assert {p.academic_rank for p in faculty} <= set(AcademicRank.values) and faculty
    # One is left for the demo editor to verify by hand.
    assert [p.email for p in accounts["participants"] if not p.is_academic_verified] == [
        "fatemeh.karimi@hadaf.test"
    ]


def test_seeding_twice_changes_nothing():
    seed_accounts()
    before = list(EmailAddress.objects.order_by("pk").values())
    seed_accounts()
    assert list(EmailAddress.objects.order_by("pk").values()) == before
    assert University.objects.count() == len(UNIVERSITIES)


def test_a_demo_participant_signs_in_through_the_login_form(client):
    seed_accounts()
    response = client.post(
        reverse("account_login"),
        {"login": "Sara.Ahmadi@hadaf.test", "password": demo_password()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_profile")
