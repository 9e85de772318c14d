"""Script and HTML in every editor- and participant-entered field render inert (item 8).

Editor fields are found, not listed: every content block of the page StreamFields is
rendered from its own ``preview_value`` with every human-readable string replaced by
the payloads below (rich text gets them as text, as the editor stores it); every
question of a survey asking every question type has its label, help text, choices,
rows, scale and end labels and step titles poisoned. Participant fields (answers, draft
comments, idea titles and summaries, names) are rendered on the public pages and in
the admin report. A rich-text link to ``javascript:`` is refused when the editor saves
it (Wagtail's Draftail converter; CSP's script-src would block it in the browser too).
"""

import json
import re

import pytest
from django.test import RequestFactory
from wagtail import blocks as wagtail_blocks
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from pages import blocks as page_blocks
from pages.models import SurveyCampaignPage
from participation.drafts import blocks as draft_blocks
from participation.ideas import blocks as idea_blocks
from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from tests.helpers.reports import respond
from tests.participation.drafts.factories import SMALL_TEXT, add_draft, comment_on
from tests.participation.factories import SurveyCampaignPageFactory, question_stream
from tests.participation.ideas.factories import (
    CRITERIA,
    QUESTIONS,
    THEMES,
    add_idea_call,
    submitted_idea,
)
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{ATTRIBUTE}javascript:alert(1)"
# What must never reach a page: a live script element, an event-handler attribute on a
# tag, a javascript: link.
LIVE_MARKUP = [
    re.compile(r"<script>alert", re.IGNORECASE),
    re.compile(r"<img[^>]*onerror", re.IGNORECASE),
    re.compile(r"""href\s*=\s*["']?\s*javascript:""", re.IGNORECASE),
]


def live_markup(html):
    """The payload fragments that survived unescaped in ``html``."""
    return [pattern.pattern for pattern in LIVE_MARKUP if pattern.search(html)]


def is_human_text(text):
    """Editor-written text, not an id, a choice value, a date or a URL."""
    return bool(re.search(r"\s|[\u0600-\u06ff]", text)) and not text.startswith("http")


def poison(raw, *, rich=False):
    """``raw`` block data with every human-readable string replaced by the payload."""
    if isinstance(raw, dict):
        return {key: poison(value) for key, value in raw.items()}
    if isinstance(raw, list):
        return [poison(item) for item in raw]
    if isinstance(raw, str) and is_human_text(raw):
        if raw.lstrip().startswith("<"):  # Rich text: the payload as the editor stores text.
            escaped = PAYLOAD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            return f"{raw}<p>{escaped}</p>"
        return PAYLOAD
    return raw


def synthesized_value(block):
    """Raw data for ``block`` with the payload in every text child (blocks without a preview)."""
    if isinstance(block, wagtail_blocks.StructBlock):
        return {name: synthesized_value(child) for name, child in block.child_blocks.items()}
    if isinstance(block, wagtail_blocks.ListBlock):
        return [synthesized_value(block.child_block)]
    if isinstance(block, wagtail_blocks.RichTextBlock):
        return poison("<p>متن</p>")
    if isinstance(block, (wagtail_blocks.CharBlock, wagtail_blocks.TextBlock)):
        return PAYLOAD
    return block.get_prep_value(block.get_default())


def content_blocks():
    """``(name, block)`` for every child of the StreamBlocks editors fill on pages."""
    stream_blocks = [
        page_blocks.BaseStreamBlock(),
        page_blocks.CallStreamBlock(),
        *(
            cls()
            for module in (draft_blocks, idea_blocks)
            for cls in vars(module).values()
            if isinstance(cls, type)
            and issubclass(cls, wagtail_blocks.StreamBlock)
            and cls.__module__ == module.__name__
        ),
    ]
    found = {}
    for stream in stream_blocks:
        for block in stream.child_blocks.values():
            found.setdefault(f"{type(block).__module__}.{type(block).__name__}", block)
    return sorted(found.items())


CONTENT_BLOCKS = content_blocks()


@pytest.mark.parametrize(
    "block", [block for _, block in CONTENT_BLOCKS], ids=[name for name, _ in CONTENT_BLOCKS]
)
def test_every_content_block_renders_its_text_escaped(block, home_page):
    raw = block.get_prep_value(block.get_preview_value())
    poisoned = poison(raw)
    if poisoned == raw:  # No preview value: fill every text child.
        poisoned = synthesized_value(block)
    request = RequestFactory().get("/")
    html = str(
        block.render(block.to_python(poisoned), context={"request": request, "page": home_page})
    )
    assert not live_markup(html), html
    if not html.strip():
        pytest.skip("renders nothing without the image, document or form it points at")
    # The control: the poisoned text did reach the page, escaped.
    assert "&lt;script&gt;" in html or "&lt;/script&gt;" in html, html


