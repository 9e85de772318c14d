"""Any query string gets data or a JSON 4xx from /api/v2/ and /api/v3/, never a 500.

Found: a NUL in ``search=`` or ``locale=`` was a 500 on PostgreSQL (it cannot store NUL);
``search="`` was a 500 on SQLite (a lone quote is a syntax error to FTS5); under DEBUG,
v3 put the database's error text in ``detail``. Run on both databases.
"""

from urllib.parse import quote, urlencode

import pytest
from django.db import OperationalError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pages.factories import CallIndexPageFactory

from .query_fixtures import add_calls

pytestmark = pytest.mark.django_db

V2, V3 = "/api/v2/pages/", "/api/v3/pages/"
ENDPOINTS = [V2, V3, "/api/v2/images/", "/api/v3/images/", "/api/v2/documents/"]


@pytest.fixture
def calls(home_page):
    index = CallIndexPageFactory(parent=home_page, slug="calls")
    add_calls(index, 4)
    return index


@pytest.fixture
def quiet_client(client, settings):
    """The production profile: errors become responses, not exceptions in the test."""
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def get(client, url, **params):
    return client.get(url + "?" + urlencode(params), HTTP_ACCEPT_LANGUAGE="fa")


def assert_json_400(response, code):
    assert response.status_code == 400, response.content[:300]
    assert "json" in response["Content-Type"]
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "params",
    [{"search": "a\x00b"}, {"locale": "f\x00a"}, {"search": "x", "x\x00": "1"}, {"title": "\x01"}],
)
def test_control_characters_are_a_json_400_in_the_readers_language(
    quiet_client, calls, endpoint, params
):
    body = assert_json_400(get(quiet_client, endpoint, **params), "invalid_characters")
    assert body["message"] == "پرس‌وجو نویسه‌های کنترلی (مانند NUL) دارد؛ آن‌ها را حذف کنید."
    english = quiet_client.get(endpoint + "?" + urlencode(params), HTTP_ACCEPT_LANGUAGE="en")
    assert "control characters" in english.json()["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("search", ['"', '""', "*", "(", ")", "^", "-", "'", ":", '"؛"'])
def test_search_operators_alone_are_a_json_400(quiet_client, calls, endpoint, search):
    body = assert_json_400(get(quiet_client, endpoint, search=search), "invalid_search")
    assert body["message"] == "دست‌کم یک واژه یا عدد را جست‌وجو کنید."


@pytest.mark.parametrize("endpoint", [V2, V3])
@pytest.mark.parametrize("search", ['"فراخوان', 'فراخوان"', "(فراخوان*", "فراخوان!", '"3"'])
def test_words_among_operators_are_searched(quiet_client, calls, endpoint, search):
    response = get(quiet_client, endpoint, search=search)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    found = body["meta"]["total_count"] if endpoint == V2 else body["count"]
    assert found >= 1


@pytest.mark.parametrize("endpoint", [V2, V3])
@pytest.mark.parametrize("operator", ['"', "xor", ""])
def test_a_search_operator_other_than_and_or_or_is_a_json_400(
    quiet_client, calls, endpoint, operator
):
    """Found by the fuzz test on PostgreSQL: ``?search=0&search_operator="`` was a 500."""
    response = get(quiet_client, endpoint, search="0", search_operator=operator)
    body = assert_json_400(response, "invalid_search_operator")
    assert body["message"] == "search_operator باید «and» یا «or» باشد."
    assert get(quiet_client, endpoint, search="فراخوان", search_operator="or").status_code == 200


@pytest.mark.parametrize("endpoint", [V2, V3])
def test_a_very_long_search_is_refused(quiet_client, calls, endpoint):
    assert_json_400(get(quiet_client, endpoint, search="واژه " * 100), "search_too_long")


def test_v3_never_puts_an_errors_text_in_the_response(client, calls, settings, monkeypatch):
    from wagtail.api.v3.schemas import params

    def broken(*args, **kwargs):
        raise OperationalError('fts5: syntax error near """ (secret table hadaf_x)')

    monkeypatch.setattr(params, "get_search_backend", lambda: type("B", (), {"search": broken}))
    settings.DEBUG = True
    response = get(client, V3, search="فراخوان")
    assert response.status_code == 500
    assert b"secret" not in response.content and b"fts5" not in response.content


# ---- fuzzing -----------------------------------------------------------------------------

NAMES = ["search", "locale", "title", "slug", "search_operator", "order", "type", "fields"]
HARD = ['"', "\x00", "*", "(", ")", "'", "\\", "%", "\u200c", "ي", "۳", "\x1f", " ", "NEAR"]
value = st.lists(st.one_of(st.sampled_from(HARD), st.characters(codec="utf-8")), max_size=12).map(
    "".join
)
query = st.dictionaries(st.sampled_from(NAMES), value, min_size=1, max_size=3)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=query, endpoint=st.sampled_from([V2, V3]))
def test_fuzzed_query_strings_never_give_a_500(quiet_client, calls, params, endpoint):
    url = endpoint + "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
    response = quiet_client.get(url)
    assert response.status_code < 500, (url, response.content[:300])
    assert "json" in response["Content-Type"]


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("url", "params", "code"),
    [
        (V2, {"offset": HUGE}, "number_too_large"),
        (V3, {"offset": HUGE}, "number_too_large"),
        ("/api/v2/documents/", {"offset": HUGE}, "number_too_large"),
        ("/api/v3/redirects/", {"site": HUGE}, "number_too_large"),
        (V2, {"child_of": HUGE}, "number_too_large"),
        (V2 + "find/", {"id": "x"}, "invalid_number"),
        (V2 + "find/", {"id": "'"}, "invalid_number"),
        (V2 + "find/", {"id": HUGE}, "number_too_large"),
    ],
)
def test_numbers_no_column_can_hold_are_a_json_400(quiet_client, calls, url, params, code):
    """Found by an attacker: bigint out of range (PostgreSQL), an overflow (SQLite)."""
    assert_json_400(get(quiet_client, url, **params), code)


def test_child_of_root_is_still_a_valid_filter(quiet_client, calls):
    assert get(quiet_client, V2, child_of="root").status_code == 200
