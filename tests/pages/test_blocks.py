"""The content block library: previews, accessible HTML, validation and API output."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from pages.blocks import (
    BaseStreamBlock,
    CallStreamBlock,
    CallToActionBlock,
    ImageWithCaptionBlock,
    PhaseBlock,
    TableBlock,
)
from participation.choices import IncentiveKind, NoticeLevel
from tests.pages.factories import StandardPageFactory

COMPONENTS = Path(__file__).resolve().parents[2] / "templates" / "components"
CALL_BLOCKS = CallStreamBlock().child_blocks
BLOCK_NAMES = list(CALL_BLOCKS)


def render(name, value, context=None, language="fa"):
    """Render the stream child ``name`` with a raw (JSON-like) value in ``language``."""
    block = CALL_BLOCKS[name]
    with translation.override(language):
        return block.render(block.to_python(value), context=context)


def api(name, value, context=None):
    """The child's API representation, checked to be JSON-serialisable."""
    block = CALL_BLOCKS[name]
    representation = block.get_api_representation(block.to_python(value), context=context)
    json.dumps(representation)
    return representation


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def image(media, db):
    return wagtail_factories.ImageFactory(
        title="حیاط دانشگاه", file=get_test_image_file(), description="حیاط"
    )


@pytest.fixture
def document(media, db):
    return get_document_model().objects.create(
        title="شیوه‌نامهٔ فراخوان",
        file=ContentFile(b"x" * 2048, name="guide.pdf"),
    )


# Every block.


def test_streams_offer_the_content_blocks_and_only_calls_the_form():
    assert list(BaseStreamBlock().child_blocks) == [
        "heading",
        "paragraph",
        "image",
        "quote",
        "call_to_action",
        "faq",
        "timeline",
        "incentives",
        "downloads",
        "video",
        "table",
        "key_figures",
        "notice",
    ]
    assert BLOCK_NAMES[-1] == "participation_form"
    assert "participation_form" not in BaseStreamBlock().child_blocks


@pytest.mark.parametrize("name", BLOCK_NAMES)
def test_every_block_has_a_preview_an_existing_template_and_editor_help(name):
    block = CALL_BLOCKS[name]
    assert hasattr(block.meta, "preview_value")
    assert block.meta.template.startswith("components/")
    assert (COMPONENTS / block.meta.template.removeprefix("components/")).is_file()
    get_template(block.meta.template)
    assert block.meta.icon
    assert block.meta.description


@pytest.mark.django_db
@pytest.mark.parametrize("name", BLOCK_NAMES)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_preview_renders_and_serialises(name, language, image, document):
    block = CALL_BLOCKS[name]
    with translation.override(language):
        value = block.get_preview_value()
        html = block.render(value, context=block.get_preview_context(value))
        representation = block.get_api_representation(value)
    assert html.strip()
    json.dumps(representation)


@pytest.mark.django_db
@pytest.mark.parametrize("name", BLOCK_NAMES)
def test_every_preview_round_trips_through_storage(name, image, document):
    block = CALL_BLOCKS[name]
    value = block.get_preview_value()
    stored = json.loads(json.dumps(block.get_prep_value(value), default=str))
    assert block.render(block.to_python(stored)) == block.render(value)


@pytest.mark.parametrize("path", sorted(COMPONENTS.glob("*.html")), ids=lambda path: path.name)
def test_templates_are_direction_neutral(path):
    assert not re.search(r"\b(left|right)\b", path.read_text(), re.IGNORECASE)


# Heading and paragraph.


def test_heading_renders_its_level():
    html = render("heading", {"text": "مشوق‌ها", "level": "h3"})
    assert '<h3 class="block-heading">مشوق‌ها</h3>' in html


@pytest.mark.django_db
def test_paragraph_api_expands_internal_links(home_page):
    page = StandardPageFactory(parent=home_page, slug="about")
    source = f'<p>بخوانید: <a linktype="page" id="{page.pk}">دربارهٔ هدف</a></p>'

    representation = api("paragraph", source)

    assert "linktype" not in representation
    assert f'href="{page.url}"' in representation
    assert f'<a linktype="page" id="{page.pk}">' not in render("paragraph", source)


# Image.


