"""The developers' page: translated, in the site's theme, and every example it shows works."""

import html
import re
import shlex

import pytest
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale

from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory

pytestmark = pytest.mark.django_db

CODE_BLOCK = re.compile(r'<pre class="dev-code"[^>]*><code dir="ltr">(.*?)</code></pre>', re.S)
LOCAL_LINK = re.compile(r'<a href="(/(?:api|oauth|feeds|en/feeds)/[^"]*)"')
BASE = "http://testserver"
# Operations that need a partner key and a participant's token answer 401 without them.
NEEDS_KEY = "X-Hadaf-Key"


@pytest.fixture
def calls_of_both_kinds(home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    survey = SurveyCampaignPageFactory(parent=calls, slug="culture-survey")
    draft = add_draft(calls, slug="bylaw")
    return survey, draft


@pytest.fixture
def english_survey(calls_of_both_kinds):
    english = Locale.objects.get_or_create(language_code="en")[0]
    page = calls_of_both_kinds[0].copy_for_translation(english, copy_parents=True)
    page.title = "Cultural programmes survey"
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def code_blocks(page_html):
    return [html.unescape(block) for block in CODE_BLOCK.findall(page_html)]


def documented_gets(page_html):
    """``(url, needs_key)`` of every curl GET in the page's code blocks."""
    gets = []
    for block in code_blocks(page_html):
        for command in block.replace("\\\n", " ").splitlines():
            if not command.startswith("curl ") or "-X POST" in command:
                continue
            words = shlex.split(command)
            url = next(word for word in words if word.startswith(BASE))
            gets.append((url.removeprefix(BASE), NEEDS_KEY in command))
    return gets


def assert_examples_work(client, page_html):
    gets = documented_gets(page_html)
    links = LOCAL_LINK.findall(page_html)
    assert len(gets) >= 12 and len(links) >= 5
    failures = []
    for path, needs_key in [*gets, *((link, False) for link in links)]:
        status = client.get(path).status_code
        expected = {401} if needs_key else {200}
        if status not in expected:
            failures.append(f"{path}: {status}")
    assert not failures, "Examples on the developers' page that do not work:\n" + "\n".join(
        failures
    )


def test_the_persian_page_is_rtl_translated_and_in_the_theme(client, calls_of_both_kinds):
    response = client.get("/developers/api/")
    assert response.status_code == 200
    page_html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in page_html
    assert 'class="site-header"' in page_html and 'class="site-footer"' in page_html
    with translation.override("fa"):
        heading = gettext("For developers: the Hadaf API")
    assert f"<h1>{heading}</h1>" in page_html
    # Code reads left to right inside the right-to-left page.
    assert page_html.count('<code dir="ltr">') > 30
    assert "style=" not in page_html.split("<main", 1)[1]  # No inline styles (CSP).
    assert "<script" not in page_html.split("<main", 1)[1]


def test_the_examples_use_this_site_and_real_ids(client, calls_of_both_kinds):
    survey, draft = calls_of_both_kinds
    page_html = client.get("/developers/api/").content.decode()
    blocks = "\n".join(code_blocks(page_html))
    assert f"{BASE}/api/v2/pages/{survey.pk}/" in blocks
    assert f"{BASE}/api/v2/pages/{draft.pk}/?fields=_,title,discussion" in blocks
    assert "locale=fa" in blocks
    assert f"{BASE}/feeds/calls.atom" in blocks
    assert f"form {survey.pk}" in blocks


def test_every_documented_get_works_in_persian(client, calls_of_both_kinds):
    assert_examples_work(client, client.get("/developers/api/").content.decode())


def test_the_english_page_is_ltr_and_its_examples_work(client, english_survey):
    response = client.get("/en/developers/api/")
    assert response.status_code == 200
    page_html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page_html
    assert "<h1>For developers: the Hadaf API</h1>" in page_html
    blocks = "\n".join(code_blocks(page_html))
    assert f"{BASE}/api/v2/pages/{english_survey.pk}/" in blocks
    assert "locale=en" in blocks
    assert f"{BASE}/en/feeds/calls.ics" in blocks
    assert_examples_work(client, page_html)


def test_the_page_works_on_an_empty_site(client, home_page):
    assert client.get("/developers/api/").status_code == 200


def test_docs_api_md_documents_the_same_paths(client, calls_of_both_kinds):
    """docs/api.md's GET examples work too, with its $HADAF and $CALL_ID filled in."""
    from pathlib import Path

    survey, draft = calls_of_both_kinds
    Locale.objects.get_or_create(language_code="en")  # One example reads English calls.
    text = (Path(__file__).resolve().parents[2] / "docs/api.md").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in text.replace("\\\n", " ").splitlines()
        if line.strip().startswith("curl ") and "-X POST" not in line
    ]
    assert len(commands) >= 10
    failures = []
    for command in commands:
        url = next(word for word in shlex.split(command) if word.startswith("$HADAF"))
        path = (
            url.removeprefix("$HADAF")
            .replace("$CALL_ID", str(survey.pk))
            .replace("$DRAFT_ID", str(draft.pk))
        )
        status = client.get(path).status_code
        expected = {401} if NEEDS_KEY in command else {200}
        if status not in expected:
            failures.append(f"{path}: {status}")
    assert not failures, "Examples in docs/api.md that do not work:\n" + "\n".join(failures)
