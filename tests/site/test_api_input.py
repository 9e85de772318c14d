"""Bad input to the read API gets a 4xx with a JSON body, in the reader's language, never a 500;
and the reader-side caching headers, 304s and invalidation."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.http import http_date

from participation.drafts import services as draft_services
from participation.drafts.choices import DecisionOutcome
from site.api_input import APIInputError, requested_states
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft
from tests.people.factories import EditorFactory, UserFactory

from .query_fixtures import add_calls, add_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(home_page):
    index = CallIndexPageFactory(parent=home_page, slug="calls")
    add_calls(index, 4)
    return index


BAD_QUERIES = [
    ("?offset=abc", "invalid_number"),
    ("?offset=-1", "invalid_number"),
    ("?limit=ten", "invalid_number"),
    ("?state=nonsense", "invalid_state"),
    ("?state=", "invalid_state"),
    ("?colour=red", "unknown_parameter"),
    ("?type=pages.Nothing", "invalid_type"),
    ("?type=notamodel", "invalid_type"),
    ("?fields=nothing", "invalid_fields"),
    ("?fields=title(", "invalid_fields"),
    ("?type=pages.SurveyCampaignPage&opens_at=yesterday", "invalid_filter_value"),
    ("?type=pages.IdeaCallPage&festival_year=soon", "invalid_filter_value"),
    ("?type=pages.IdeaCallPage&accepts_ideas=perhaps", "invalid_filter_value"),
    ("?type=pages.SurveyCampaignPage&results_published=1", "unknown_parameter"),
    ("?translation_of=abc", "bad_request"),
    ("?order=nothing", "bad_request"),
    ("?child_of=-3", "bad_request"),
]


@pytest.mark.parametrize(("query", "code"), BAD_QUERIES)
def test_bad_queries_are_refused_with_json(client, calls, query, code):
    response = client.get(f"/api/v2/pages/{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    assert "no-store" in response["Cache-Control"]


def test_errors_follow_the_readers_language(client, calls):
    for language in ("fa", "en"):
        refused = client.get("/api/v2/pages/?state=nonsense", HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            expected = requested_states_error()
        assert refused.json()["message"] == expected
    english = client.get("/api/v2/pages/?state=nonsense", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["message"].startswith("Unknown state")
    assert english["allowed"] == ["open", "upcoming", "closed", "outcome"]
    unknown = client.get("/api/v2/pages/?colour=red&size=2", HTTP_ACCEPT_LANGUAGE="en").json()
    assert unknown["parameters"] == ["colour", "size"]


def requested_states_error():
    """The message of a refused ``?state=``, in the active language."""
    from django.test import RequestFactory

    try:
        requested_states(RequestFactory().get("/", {"state": "nonsense"}))
    except APIInputError as refusal:
        return str(refusal.message)
    raise AssertionError("?state=nonsense was accepted")


def test_unknown_page_is_a_json_404(client, calls):
    response = client.get("/api/v2/pages/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_huge_limit_is_capped(client, calls, settings):
    settings.WAGTAILAPI_LIMIT_MAX = 3
    response = client.get("/api/v2/pages/?limit=100000")
    assert response.status_code == 200
    data = response.json()
    assert len(data["items"]) == 3
    assert data["meta"]["limit"] == 3 and data["meta"]["limit_capped"] is True
    assert response["X-API-Limit"] == "3"
    within = client.get("/api/v2/pages/?limit=2").json()
    assert within["meta"] == {"total_count": data["meta"]["total_count"], "limit": 2}


def test_images_and_documents_refuse_bad_input_too(client, db):
    for endpoint in ("images", "documents"):
        assert client.get(f"/api/v2/{endpoint}/?offset=abc").json()["code"] == "invalid_number"
        assert client.get(f"/api/v2/{endpoint}/?colour=red").status_code == 400


# --- Caching -------------------------------------------------------------------------------

URL = "/api/v2/pages/?type=pages.SurveyCampaignPage&fields=*"


def test_anonymous_reads_are_public_and_revalidate(client, calls):
    response = client.get(URL)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")

    same = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304 and same.content == b""
    assert same["ETag"] == etag
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    earlier = http_date((timezone.now() - datetime.timedelta(days=1)).timestamp())
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_signed_in_reads_are_private(client, calls):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"] and "ETag" not in response
    bearer = client.get(URL, HTTP_AUTHORIZATION="Bearer abc")
    assert "private" in bearer["Cache-Control"]


@pytest.fixture
def server_cache():
    with override_settings(HADAF_PAGE_CACHE_SECONDS=300, HADAF_API_CACHE_SECONDS=60):
        yield


def test_kept_responses_go_stale_when_a_page_is_published(client, calls, server_cache):
    first = client.get(URL)
    assert first["X-Hadaf-API-Cache"] == "miss"
    again = client.get(URL)
    assert again["X-Hadaf-API-Cache"] == "hit" and again.content == first.content
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    add_survey(calls, "new-survey", questions=2)
    fresh = client.get(URL)
    assert fresh["X-Hadaf-API-Cache"] == "miss"
    assert fresh.json()["meta"]["total_count"] == first.json()["meta"]["total_count"] + 1
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_kept_responses_go_stale_when_a_decision_changes(client, calls, server_cache):
    now = timezone.now()
    draft = add_draft(
        calls,
        slug="decided",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now - datetime.timedelta(days=5),
        outcome_published_at=now - datetime.timedelta(days=1),
    )
    url = f"/api/v2/pages/{draft.pk}/"
    assert client.get(url)["X-Hadaf-API-Cache"] == "miss"
    assert client.get(url)["X-Hadaf-API-Cache"] == "hit"
    draft_services.record_decision(
        draft,
        EditorFactory(),
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.ACCEPTED,
        reason="پذیرفته شد.",
    )
    fresh = client.get(url)
    assert fresh["X-Hadaf-API-Cache"] == "miss"
    clause = next(c for c in fresh.json()["discussion"]["clauses"] if c["id"] == CLAUSE_A)
    assert clause["decision"]["outcome"] == DecisionOutcome.ACCEPTED


def test_errors_and_signed_in_reads_are_never_kept(client, calls, server_cache):
    for _attempt in range(2):
        refused = client.get("/api/v2/pages/?state=nonsense")
        assert refused.status_code == 400 and refused.get("X-Hadaf-API-Cache") != "hit"
    client.force_login(UserFactory())
    for _attempt in range(2):
        assert client.get(URL).get("X-Hadaf-API-Cache") != "hit"