@pytest.mark.django_db
def test_image_renders_a_figure_with_alt_caption_and_attribution(image):
    html = render(
        "image",
        {
            "image": image.pk,
            "alt_text": "دانشجویان در حیاط",
            "caption": "نشست هم‌اندیشی",
            "attribution": "عکس: روابط عمومی",
        },
    )
    assert html.count("<figure") == 1
    assert 'alt="دانشجویان در حیاط"' in html
    assert "<figcaption" in html
    assert "نشست هم‌اندیشی" in html
    assert "عکس: روابط عمومی" in html


@pytest.mark.django_db
def test_decorative_image_has_empty_alt_and_no_empty_figcaption(image):
    html = render("image", {"image": image.pk, "decorative": True, "alt_text": "نادیده"})
    assert 'alt=""' in html
    assert "<figcaption" not in html


@pytest.mark.django_db
def test_image_api_gives_rendition_size_and_alt(image, rf):
    representation = api(
        "image",
        {"image": image.pk, "alt_text": "دانشجویان", "caption": "نشست", "attribution": ""},
        context={"request": rf.get("/api/v2/pages/")},
    )
    assert representation["url"].startswith("http://testserver/")
    assert representation["width"] > 0
    assert representation["height"] > 0
    assert representation["alt"] == "دانشجویان"
    assert representation["caption"] == "نشست"


@pytest.mark.django_db
def test_image_needs_alt_text_unless_decorative(image):
    block = ImageWithCaptionBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": ""}))
    block.clean(block.to_python({"image": image.pk, "decorative": True}))


def test_image_without_a_chosen_image_renders_nothing():
    assert render("image", {"image": None, "caption": "بی‌تصویر"}).strip() == ""


# Quote.


def test_quote_is_a_figure_with_blockquote_and_cite():
    html = render("quote", {"text": "گفت‌وگو", "attribution": "معاون", "source": "سخنرانی"})
    assert "<blockquote" in html
    assert "<figcaption" in html
    assert '<cite class="block-quote__source">سخنرانی</cite>' in html


# Call to action.


@pytest.mark.django_db
def test_call_to_action_needs_exactly_one_destination(home_page):
    block = CallToActionBlock()
    base = {"title": "شرکت کنید", "button_label": "شرکت"}

    for destination in ({}, {"page": home_page.pk, "url": "https://example.org/"}):
        with pytest.raises(ValidationError) as error:
            block.clean(block.to_python({**base, **destination}))
        assert set(error.value.block_errors) == {"page", "url"}

    block.clean(block.to_python({**base, "page": home_page.pk}))
    block.clean(block.to_python({**base, "url": "https://example.org/"}))


@pytest.mark.django_db
def test_call_to_action_links_to_a_live_page(home_page, rf):
    value = {"title": "شرکت کنید", "text": "", "button_label": "شرکت", "page": home_page.pk}

    html = render("call_to_action", value)
    representation = api("call_to_action", value, context={"request": rf.get("/")})

    assert f'href="{home_page.url}"' in html
    assert ">شرکت</a>" in html
    assert representation["page"] == {
        "id": home_page.pk,
        "title": home_page.title,
        "url": home_page.get_full_url(),
    }
    assert representation["href"].startswith("http://")


@pytest.mark.django_db
def test_call_to_action_to_an_unpublished_page_has_no_empty_link(home_page):
    draft = StandardPageFactory(parent=home_page, slug="draft", live=False)
    html = render("call_to_action", {"title": "بزودی", "button_label": "شرکت", "page": draft.pk})
    assert "href" not in html
    assert (
        api("call_to_action", {"title": "t", "button_label": "b", "page": draft.pk})["page"]["url"]
        is None
    )


# Questions and answers.


def test_faq_folds_each_answer_under_its_question():
    html = render(
        "faq",
        {
            "heading": "پرسش‌ها",
            "questions": [
                {"question": "چه کسی؟", "answer": "<p>همه.</p>"},
                {"question": "کی؟", "answer": "<p>اکنون.</p>"},
            ],
        },
    )
    assert html.count("<details") == 2
    assert '<summary class="block-accordion__question">چه کسی؟</summary>' in html
    assert "<h2" in html


@pytest.mark.django_db
def test_faq_api_gives_answers_as_html(home_page):
    link = f'<p><a linktype="page" id="{home_page.pk}">خانه</a></p>'
    representation = api("faq", {"questions": [{"question": "کجا؟", "answer": link}]})
    assert f'href="{home_page.url}"' in representation["questions"][0]["answer"]


# Timeline.

