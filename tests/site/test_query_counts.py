"""Public pages and API endpoints cost the same number of queries whatever the site's size.

Each guard measures a small world and a large one (more calls, news, pages, questions,
responses, images or documents) on the second of two identical requests, as an anonymous
visitor and as a signed-in participant, and asserts the counts are equal. A failure lists
the statements whose count changed. The draft pages' own guards (clauses, comments, votes)
are in ``tests/participation/drafts/test_queries.py``; results against responses for
visitors and editors also in ``tests/participation/results/test_results_views.py``.
"""

import pytest
from django.test import override_settings

from pages.models import RegulationDraftPage, StandardPage, SurveyCampaignPage
from participation.questions.schema import read_questions
from participation.submissions.services import submit_response
from tests.pages.factories import CallIndexPageFactory, NewsIndexPageFactory
from tests.people.factories import UserFactory

from .query_fixtures import (
    add_calls,
    add_documents,
    add_images,
    add_news,
    add_responses,
    add_standard_pages,
    add_survey,
    answer_rows,
    assert_each_same_queries,
    assert_same_queries,
    body_blocks,
    draft_text,
    measure,
    publish,
)

pytestmark = pytest.mark.django_db

VISITORS = ["visitor", "participant"]
CALL_INDEX_QUERIES = [
    "",
    "?kind=survey",
    "?kind=draft",
    "?state=open",
    "?state=upcoming",
    "?state=closed",
    "?kind=survey&state=closed",
    "?page=2",
]


@pytest.fixture(autouse=True)
def uncached_pages():
    """Every request reaches the view: the anonymous page cache is off."""
    with override_settings(HADAF_PAGE_CACHE_SECONDS=0):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def news(home_page):
    return NewsIndexPageFactory(parent=home_page, slug="news")


@pytest.fixture
def participant(db):
    return UserFactory(role="faculty")


def sign_in(client, visitor, participant):
    if visitor == "participant":
        client.force_login(participant)


# --- Home, call index, news, standard pages, search ----------------------------------------


@pytest.mark.parametrize("visitor", VISITORS)
def test_home_page(client, home_page, calls, news, participant, visitor):
    sign_in(client, visitor, participant)
    add_calls(calls, 4)  # one call in each state: one open, one outcome published
    add_news(news, 1)
    add_standard_pages(home_page, 2)
    small = measure(client, "/")

    add_calls(calls, 26, start=4)
    add_news(news, 19, start=1)
    add_standard_pages(home_page, 10, start=2)
    add_responses(SurveyCampaignPage.objects.child_of(calls).first(), 20)
    large = measure(client, "/")

    context = large.response.context
    assert len(small.response.context["open_calls"]) == 1 and len(context["open_calls"]) == 6
    assert len(small.response.context["latest_outcomes"]) == 1
    assert len(context["latest_outcomes"]) == 3 and len(context["latest_news"]) == 3
    assert_same_queries("home page", visitor, small, large)


@pytest.mark.parametrize("visitor", VISITORS)
def test_call_index(client, home_page, participant, visitor):
    """Two call index pages, 4 and 30 calls, each listing and filter measured on both."""
    sign_in(client, visitor, participant)
    small_index = CallIndexPageFactory(parent=home_page, slug="few-calls")
    large_index = CallIndexPageFactory(parent=home_page, slug="many-calls")
    add_calls(small_index, 4)
    add_calls(large_index, 30, start=100)

    listing = measure(client, large_index.url).response.context["listing"]
    assert listing.page.paginator.count == 30 and listing.page.paginator.num_pages == 3
    # ?page=2 of the small index falls back to its only page.
    assert_each_same_queries(
        visitor,
        [
            (
                f"call index {query or '(all)'}",
                measure(client, small_index.url + query),
                measure(client, large_index.url + query),
            )
            for query in CALL_INDEX_QUERIES
        ],
    )


@pytest.mark.parametrize("visitor", VISITORS)
def test_news_index_and_news_page(client, home_page, news, participant, visitor):
    sign_in(client, visitor, participant)
    first = add_news(news, 3)[0]
    small_index = measure(client, news.url)
    small_item = measure(client, first.url)

    add_news(news, 27, start=3)
    large_index = measure(client, news.url)
    large_item = measure(client, first.url)
    second_page = measure(client, news.url + "?page=2")

    assert len(large_index.response.context["news_page"].object_list) == 12
    assert_each_same_queries(
        visitor,
        [
            ("news index", small_index, large_index),
            ("news index ?page=2", small_index, second_page),
            ("news page", small_item, large_item),
        ],
    )


