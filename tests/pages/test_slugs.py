"""A page saved without a slug takes one from its title with the half-space rule of
``pages.slugs``: «پیش‌نویس آیین‌نامه» gives «پیش-نویس-آیین-نامه», as in the editor's script,
whether the page is made in code (the seed, scripts, Wagtail's create action) or by
wagtail-localize.

The rule for typed slugs and the editor's script: tests/site/test_admin_persian.py.
"""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from pages.models import NewsPage, StandardPage
from pages.slugs import SlugFormField, slugify_title
from tests.pages.factories import StandardPageFactory

TITLE = "پیش\u200cنویس آیین\u200cنامه"
SLUG = "پیش-نویس-آیین-نامه"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, SLUG),
        ("نظرسنجی\u200c دانشجویی", "نظرسنجی-دانشجویی"),
        ("\u200fگزارش\u200b سالانه", "گزارش-سالانه"),
        ("Draft bylaw", "draft-bylaw"),
    ],
)
def test_a_title_gives_the_slug_the_editor_would_see(title, slug):
    assert slugify_title(title) == slug
    # A slug made from a title is one the slug field keeps as it is.
    assert SlugFormField(allow_unicode=True).clean(slugify_title(title)) == slug


def test_a_page_made_in_code_without_a_slug_keeps_the_half_space_as_a_hyphen(home_page):
    page = home_page.add_child(instance=StandardPage(title=TITLE))
    twin = home_page.add_child(instance=NewsPage(title=TITLE))
    assert (page.slug, twin.slug) == (SLUG, f"{SLUG}-2")
    assert page.url_path.endswith(f"/{SLUG}/")


def test_a_page_given_a_slug_keeps_it(home_page):
    assert StandardPageFactory(parent=home_page, title=TITLE, slug="bylaw").slug == "bylaw"


def test_a_page_translated_into_persian_takes_its_slug_from_the_persian_title(home_page):
    # wagtail-localize runs a translated slug through Django's ASCII slugify: a Persian slug
    # comes out empty, and the page takes one from its translated title instead.
    english = Locale.objects.get_or_create(language_code="en")[0]
    english_home = home_page.copy_for_translation(english)
    source_page = english_home.add_child(instance=StandardPage(title="Draft bylaw"))
    assert source_page.slug == "draft-bylaw"
    source, _created = TranslationSource.get_or_create_from_instance(source_page)
    persian = {"Draft bylaw": TITLE, "draft-bylaw": "پیش\u200cنویس-آیین\u200cنامه"}
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=home_page.locale,
            context=segment.context,
            data=persian[segment.string.data],
        )
    Translation.objects.create(source=source, target_locale=home_page.locale)

    translated, _created = source.create_or_update_translation(home_page.locale)

    assert translated.get_parent().pk == home_page.pk
    assert (translated.title, translated.slug) == (TITLE, SLUG)