TIMELINE = {
    "heading": "مراحل",
    "phases": [
        {
            "title": "دریافت ایده‌ها",
            "start_date": "2025-09-23",
            "end_date": "2025-10-22",
            "description": "",
        }
    ],
}


def test_timeline_dates_are_jalali_in_persian():
    html = render("timeline", TIMELINE, language="fa")
    assert "<ol" in html
    assert "۱ مهر ۱۴۰۴" in html
    assert "۳۰ مهر ۱۴۰۴" in html
    assert 'datetime="2025-09-23"' in html


def test_timeline_dates_are_gregorian_in_english():
    html = render("timeline", TIMELINE, language="en")
    assert "23 September 2025" in html
    assert "22 October 2025" in html
    assert "مهر" not in html


def test_timeline_marks_the_current_phase():
    today = timezone.localdate()
    value = {
        "phases": [
            {"title": "گذشته", "start_date": today - datetime.timedelta(days=30)},
            {"title": "اکنون", "start_date": today, "end_date": today},
        ]
    }
    html = render("timeline", value)
    assert html.count('aria-current="step"') == 1
    assert html.index('aria-current="step"') > html.index("گذشته")


def test_timeline_api_gives_iso_dates():
    representation = api("timeline", TIMELINE)
    assert representation["phases"][0]["start_date"] == "2025-09-23"


def test_phase_cannot_end_before_it_starts():
    block = PhaseBlock()
    value = {"title": "داوری", "start_date": "2025-10-23", "end_date": "2025-10-01"}
    with pytest.raises(ValidationError):
        block.clean(block.to_python(value))


# Incentives.


def test_incentive_kinds():
    assert IncentiveKind.values == [
        "certificate",
        "grant",
        "prize",
        "workshop",
        "council_membership",
        "promotion_points",
    ]
    item_block = CALL_BLOCKS["incentives"].child_blocks["items"].child_block
    assert [key for key, _ in item_block.child_blocks["kind"].field.choices if key] == (
        IncentiveKind.values
    )


def test_incentives_show_kind_and_persian_amount():
    value = {
        "items": [
            {"kind": "grant", "description": "پژوهانه", "amount": 500000000},
            {"kind": "certificate", "description": "گواهی"},
        ]
    }
    fa_html = render("incentives", value, language="fa")
    en_html = render("incentives", value, language="en")

    assert "<ul" in fa_html
    assert "۵۰۰٬۰۰۰٬۰۰۰" in fa_html
    assert 'value="500000000"' in fa_html
    assert "500,000,000</data> rials" in en_html
    assert "Research grant" in en_html
    assert en_html.count("block-incentives__amount") == 1


def test_incentives_api_names_the_kind():
    representation = api("incentives", {"items": [{"kind": "prize", "description": "جایزه"}]})
    assert representation["items"][0]["kind"] == "prize"
    assert representation["items"][0]["kind_label"]


# Downloads.


@pytest.mark.django_db
def test_downloads_list_documents_with_type_and_size(document, rf):
    value = {"heading": "پرونده‌ها", "documents": [{"document": document.pk, "description": "متن"}]}

    html = render("downloads", value, language="en")
    representation = api("downloads", value, context={"request": rf.get("/")})

    assert f'href="{document.url}"' in html
    assert "شیوه‌نامهٔ فراخوان</a>" in html
    assert "PDF" in html
    assert "2.0\xa0KB" in html
    assert representation["documents"][0]["document"] == {
        "id": document.pk,
        "title": document.title,
        "url": f"http://testserver{document.url}",
        "file_type": "pdf",
        "file_size": 2048,
    }


def test_downloads_without_documents_render_nothing():
    assert render("downloads", {"documents": [{"document": None}]}).strip() == ""


# Video.

VIDEO = {
    "video": "https://video.example.invalid/hadaf",
    "title": "معرفی هدف",
    "transcript": "در این ویدئو…",
}


@pytest.mark.django_db
def test_video_without_an_embed_falls_back_to_a_link():
    html = render("video", VIDEO)
    assert '<a href="https://video.example.invalid/hadaf">' in html
    assert "<iframe" not in html
    assert "<figcaption" in html
    assert "<details" in html


