import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Locale, PageViewRestriction

from pages.models import StandardPage
from pages.search import search_pages
from participation.persian import normalize_for_search
from tests.pages.factories import StandardPageFactory

TITLE = "آیین\u200cنامهٔ پژوهشی ۱۴۰۵"
INTRO = "<p>کتاب\u200cها را <b>می\u200cخوانیم</b></p>"
BODY = [("paragraph", "<p>معاونت <i>فرهنگی</i> و اجتماعی</p>")]


@pytest.fixture
def rules_page(home_page):
    return StandardPageFactory(
        parent=home_page, slug="research-rules", title=TITLE, intro=INTRO, body=BODY
    )


@pytest.fixture
def english_home(home_page):
    english = Locale.objects.get_or_create(language_code="en")[0]
    home = home_page.copy_for_translation(english)
    home.save_revision().publish()
    return home


def search_url(language="fa"):
    with translation.override(language):
        return reverse("search")


def titles(query):
    return [page.title for page in search_pages(query)]


# Each Persian letter may be typed as its Arabic variant, with harakat or tatweel after it;
# each digit in any script; each half space as a plain space.
VARIANTS = {
    "ی": ["ی", "ي", "ى"],
    "ک": ["ک", "ك"],
    "\u200c": ["\u200c", " "],
    "۱": ["۱", "١", "1"],
    "۴": ["۴", "٤", "4"],
    "۰": ["۰", "٠", "0"],
    "۵": ["۵", "٥", "5"],
}
DECORATIONS = ["", "", "\u0640", "\u064e", "\u0650", "\u0651", "\u0652"]


@st.composite
def typed_like_a_visitor(draw, text):
    out = []
    for char in text:
        out.append(draw(st.sampled_from(VARIANTS.get(char, [char]))))
        if "\u0600" <= char <= "\u06ff" and not char.isdigit():
            out.append(draw(st.sampled_from(DECORATIONS)))
    return "".join(out)


class TestSearchIndex:
    def test_search_text_is_indexed(self):
        assert "search_text" in {field.field_name for field in StandardPage.search_fields}

    def test_search_text_folds_title_intro_and_body(self, rules_page):
        text = rules_page.search_text()
        assert text == normalize_for_search(text)
        for word in ["آیین", "نامه", "1405", "کتاب", "ها", "میخوانیم", "فرهنگی", "اجتماعی"]:
            assert word in text.split()
        assert "<" not in text

    @pytest.mark.parametrize(
        "query",
        [
            TITLE,
            "آيين نامه",  # Arabic yeh, space for half space
            "آییننامه",  # no separator at all
            "1405",
            "١٤٠٥",
            "پـــژوهشـی",  # tatweel
            "مِی‌خوانِیم",  # harakat
            "ميخوانيم",
            "فرهنگي اجتماعي",
            "معاونت",
        ],
    )
    def test_spelling_variants_find_the_page(self, rules_page, query):
        assert titles(query) == [TITLE]

    @given(query=typed_like_a_visitor("آیین\u200cنامهٔ پژوهشی ۱۴۰۵ کتاب\u200cها"))
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    def test_any_visitor_spelling_finds_the_page(self, rules_page, query):
        assert titles(query) == [TITLE]

    def test_unrelated_words_find_nothing(self, rules_page):
        assert titles("انتخابات") == []
        assert titles("پژوهشی انتخابات") == []  # every word must match

    def test_blank_queries_find_nothing(self, rules_page):
        assert titles("") == []
        assert titles(" \u200c\u0640 ") == []

    def test_drafts_and_private_pages_are_left_out(self, home_page, rules_page):
        StandardPageFactory(
            parent=home_page, slug="draft", title="پیش\u200cنویس پژوهشی", live=False
        )
        private = StandardPageFactory(parent=home_page, slug="private", title="محرمانه پژوهشی")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        assert titles("پژوهشی") == [TITLE]

    def test_edits_are_reindexed_on_publish(self, rules_page):
        rules_page.title = "شیوه\u200cنامهٔ جشنواره"
        rules_page.save_revision().publish()
        assert titles("شیوه نامه") == ["شیوه\u200cنامهٔ جشنواره"]
        assert titles("میخوانیم فرهنگی") == ["شیوه\u200cنامهٔ جشنواره"]  # intro and body kept
        assert titles("آیین نامه") == []

    def test_only_the_active_locale(self, rules_page, english_home):
        english = StandardPageFactory(
            parent=english_home, slug="rules-en", title="Research rules 1405"
        )
        assert titles("1405") == [TITLE]
        with translation.override("en"):
            assert [page.pk for page in search_pages("research 1405")] == [english.pk]


class TestSearchView:
    def test_route_is_language_prefixed_for_english_only(self):
        assert search_url("fa") == "/search/"
        assert search_url("en") == "/en/search/"

    def test_results_show_title_link_and_snippet(self, client, rules_page):
        response = client.get(search_url(), {"q": "ميخوانيم"})
        assert response.status_code == 200
        assert response.templates[0].name == "search/search_results.html"
        html = response.content.decode()
        assert f'href="{rules_page.url}"' in html
        assert TITLE in html
        assert "می\u200cخوانیم" in html  # snippet from the intro, tags stripped
        assert "<b>می" not in html
        assert 'dir="rtl"' in html
        assert list(response.context["results"]) == [rules_page]

    def test_snippet_prefers_the_search_description(self, client, home_page):
        StandardPageFactory(
            parent=home_page,
            slug="with-description",
            title="گزارش سالانه",
            intro="<p>متن &amp; مقدمه</p>",
        )
        StandardPageFactory(
            parent=home_page,
            slug="described",
            title="گزارش ماهانه",
            search_description="خلاصهٔ گزارش",
        )
        html = client.get(search_url(), {"q": "گزارش"}).content.decode()
        assert "<p>متن &amp; مقدمه</p>" in html
        assert "<p>خلاصهٔ گزارش</p>" in html

    def test_empty_query_shows_only_the_form(self, client, rules_page):
        response = client.get(search_url())
        assert response.status_code == 200
        assert list(response.context["results"]) == []
        assert 'name="q"' in response.content.decode()

    def test_no_match(self, client, rules_page):
        response = client.get(search_url(), {"q": "انتخابات"})
        assert response.status_code == 200
        assert response.context["paginator"].count == 0

    def test_ten_results_a_page_with_persian_numbers(self, client, home_page):
        for number in range(12):
            StandardPageFactory(parent=home_page, slug=f"call-{number}", title=f"فراخوان {number}")
        first = client.get(search_url(), {"q": "فراخوان"})
        assert len(first.context["results"]) == 10
        html = first.content.decode()
        assert "۱۲" in html  # the total, in Persian digits
        assert "page=2" in html
        second = client.get(search_url(), {"q": "فراخوان", "page": "2"})
        assert len(second.context["results"]) == 2
        out_of_range = client.get(search_url(), {"q": "فراخوان", "page": "99"})
        assert out_of_range.context["page_obj"].number == 2

    def test_english_results_page(self, client, english_home):
        StandardPageFactory(parent=english_home, slug="guide-en", title="Participation guide")
        response = client.get(search_url("en"), {"q": "GUIDE"})
        html = response.content.decode()
        assert "Participation guide" in html
        assert 'dir="ltr"' in html
