"""An editor translates a page into English with wagtail-localize, in the admin."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from pages.models import StandardPage
from tests.pages.factories import StandardPageFactory
from tests.people.factories import DEFAULT_PASSWORD, EditorFactory

ENGLISH = {
    "راهنمای مشارکت": "Taking part",
    "راهنمای شرکت در فراخوان‌ها": "How to answer calls",
    "پیش از پاسخ دادن": "Before you answer",
    "پاسخ شما <b>محرمانه</b> می‌ماند.": "Your answer stays <b>confidential</b>.",
    "guide": "guide",
}


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def guide(home_page):
    return StandardPageFactory(
        parent=home_page,
        slug="guide",
        title="راهنمای مشارکت",
        intro="<p>راهنمای شرکت در فراخوان‌ها</p>",
        body=[
            ("heading", {"text": "پیش از پاسخ دادن", "level": "h2"}),
            ("paragraph", "<p>پاسخ شما <b>محرمانه</b> می‌ماند.</p>"),
        ],
    )


@pytest.fixture
def editor_client(client, db):
    editor = EditorFactory()
    assert client.login(username=editor.email, password=DEFAULT_PASSWORD)
    return client


def submit_for_translation(client, page, locale):
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def enter_translations(client, translation, strings):
    segments = StringSegment.objects.filter(source=translation.source).select_related("string")
    for segment in segments:
        if segment.string.data not in strings:
            continue
        response = client.put(
            reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
            urlencode({"value": strings[segment.string.data]}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 201), response.content


def test_editor_translates_a_page_into_an_english_ltr_page(
    client, editor_client, home_page, guide, english, django_capture_on_commit_callbacks
):
    # Each request commits on its own, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        home_translation = submit_for_translation(editor_client, home_page, english)
    with django_capture_on_commit_callbacks(execute=True):
        home_translation.save_target(publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        translation = submit_for_translation(editor_client, guide, english)
    enter_translations(editor_client, translation, ENGLISH)

    target = translation.get_target_instance()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("wagtailadmin_pages:edit", args=[target.pk]), {"action": "publish"}
        )
    assert response.status_code == 302

    page = StandardPage.objects.get(pk=target.pk)
    assert page.live and page.locale == english
    assert page.title == "Taking part"
    assert [block.block_type for block in page.body] == ["heading", "paragraph"]
    assert page.body[0].value["text"] == "Before you answer"

    html = client.get("/en/guide/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Before you answer</h2>" in html
    assert "Your answer stays <b>confidential</b>." in html
    assert "How to answer calls" in html
    # The Persian original is untouched and links to its translation.
    persian = client.get("/guide/").content.decode()
    assert "پیش از پاسخ دادن</h2>" in persian
    assert 'href="/en/guide/" lang="en"' in persian