@pytest.mark.django_db
def test_video_renders_the_embed_when_there_is_one(monkeypatch):
    monkeypatch.setattr(
        "wagtail.embeds.blocks.embed_to_frontend_html",
        lambda *args: mark_safe('<iframe title="معرفی هدف"></iframe>'),
    )
    html = render("video", VIDEO)
    assert '<iframe title="معرفی هدف"></iframe>' in html
    assert "video.example.invalid" not in html


def test_video_api_gives_the_url():
    assert api("video", VIDEO)["video"] == VIDEO["video"]


# Table.

TABLE = {
    "caption": "مشارکت",
    "columns": [{"type": "text", "heading": "فراخوان"}, {"type": "number", "heading": "تعداد"}],
    "rows": [{"values": ["نظرسنجی", "12480"]}],
}


def test_table_has_caption_and_column_headers():
    html = render("table", TABLE)
    assert "<caption>مشارکت</caption>" in html
    assert '<th scope="col">فراخوان</th>' in html
    assert "۱۲٬۴۸۰" in html


def test_table_needs_a_caption():
    block = TableBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({**TABLE, "caption": " "}))
    block.clean(block.to_python(TABLE))


def test_table_api_gives_numbers_as_numbers():
    representation = api("table", TABLE)
    assert representation["caption"] == "مشارکت"
    assert representation["rows"][0]["values"] == ["نظرسنجی", 12480]


# Key figures.

FIGURES = {
    "figures": [
        {"label": "دانشگاه", "number": "142", "unit": ""},
        {"label": "رضایت", "number": "87.5", "unit": "درصد"},
    ]
}


def test_key_figures_are_a_description_list_with_persian_digits():
    html = render("key_figures", FIGURES)
    assert "<dl" in html
    assert html.count("<dt") == 2
    assert "۱۴۲" in html
    assert "۸۷٫۵" in html
    assert 'value="87.5"' in html


def test_key_figures_api_gives_json_numbers():
    figures = api("key_figures", FIGURES)["figures"]
    assert [figure["number"] for figure in figures] == [142, 87.5]
    assert isinstance(
        CALL_BLOCKS["key_figures"].to_python(FIGURES)["figures"][0]["number"], Decimal
    )


# Notice.


@pytest.mark.parametrize("level", NoticeLevel.values)
def test_notice_is_a_named_note(level):
    html = render(
        "notice", {"level": level, "title": "مهلت", "text": "<p>تمدید شد</p>"}, language="en"
    )
    assert 'role="note"' in html
    with translation.override("en"):
        assert f'aria-label="{NoticeLevel(level).label}"' in html
    assert f"block-notice--{level}" in html


def test_notice_api_gives_text_as_html():
    representation = api("notice", {"level": "info", "title": "", "text": "<p><b>مهم</b></p>"})
    assert representation == {"level": "info", "title": "", "text": "<p><b>مهم</b></p>"}


# Participation form.


def test_participation_form_renders_nothing_without_a_form():
    assert render("participation_form", {"heading": "شرکت کنید", "intro": ""}).strip() == ""


def test_participation_form_renders_the_page_form_under_its_heading():
    context = {"participation_form_html": mark_safe('<form method="post"></form>')}
    html = render("participation_form", {"heading": "شرکت کنید", "intro": "ده دقیقه"}, context)
    assert '<section class="block-participation-form" id="participate">' in html
    assert "<h2" in html
    assert '<form method="post"></form>' in html


def test_a_call_has_at_most_one_participation_form():
    block = CallStreamBlock()
    form = {"type": "participation_form", "value": {"heading": "", "intro": ""}}
    with pytest.raises(ValidationError):
        block.clean(block.to_python([form, form]))
    block.clean(block.to_python([form]))


@pytest.mark.django_db
def test_a_whole_call_body_serialises_for_the_api(home_page):
    block = CallStreamBlock()
    body = block.to_python(
        [
            {"type": "heading", "value": {"text": "فراخوان", "level": "h2"}},
            {"type": "paragraph", "value": RichText("<p>متن</p>").source},
            {"type": "timeline", "value": TIMELINE},
            {"type": "table", "value": TABLE},
            {"type": "key_figures", "value": FIGURES},
            {"type": "participation_form", "value": {"heading": "", "intro": ""}},
        ]
    )
    representation = block.get_api_representation(body)
    assert [child["type"] for child in json.loads(json.dumps(representation))] == [
        "heading",
        "paragraph",
        "timeline",
        "table",
        "key_figures",
        "participation_form",
    ]
    assert all("id" in child for child in representation)