@pytest.mark.parametrize("visitor", VISITORS)
def test_standard_page(client, home_page, participant, visitor):
    """A page of 5 blocks among 2 menu pages, then one of 30 blocks (images, downloads,
    links to pages) among 22."""
    sign_in(client, visitor, participant)
    targets = add_standard_pages(home_page, 2, in_menu=True)
    small_page = publish(
        home_page,
        StandardPage(
            title="صفحهٔ کوچک",
            slug="small-page",
            body=body_blocks(5, images=add_images(1), documents=add_documents(1), pages=targets),
        ),
    )
    small = measure(client, small_page.url)

    targets += add_standard_pages(home_page, 20, start=2, in_menu=True)
    large_page = publish(
        home_page,
        StandardPage(
            title="صفحهٔ بزرگ",
            slug="large-page",
            body=body_blocks(
                30, images=add_images(6), documents=add_documents(6, start=10), pages=targets
            ),
        ),
    )
    large = measure(client, large_page.url)
    assert_same_queries("standard page", visitor, small, large)


SEARCH_WORD = "آیین‌نامه"
SEARCH_URL = f"/search/?q={SEARCH_WORD}"


def result_types(measured):
    return {type(result).__name__ for result in measured.response.context["results"]}


@pytest.mark.parametrize("visitor", VISITORS)
def test_search_results(client, home_page, participant, visitor):
    """3 matching standard pages, then 40 (ten a page) among 20 that do not match."""
    sign_in(client, visitor, participant)
    add_standard_pages(home_page, 3, word=SEARCH_WORD, in_menu=False)
    small = measure(client, SEARCH_URL)
    add_standard_pages(home_page, 37, start=3, word=SEARCH_WORD, in_menu=False)
    add_standard_pages(home_page, 20, start=100, word="گزارش", in_menu=False)
    large = measure(client, SEARCH_URL)
    assert large.response.context["paginator"].count == 40
    assert len(large.response.context["results"]) == 10
    assert_same_queries("search results, one page type", visitor, small, large)


@pytest.mark.parametrize("visitor", VISITORS)
def test_search_results_of_every_page_type(client, home_page, calls, news, participant, visitor):
    """One matching page of each type, then eleven of each: one query per page type shown
    (``specific()``), none per result."""
    sign_in(client, visitor, participant)

    def add_matches(count, start):
        add_standard_pages(home_page, count, start=start, word=SEARCH_WORD, in_menu=False)
        add_calls(calls, 2 * count, start=2 * start, word=SEARCH_WORD)  # surveys and drafts
        add_news(news, count, start=start, images=False, word=SEARCH_WORD)

    add_matches(1, start=0)
    small = measure(client, SEARCH_URL)
    add_matches(10, start=1)
    large = measure(client, SEARCH_URL)

    assert large.response.context["paginator"].count == 44
    assert len(result_types(small)) == 4
    # Ranking decides which types the first ten results are of: one query per type.
    assert_same_queries(
        "search results, four page types",
        visitor,
        small,
        large,
        allowance=len(result_types(large)) - len(result_types(small)),
    )


# --- Survey pages and results --------------------------------------------------------------


def survey_states(client, page, visitor, participant):
    """The survey page as the visitor sees it: the form, or (after answering) the "already
    received" notice, the thanks and the form to edit the answers."""
    if visitor == "visitor":
        return {"sign-in notice": measure(client, page.url)}
    states = {"form": measure(client, page.url)}
    questionnaire = read_questions(page.questions)
    submit_response(page, participant, answer_rows(questionnaire, 1), questionnaire, language="fa")
    states["already received"] = measure(client, page.url)
    states["thanks"] = measure(client, page.url + "?thanks=1")
    states["editing"] = measure(client, page.url + "?edit=1")
    return states


def compare_states(label, visitor, small_states, large_states):
    assert_each_same_queries(
        visitor,
        [
            (f"{label}: {state}", small, large_states[state])
            for state, small in small_states.items()
        ],
    )


@pytest.mark.parametrize("visitor", VISITORS)
def test_survey_page_with_few_or_many_questions(client, calls, participant, visitor):
    """3 questions vs 25 of every type (matrices of 8 statements), 5 responses each."""
    sign_in(client, visitor, participant)
    small_page = add_survey(calls, "few-questions", questions=3)
    large_page = add_survey(calls, "many-questions", questions=25, matrix_rows=8)
    add_responses(small_page, 5)
    add_responses(large_page, 5)
    small_states = survey_states(client, small_page, visitor, participant)
    large_states = survey_states(client, large_page, visitor, participant)
    if visitor == "participant":
        assert len(large_states["form"].response.context["participation_form_html"]) > len(
            small_states["form"].response.context["participation_form_html"]
        )
    compare_states("survey page, 3 vs 25 questions", visitor, small_states, large_states)


@pytest.mark.parametrize("visitor", VISITORS)
def test_survey_page_with_few_or_many_responses(client, calls, participant, visitor):
    sign_in(client, visitor, participant)
    page = add_survey(calls, "responses", questions=12, matrix_rows=3)
    add_responses(page, 3)
    small = measure(client, page.url)
    add_responses(page, 80, start=3)
    large = measure(client, page.url)
    assert_same_queries("survey page, 3 vs 83 responses", visitor, small, large)


def results_url(page):
    return f"{page.url}results/"


