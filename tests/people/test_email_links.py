"""Links in emails come from the configured site address, never from the request's Host
header, which the requester chooses (issue 16, finding 9)."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from participation.mail import site_url
from tests.people.factories import UserFactory, with_confirmed_email

pytestmark = pytest.mark.django_db

SITE = "https://hadaf.example.org"
HOSTILE = "127.0.0.1:31337"
LINK = re.compile(r"https?://[^\s]+")


@pytest.fixture(autouse=True)
def configured_site():
    # The hostile host is allowed, as it would be behind a proxy that passes any Host.
    with override_settings(WAGTAILADMIN_BASE_URL=SITE, ALLOWED_HOSTS=["*"]):
        yield


def links(message):
    found = LINK.findall(message.body)
    assert found, message.body
    return found


def test_password_reset_links_ignore_the_host_header(client, mailoutbox):
    member = with_confirmed_email(UserFactory(email="sara.ahmadi@university.test"))
    response = client.post(
        reverse("account_reset_password"), {"email": member.email}, HTTP_HOST=HOSTILE
    )
    assert response.status_code == 302
    [message] = mailoutbox
    assert all(link.startswith(f"{SITE}/") for link in links(message)), message.body
    assert "31337" not in message.body
    assert any("/accounts/password/reset/key/" in link for link in links(message))


def test_reset_for_an_unknown_address_links_the_configured_sign_up(client, mailoutbox):
    client.post(
        reverse("account_reset_password"), {"email": "nobody@university.test"}, HTTP_HOST=HOSTILE
    )
    [message] = mailoutbox
    assert f"{SITE}{reverse('account_signup')}" in links(message)
    assert "31337" not in message.body


def signup_data(email):
    return {
        "first_name": "رضا",
        "last_name": "کریمی",
        "email": email,
        "password1": "Golestan-1404-sadi",
        "password2": "Golestan-1404-sadi",
        "role": "student",
        "university": "",
    }


def test_sign_up_confirmation_links_ignore_the_host_header(client, mailoutbox):
    data = signup_data("reza.karimi@university.test")
    response = client.post(reverse("account_signup"), data, HTTP_HOST=HOSTILE)
    assert response.status_code == 302
    [message] = mailoutbox
    [link] = [link for link in links(message) if "/accounts/confirm-email/" in link]
    assert link.startswith(f"{SITE}/accounts/confirm-email/")
    assert "31337" not in message.body


def test_an_address_that_has_an_account_is_told_with_configured_links(client, mailoutbox):
    with_confirmed_email(UserFactory(email="sara.ahmadi@university.test"))
    data = signup_data("sara.ahmadi@university.test")
    assert client.post(reverse("account_signup"), data, HTTP_HOST=HOSTILE).status_code == 302
    [message] = mailoutbox
    assert all(link.startswith(f"{SITE}/") for link in links(message)), message.body


def test_site_url_keeps_path_query_and_fragment_only():
    assert site_url("http://evil.test:31337/a/b/?x=1#f") == f"{SITE}/a/b/?x=1#f"
    assert site_url("/accounts/signup/") == f"{SITE}/accounts/signup/"
    with override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8123/"):
        assert site_url("/x/") == "http://127.0.0.1:8123/x/"
