"""The small pieces behind accounts: client addresses, attempt identity, domains, names."""

import pytest
from django.test import RequestFactory, override_settings

from participation.people.names import normalize_name
from participation.people.throttling import attempt_username, client_ip
from participation.people.verification import university_for_email
from tests.people.factories import UniversityFactory


def request_from(remote, forwarded=None, post=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", post or {}, **extra)


@override_settings(HADAF_TRUSTED_PROXIES=0)
def test_without_proxies_the_forwarded_header_is_ignored():
    assert client_ip(request_from("203.0.113.9", "1.1.1.1")) == "203.0.113.9"


@override_settings(HADAF_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote():
    assert client_ip(request_from("10.0.0.2", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


@override_settings(HADAF_TRUSTED_PROXIES=2)
def test_a_shorter_forwarded_chain_than_our_proxies_falls_back_to_the_peer():
    assert client_ip(request_from("10.0.0.2", "198.51.100.7")) == "10.0.0.2"


def test_an_attempt_is_counted_by_its_email_in_one_letter_case():
    assert attempt_username(request_from("1.1.1.1"), {"email": " Sara@UT.ac.ir"}) == "sara@ut.ac.ir"
    assert attempt_username(request_from("1.1.1.1"), {"username": "SARA@ut.ac.ir"}) == (
        "sara@ut.ac.ir"
    )
    posted = request_from("1.1.1.1", post={"login": "Sara@UT.ac.ir"})
    assert attempt_username(posted, {}) == "sara@ut.ac.ir"


@pytest.mark.django_db
def test_the_most_specific_registered_domain_wins():
    UniversityFactory(name="دانشگاه تهران", email_domains="ut.ac.ir")
    campus = UniversityFactory(name="پردیس فنی", email_domains="eng.ut.ac.ir")
    assert university_for_email("a@ENG.ut.ac.ir").name == "پردیس فنی"
    assert university_for_email("a@mail.eng.ut.ac.ir") == campus
    assert university_for_email("a@ut.ac.ir").name == "دانشگاه تهران"
    assert university_for_email("a@notut.ac.ir") is None
    assert university_for_email("not an address") is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("علي", "علی"),
        ("كاظمي", "کاظمی"),
        ("مصطفى", "مصطفی"),
        ("\u202bزهرا\u202c", "زهرا"),
        ("\u2066رضا\u2069\u200e", "رضا"),
        ("\u061cمریم\u200f", "مریم"),
        ("  محمد   علی  ", "محمد علی"),
        ("علی\u200cرضا", "علی\u200cرضا"),
        (None, ""),
    ],
)
def test_names_are_normalized(typed, kept):
    assert normalize_name(typed) == kept