@pytest.mark.parametrize("visitor", VISITORS)
def test_results_with_few_or_many_questions(client, calls, participant, visitor):
    """3 questions vs 25 of every type (matrices of 8 statements), 12 responses each."""
    sign_in(client, visitor, participant)
    small_page = add_survey(calls, "few-results", questions=3)
    large_page = add_survey(calls, "many-results", questions=25, matrix_rows=8)
    add_responses(small_page, 12)
    add_responses(large_page, 12)
    small = measure(client, results_url(small_page))
    large = measure(client, results_url(large_page))
    sections = large.response.context["sections"]
    assert len(sections) == 25 and any(section.crosstabs for section in sections)
    assert_same_queries("results page, 3 vs 25 questions", visitor, small, large)


@pytest.mark.parametrize("visitor", VISITORS)
def test_results_with_few_or_many_responses(client, calls, participant, visitor):
    sign_in(client, visitor, participant)
    page = add_survey(calls, "results-responses", questions=25, matrix_rows=4)
    add_responses(page, 8)
    small = measure(client, results_url(page))
    add_responses(page, 100, start=8)
    large = measure(client, results_url(page))
    assert large.response.context["results"].responses == 108
    assert_same_queries("results page, 8 vs 108 responses", visitor, small, large)


# --- API -----------------------------------------------------------------------------------


def api_guard(label, client, url, grow):
    small = measure(client, url)
    grow()
    large = measure(client, url)
    assert len(large.response.json()["items"]) == 50
    assert_same_queries(label, "visitor", small, large)


def test_api_survey_list(client, calls):
    def grow():
        for number in range(3, 60):
            add_survey(calls, f"api-survey-{number}", questions=3)

    for number in range(3):
        add_survey(calls, f"api-survey-{number}", questions=3)
    url = "/api/v2/pages/?type=pages.SurveyCampaignPage&fields=*&limit=50"
    api_guard("API pages, surveys, fields=*", client, url, grow)


def test_api_mixed_page_list(client, home_page, calls, news):
    add_calls(calls, 2)
    add_news(news, 1)

    def grow():
        add_calls(calls, 40, start=2)
        add_news(news, 20, start=1)

    api_guard("API pages, all types, fields=*", client, "/api/v2/pages/?fields=*&limit=50", grow)


def test_api_draft_list(client, calls):
    for number in range(3):
        add_calls(calls, 1, start=2 * number + 1)  # odd numbers are drafts

    def grow():
        for number in range(3, 60):
            add_calls(calls, 1, start=2 * number + 1)

    url = "/api/v2/pages/?type=pages.RegulationDraftPage&fields=*&limit=50"
    api_guard("API pages, drafts, fields=*", client, url, grow)


def test_api_news_list(client, news):
    add_news(news, 3)
    url = "/api/v2/pages/?type=pages.NewsPage&fields=*&limit=50"
    api_guard(
        "API pages, news with images, fields=*", client, url, lambda: add_news(news, 57, start=3)
    )


def test_api_images_and_documents(client, db):
    add_images(3)
    add_documents(3)
    small_images = measure(client, "/api/v2/images/?fields=*&limit=50")
    small_documents = measure(client, "/api/v2/documents/?fields=*&limit=50")
    add_images(57)
    add_documents(57, start=3)
    large_images = measure(client, "/api/v2/images/?fields=*&limit=50")
    large_documents = measure(client, "/api/v2/documents/?fields=*&limit=50")
    assert len(large_images.response.json()["items"]) == 50
    assert_each_same_queries(
        "visitor",
        [
            ("API images", small_images, large_images),
            ("API documents", small_documents, large_documents),
        ],
    )


def test_api_survey_detail(client, home_page, calls):
    """Few vs many questions, and a body of 5 vs 30 blocks (images, documents, pages)."""
    targets = add_standard_pages(home_page, 6, in_menu=False)
    small_page = add_survey(
        calls,
        "api-few",
        questions=3,
        body=body_blocks(5, images=add_images(1), documents=add_documents(1), pages=targets),
    )
    large_page = add_survey(
        calls,
        "api-many",
        questions=25,
        matrix_rows=8,
        body=body_blocks(
            30, images=add_images(6), documents=add_documents(6, start=10), pages=targets
        ),
    )
    small = measure(client, f"/api/v2/pages/{small_page.pk}/")
    large = measure(client, f"/api/v2/pages/{large_page.pk}/")
    assert len(large.response.json()["body"]) == 30
    assert_same_queries(
        "API survey detail, 3 vs 25 questions, 5 vs 30 blocks", "visitor", small, large
    )


def test_api_draft_detail(client, calls):
    small_page = publish(
        calls,
        RegulationDraftPage(
            title="پیش‌نویس کوچک", slug="api-small-draft", draft_text=draft_text(5, key="s")
        ),
    )
    large_page = publish(
        calls,
        RegulationDraftPage(
            title="پیش‌نویس بزرگ", slug="api-large-draft", draft_text=draft_text(150, key="l")
        ),
    )
    small = measure(client, f"/api/v2/pages/{small_page.pk}/")
    large = measure(client, f"/api/v2/pages/{large_page.pk}/")
    assert len(large.response.json()["draft_text"]) == 150
    assert_same_queries("API draft detail, 5 vs 150 clauses", "visitor", small, large)