def test_rich_text_links_to_javascript_are_dropped_when_the_editor_saves():
    features = ["bold", "italic", "link"]  # pages.models.ContentPage.intro
    contentstate = {
        "blocks": [
            {
                "key": "a",
                "type": "unstyled",
                "text": "click",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 5, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {
                "type": "LINK",
                "mutability": "MUTABLE",
                "data": {"url": " JaVa\tScript:alert(1)"},
            }
        },
    }
    html = ContentstateConverter(features).to_database_format(json.dumps(contentstate))
    assert "click" in html and "script:" not in html.lower()


def poisoned_questions():
    """Every question type of the test questionnaire, every editor string poisoned."""
    stream = question_stream()
    for block in stream:
        value = block["value"]
        for key, item in value.items():
            if key in {"label", "help_text", "title", "low_label", "high_label"}:
                value[key] = PAYLOAD
            elif key in {"choices", "rows"}:
                for choice in item:
                    choice["value"]["label"] = PAYLOAD
            elif key == "scale_labels":
                value[key] = [PAYLOAD] * 5
    return stream


def test_survey_page_shows_poisoned_questions_and_title_escaped(client, home_page):
    survey = SurveyCampaignPageFactory(
        parent=home_page,
        slug="xss-survey",
        title=PAYLOAD,
        intro=f"<p>{PAYLOAD.replace('<', '&lt;').replace('>', '&gt;')}</p>",
        questions=poisoned_questions(),
    )
    client.force_login(UserFactory(role="student"))
    for url in (survey.url, survey.url + "?step=2", "/", home_page.url):
        html = client.get(url).content.decode()
        assert not live_markup(html), url
    assert "&lt;script&gt;" in client.get(survey.url).content.decode()


def test_search_shows_the_query_escaped(client, home_page):
    html = client.get("/search/", {"q": PAYLOAD}).content.decode()
    assert not live_markup(html)
    assert "&lt;script&gt;" in html


def test_answers_and_labels_render_escaped_in_the_admin_report_and_results(client, home_page):
    from tests.helpers.reports import make_survey

    survey = make_survey(home_page, slug="xss-report")
    survey.title = PAYLOAD
    survey.save_revision().publish()
    survey = SurveyCampaignPage.objects.get(pk=survey.pk)
    for _ in range(6):
        respond(survey, text=PAYLOAD)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in (
        f"/admin/survey-reports/{survey.pk}/",
        f"/admin/survey-reports/{survey.pk}/submissions/",
        f"/admin/pages/{survey.pk}/edit/",
        "/admin/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not live_markup(response.content.decode()), url


def test_draft_clauses_and_public_comments_render_escaped(client, home_page):
    participant = UserFactory(role="faculty", first_name=PAYLOAD, last_name=PAYLOAD)
    draft = add_draft(home_page, slug="xss-draft", title=PAYLOAD, text=poison(SMALL_TEXT))
    comment_on(draft, participant, body=PAYLOAD)
    for url in (draft.url, draft.url + "comments/"):
        response = client.get(url)
        if response.status_code == 404:
            continue
        html = response.content.decode()
        assert not live_markup(html), url
    assert "&lt;script&gt;" in client.get(draft.url).content.decode()


def test_idea_titles_summaries_and_author_names_render_escaped(client, home_page):
    idea_call = add_idea_call(
        home_page,
        slug="xss-ideas",
        title=PAYLOAD,
        themes=poison(THEMES),
        criteria=poison(CRITERIA),
        questions=poison(QUESTIONS),
    )
    author = UserFactory(role="faculty", first_name=PAYLOAD, last_name="احمدی")
    editor = EditorFactory()
    idea = submitted_idea(idea_call, author, title=PAYLOAD, summary=PAYLOAD, body=PAYLOAD)
    workflow.move(idea, IdeaStatus.IN_REVIEW, actor=editor)
    workflow.move(idea, IdeaStatus.SHORTLISTED, actor=editor)
    gallery = client.get(idea_call.url + "gallery/").content.decode()
    assert "&lt;script&gt;" in gallery
    client.force_login(author)
    for url in (idea_call.url, idea_call.url + "gallery/", f"/ideas/{idea.uuid}/", "/ideas/mine/"):
        html = client.get(url).content.decode()
        assert not live_markup(html), url
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get("/admin/").content.decode()
    assert not live_markup(html)


def test_the_payload_detector_catches_each_payload():
    """The control: unescaped, each payload is reported."""
    assert len(live_markup(f'{SCRIPT}{ATTRIBUTE}<a href="javascript:alert(1)">x</a>')) == 3
