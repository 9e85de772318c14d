"""The submit button says, before it is pressed, that invited co-authors must answer first."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.ideas import services

from .factories import draft_idea

pytestmark = pytest.mark.django_db

WAIT = "Wait until every invited co-author has accepted or declined, or remove them."


def submit_button(html):
    return re.search(r"<button[^>]*>[^<]*</button>\s*</form>\s*</section>", html).group(0)


def test_pending_coauthors_are_named_next_to_a_disabled_submit_button(client, idea_call, author):
    idea = draft_idea(idea_call, author)
    client.force_login(author)
    edit = reverse("ideas:edit", args=[idea.uuid])
    assert 'id="submit-pending"' not in client.get(edit).content.decode()

    services.invite_coauthor(idea, idea_call, author, "reza@ut.ac.ir")
    html = client.get(edit).content.decode()

    with translation.override("fa"):
        assert escape(gettext(WAIT)) in html
    assert "reza@ut.ac.ir" in html.split('id="submit-pending"', 1)[1]
    button = submit_button(html)
    assert "disabled" in button and 'aria-describedby="submit-pending"' in button
