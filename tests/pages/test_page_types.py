import datetime
import re

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from pages import listing
from pages.models import (
    CallIndexPage,
    FestivalPage,
    HomePage,
    IdeaCallPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from participation.choices import CallKind, CallState, Role
from tests.pages.factories import (
    CallIndexPageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from tests.people.factories import UserFactory


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        cls.home = HomePageFactory(parent=cls.root, slug="home-tree")
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": cls.home}
        )

    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(HomePage, StandardPage)

    def test_home_page_holds_the_sections(self):
        self.assertAllowedSubpageTypes(
            HomePage, {CallIndexPage, NewsIndexPage, StandardPage, FestivalPage}
        )

    def test_idea_calls_live_in_the_call_index_and_the_festival_under_home(self):
        self.assertAllowedParentPageTypes(IdeaCallPage, {CallIndexPage})
        self.assertAllowedSubpageTypes(IdeaCallPage, set())
        self.assertAllowedParentPageTypes(FestivalPage, {HomePage})

    def test_index_pages_sit_under_home(self):
        self.assertAllowedParentPageTypes(CallIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertCanNotCreateAt(StandardPage, CallIndexPage)

    def test_news_pages_live_in_the_news_index_only(self):
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_standard_page_renders_its_blocks_in_persian(self):
        page = StandardPageFactory(
            parent=self.home,
            slug="guide",
            body=[
                ("heading", {"text": "راهنمای مشارکت", "level": "h2"}),
                ("paragraph", "<p>پاسخ شما <b>محرمانه</b> می‌ماند.</p>"),
            ],
        )
        html = self.client.get(page.url).content.decode()
        self.assertIn("راهنمای مشارکت</h2>", html)
        self.assertIn("<b>محرمانه</b>", html)
        self.assertIn('dir="rtl"', html)

    def test_pages_are_renderable(self):
        page = StandardPageFactory(parent=self.home, slug="about-x")
        self.assertPageIsRenderable(page)
        self.assertPageIsRenderable(self.home)

    def test_new_page_types_are_renderable(self):
        calls = CallIndexPageFactory(parent=self.home)
        news = NewsIndexPageFactory(parent=self.home)
        item = NewsPageFactory(parent=news, slug="first")
        for page in (calls, news, item):
            self.assertPageIsRenderable(page)

    def test_news_page_shows_its_jalali_date(self):
        news = NewsIndexPageFactory(parent=self.home)
        item = NewsPageFactory(parent=news, published_on=datetime.date(2025, 9, 23))
        html = self.client.get(item.url).content.decode()
        self.assertIn("۱ مهر ۱۴۰۴", html)
        self.assertIn('datetime="2025-09-23"', html)

    def test_api_fields_expose_the_new_fields(self):
        self.assertEqual(
            [field.name for field in NewsPage.api_fields],
            ["published_on", "intro", "body", "image"],
        )
        self.assertEqual([field.name for field in CallIndexPage.api_fields], ["intro", "body"])
        self.assertEqual([field.name for field in NewsIndexPage.api_fields], ["intro", "body"])


# ---- Call index: filters and pagination --------------------------------------------------


@pytest.fixture
def call_index(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def standard_pages_act_as_calls(monkeypatch):
    """Call page types arrive later; until then standard pages named "<kind>-<state>-<n>" act as
    calls through the attributes the listing relies on."""
    monkeypatch.setattr(
        StandardPage, "call_kind", property(lambda self: self.slug.split("-")[0]), raising=False
    )
    monkeypatch.setattr(
        StandardPage, "call_state", property(lambda self: self.slug.split("-")[1]), raising=False
    )


def add_calls(parent, kind, state, count):
    return [
        StandardPageFactory(parent=parent, slug=f"{kind}-{state}-{n}", title=f"{kind} {state} {n}")
        for n in range(count)
    ]


def card_titles(html):
    return re.findall(r'class="card__link" href="[^"]*">([^<]*)</a>', html)


def test_call_index_shows_a_friendly_empty_state(client, call_index):
    response = client.get(call_index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="empty-state"' in html
    assert "card__link" not in html


def test_call_index_ignores_children_that_are_not_calls(call_index):
    StandardPageFactory(parent=call_index, slug="rules")
    assert listing.call_children(call_index) == []


@pytest.mark.parametrize(
    "query",
    [
        "?kind=bogus",
        "?state=<script>",
        "?kind=survey&state=nope",
        "?page=abc",
        "?page=-1",
        "?page=99999",
        "?kind=&state=&page=",
        "?kind=survey&kind=draft",
    ],
)
def test_call_index_survives_invalid_parameters(client, call_index, query):
    response = client.get(call_index.url + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_parse_call_filters_keeps_only_known_values():
    assert listing.parse_call_filters({"kind": "survey", "state": "open"}) == listing.CallFilters(
        kind=CallKind.SURVEY, state=CallState.OPEN
    )
    assert listing.parse_call_filters({"kind": "x", "state": ""}) == listing.CallFilters()
    assert not listing.CallFilters().active


def test_call_index_filters_by_kind_and_state(client, call_index, standard_pages_act_as_calls):
    add_calls(call_index, "survey", "open", 2)
    add_calls(call_index, "draft", "open", 1)
    add_calls(call_index, "idea", "closed", 1)
    add_calls(call_index, "survey", "upcoming", 1)

    def titles(query):
        return sorted(card_titles(client.get(call_index.url + query).content.decode()))

    assert titles("?kind=survey") == ["survey open 0", "survey open 1", "survey upcoming 0"]
    assert titles("?state=open") == ["draft open 0", "survey open 0", "survey open 1"]
    assert titles("?kind=survey&state=upcoming") == ["survey upcoming 0"]
    assert titles("?kind=bogus") == titles("")
    assert len(titles("")) == 5


def test_call_index_lists_open_calls_first(client, call_index, standard_pages_act_as_calls):
    add_calls(call_index, "survey", "closed", 1)
    add_calls(call_index, "idea", "upcoming", 1)
    add_calls(call_index, "draft", "open", 1)
    html = client.get(call_index.url).content.decode()
    assert card_titles(html) == ["draft open 0", "idea upcoming 0", "survey closed 0"]


def test_call_index_filtered_to_nothing_offers_all_calls(
    client, call_index, standard_pages_act_as_calls
):
    add_calls(call_index, "survey", "open", 1)
    html = client.get(call_index.url + "?kind=idea").content.decode()
    assert 'class="empty-state"' in html
    assert f'href="{call_index.url}"' in html


def test_call_index_paginates_twelve_per_page_keeping_filters(
    client, call_index, standard_pages_act_as_calls
):
    add_calls(call_index, "survey", "open", 13)
    add_calls(call_index, "draft", "open", 2)

    first = client.get(call_index.url + "?kind=survey").content.decode()
    assert len(card_titles(first)) == 12
    assert 'href="?kind=survey&amp;page=2" rel="next"' in first

    second = client.get(call_index.url + "?kind=survey&page=2").content.decode()
    assert card_titles(second) == ["survey open 12"]
    assert 'rel="prev"' in second

    beyond = client.get(call_index.url + "?kind=survey&page=9")
    assert beyond.status_code == 200
    assert len(card_titles(beyond.content.decode())) == 1  # The last page.


def test_filter_links_mark_the_current_choice(client, call_index):
    html = client.get(call_index.url + "?state=closed").content.decode()
    filters = html.split('class="filters"', 1)[1].split("</nav>", 1)[0]
    assert 'href="?state=closed&amp;kind=survey"' in filters  # Choosing a kind keeps the state.
    current = re.findall(r'<a class="chip" href="([^"]*)" aria-current="true">', filters)
    assert current == ["?state=closed", "?state=closed"]  # Kind: all; state: closed.


# ---- News index -------------------------------------------------------------------------------


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def test_news_index_lists_newest_first(client, news_index):
    NewsPageFactory(parent=news_index, title="قدیمی", published_on=datetime.date(2025, 1, 5))
    NewsPageFactory(parent=news_index, title="تازه", published_on=datetime.date(2025, 10, 27))
    NewsPageFactory(parent=news_index, title="میانه", published_on=datetime.date(2025, 6, 1))
    html = client.get(news_index.url).content.decode()
    assert card_titles(html) == ["تازه", "میانه", "قدیمی"]


def test_news_index_paginates(client, news_index):
    start = datetime.date(2025, 1, 1)
    for day in range(14):
        NewsPageFactory(
            parent=news_index, title=f"news {day:02}", published_on=start + datetime.timedelta(day)
        )
    first = card_titles(client.get(news_index.url).content.decode())
    second = card_titles(client.get(news_index.url + "?page=2").content.decode())
    assert len(first) == 12 and first[0] == "news 13"
    assert second == ["news 01", "news 00"]
    assert client.get(news_index.url + "?page=x").status_code == 200


def test_news_index_leaves_out_drafts(client, news_index):
    NewsPageFactory(parent=news_index, title="پیش‌نویس", live=False)
    html = client.get(news_index.url).content.decode()
    assert "پیش‌نویس" not in html
    assert 'class="empty-state"' in html


# ---- Home page sections ----------------------------------------------------------------------


def test_home_page_sections_when_empty(client, home_page):
    html = client.get("/").content.decode()
    assert 'id="open-calls"' in html
    assert 'id="key-figures"' in html
    assert 'id="latest-news"' in html
    assert 'id="latest-outcomes"' not in html  # Hidden until there are outcomes.


def test_home_page_counts_participants_in_persian_digits(client, home_page):
    UserFactory.create_batch(3, role=Role.STUDENT)
    UserFactory(role=Role.FACULTY, is_active=False)
    UserFactory(role="")  # An account without a role is not a participant.
    html = client.get("/").content.decode()
    figures = html.split('id="key-figures"', 1)[1]
    assert re.findall(r"<dd>([^<]*)</dd>", figures)[:2] == ["۳", "۰"]


def test_home_page_shows_the_three_newest_news(client, home_page):
    news = NewsIndexPageFactory(parent=home_page)
    for month in range(1, 6):
        NewsPageFactory(
            parent=news, title=f"خبر ماه {month}", published_on=datetime.date(2025, month, 1)
        )
    html = client.get("/").content.decode()
    latest = html.split('id="latest-news"', 1)[1]
    assert card_titles(latest) == ["خبر ماه 5", "خبر ماه 4", "خبر ماه 3"]
    assert "۱۱ اردیبهشت ۱۴۰۴" in latest  # 1 May 2025


def test_home_page_lists_open_calls_only(
    client, home_page, call_index, standard_pages_act_as_calls
):
    add_calls(call_index, "survey", "open", 1)
    add_calls(call_index, "idea", "closed", 1)
    html = client.get("/").content.decode()
    open_section = html.split('id="open-calls"', 1)[1].split("</section>", 1)[0]
    assert card_titles(open_section) == ["survey open 0"]
