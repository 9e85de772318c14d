"""The "address confirmed" message shows on the very page the link leads to, not later."""

import pytest
from django.utils import translation

from tests.people.test_accounts import confirm, sign_up

pytestmark = pytest.mark.django_db


def test_the_confirmation_message_shows_at_once(client, mailoutbox, home_page):
    sign_up(client, "reza@gmail.com")
    response = confirm(client, mailoutbox[0])
    assert response.status_code == 302

    landing = client.get(response["Location"])
    html = landing.content.decode()
    with translation.override("fa"):
        from django.utils.translation import gettext

        expected = gettext("Your email address %(email)s is confirmed.") % {
            "email": "reza@gmail.com"
        }
    assert expected in html
    assert 'role="status"' in html
    # Shown once: not again on the next page.
    assert expected not in client.get(response["Location"]).content.decode()
