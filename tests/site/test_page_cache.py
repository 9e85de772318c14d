"""The page cache for anonymous visitors (site/page_cache.py): what it shares, with whom, and
when it forgets. The rest of the suite runs with the cache off; these tests turn it on."""

import datetime
import time
import types

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import LocalePrefixPattern, path
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.models import PageViewRestriction

from participation.drafts.choices import ModerationMode
from site import page_cache
from site import urls as site_urls
from tests.helpers.results import make_survey, respond
from tests.pages.factories import CallIndexPageFactory, StandardPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft, comment_on
from tests.people.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fresh_cache"),
]

HEADER = "X-Hadaf-Cache"
TTL = 300
DYNAMIC_TTL = 30


@pytest.fixture
def fresh_cache():
    cache.clear()
    with override_settings(
        HADAF_PAGE_CACHE_SECONDS=TTL, HADAF_PAGE_CACHE_DYNAMIC_SECONDS=DYNAMIC_TTL
    ):
        yield
    cache.clear()


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, slug="about", title="دربارهٔ ما")


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def later(monkeypatch):
    """Move the memory cache's clock forward by a number of seconds."""

    def advance(seconds):
        clock = types.SimpleNamespace(time=lambda: time.time() + seconds)
        monkeypatch.setattr(locmem, "time", clock)

    return advance


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def clause_url(page):
    return f"{page.url}clause/{CLAUSE_A}/"


# Probe views: responses that must never be shared -------------------------------------------


def probe(request, kind):
    if kind == "csrf":
        template = engines["django"].from_string("<form method='post'>{% csrf_token %}</form>")
        return HttpResponse(template.render({}, request))
    response = HttpResponse(f"probe {kind}")
    if kind == "cookie":
        response.set_cookie("seen", "1")
    elif kind == "message":
        messages.info(request, "Saved.")
    elif kind == "private":
        patch_cache_control(response, private=True)
    elif kind == "vary":
        patch_vary_headers(response, ["User-Agent"])
    elif kind == "not-found":
        response.status_code = 404
    return response


urlpatterns = [path("probe/<str:kind>/", probe)]


@pytest.mark.urls(__name__)
def test_a_plain_response_is_cached(client):
    assert client.get("/probe/plain/")[HEADER] == "miss"
    assert client.get("/probe/plain/")[HEADER] == "hit"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("kind", ["csrf", "cookie", "message", "private", "vary", "not-found"])
def test_a_response_with_anything_personal_or_unshareable_is_never_cached(client, kind):
    for _ in range(2):
        client.cookies.clear()
        assert client.get(f"/probe/{kind}/")[HEADER] == "pass"


@pytest.mark.urls(__name__)
def test_a_csrf_token_is_never_cached_even_when_the_visitor_already_has_the_cookie(client):
    client.cookies["csrftoken"] = "a" * 32
    first = client.get("/probe/csrf/")
    second = client.get("/probe/csrf/")
    assert (first[HEADER], second[HEADER]) == ("pass", "pass")


@pytest.mark.urls(__name__)
def test_a_request_with_an_unknown_cookie_reads_the_cache_but_never_fills_it(client):
    client.cookies["tracking"] = "visitor-42"
    assert client.get("/probe/plain/")[HEADER] == "pass"
    del client.cookies["tracking"]
    assert client.get("/probe/plain/")[HEADER] == "miss"
    client.cookies["tracking"] = "visitor-42"
    assert client.get("/probe/plain/")[HEADER] == "hit"


# Hits --------------------------------------------------------------------------------------


def test_a_second_anonymous_visit_is_served_from_the_cache_without_the_database(
    client, home_page, about, django_assert_num_queries
):
    first = client.get(about.url)
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(about.url)
    assert second[HEADER] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "دربارهٔ ما" in html_of(second)


def test_cached_pages_are_private_to_the_browser_and_revalidated_with_an_etag(client, about):
    first = client.get(about.url)
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert first["ETag"]
    again = client.get(about.url, headers={"if-none-match": first["ETag"]})
    assert (again.status_code, again[HEADER]) == (304, "hit")
    assert again.content == b""


def test_each_language_and_query_string_is_its_own_entry(client, home_page):
    persian, english = client.get("/"), client.get("/en/")
    assert (persian[HEADER], english[HEADER]) == ("miss", "miss")
    assert '<html lang="fa"' in html_of(persian)
    assert '<html lang="en"' in html_of(english)
    assert client.get("/?page=2")[HEADER] == "miss"
    assert client.get("/?page=2")[HEADER] == "hit"
    assert '<html lang="en"' in html_of(client.get("/en/"))
    assert client.get("/en/")[HEADER] == "hit"
    assert '<html lang="fa"' in html_of(client.get("/"))


def test_head_is_answered_from_a_cached_get_and_never_stores(client, about):
    assert client.head(about.url)[HEADER] == "pass"
    assert client.get(about.url)[HEADER] == "miss"
    head = client.head(about.url)
    assert (head.status_code, head[HEADER]) == (200, "hit")


# Who never shares ---------------------------------------------------------------------------


def test_a_signed_in_visitor_is_never_served_from_the_cache(client, about):
    client.get(about.url)
    assert client.get(about.url)[HEADER] == "hit"
    client.force_login(UserFactory())
    assert client.get(about.url)[HEADER] == "pass"


def test_what_a_signed_in_visitor_sees_never_reaches_anonymous_visitors(client, calls):
    draft = add_draft(calls, slug="pre", moderation=ModerationMode.PRE)
    author = UserFactory(role="faculty", first_name="مریم", last_name="احمدی")
    comment_on(draft, author, body="نظر من در انتظار بررسی")
    # Closed, the page has no form: only the session tells the author from anyone else.
    draft.closes_at = timezone.now() - datetime.timedelta(hours=1)
    draft.save_revision().publish()

    client.force_login(author)
    own = client.get(clause_url(draft))
    assert own[HEADER] == "pass"
    assert "نظر من در انتظار بررسی" in html_of(own)
    # The header's sign-out button is a form, so signed-in pages carry a CSRF token.
    assert 'action="/accounts/logout/"' in html_of(own)

    client.logout()
    anonymous = client.get(clause_url(draft))
    assert anonymous[HEADER] == "miss"
    assert "نظر من در انتظار بررسی" not in html_of(anonymous)
    assert author.get_full_name() not in html_of(anonymous)
    assert "csrfmiddlewaretoken" not in html_of(anonymous)


def test_a_visitor_with_a_message_gets_it_and_nobody_else_does(client, calls):
    draft = add_draft(calls)
    comment = comment_on(draft, UserFactory(role="faculty"))
    assert client.get(clause_url(draft))[HEADER] == "miss"

    # Voting without signing in leaves "Sign in to take part." in the messages cookie.
    client.post(f"{draft.url}comments/{comment.uuid}/vote/", {"value": "1"})
    assert "messages" in client.cookies
    with_message = client.get(clause_url(draft))
    assert with_message[HEADER] == "pass"
    assert "data-draft-message" in html_of(with_message)

    # The message was shown once and never stored: the page cached before it comes back.
    response = client.get(clause_url(draft))
    assert response[HEADER] == "hit"
    assert "data-draft-message" not in html_of(response)


@pytest.mark.parametrize(
    "url",
    ["/admin/login/", "/healthz", "/api/v2/pages/", "/static/css/hadaf.css", "/i18n/setlang/"],
)
def test_admin_health_api_and_files_are_never_cached(client, home_page, url):
    for _ in range(2):
        assert HEADER not in client.get(url)


def test_every_route_outside_the_language_patterns_is_excluded():
    """Only language-prefixed routes decide their language by URL, which the key relies on."""
    outside = [
        pattern
        for pattern in site_urls.urlpatterns
        if not isinstance(pattern.pattern, LocalePrefixPattern)
    ]
    assert outside
    for pattern in outside:
        assert not page_cache.is_public_path(f"/{pattern.pattern}"), pattern


def test_pages_still_render_and_publish_when_the_cache_is_down(client, about, monkeypatch):
    class Unreachable:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache unreachable")

            return fail

    monkeypatch.setattr(page_cache, "cache", Unreachable())
    response = client.get(about.url)
    assert (response.status_code, response[HEADER]) == (200, "pass")
    about.save_revision().publish()


def test_the_cache_is_off_at_zero_seconds(client, about):
    with override_settings(HADAF_PAGE_CACHE_SECONDS=0):
        for _ in range(2):
            assert HEADER not in client.get(about.url)


# Forgetting ---------------------------------------------------------------------------------


def test_publishing_a_page_makes_every_cached_page_stale(client, about):
    about.show_in_menus = True
    about.save_revision().publish()
    client.get("/"), client.get(about.url)
    assert client.get("/")[HEADER] == "hit"

    about.title = "معرفی سامانه"
    about.save_revision().publish()

    for url in ("/", about.url):  # The page itself, and the home page's menu.
        response = client.get(url)
        assert response[HEADER] == "miss"
        assert "معرفی سامانه" in html_of(response)
        assert "دربارهٔ ما" not in html_of(response)


def test_an_unpublished_page_is_gone_at_once(client, about):
    client.get(about.url)
    about.unpublish()
    assert client.get(about.url).status_code == 404


def test_a_deleted_page_is_gone_at_once(client, home_page, about):
    client.get(about.url)
    url = about.url
    about.delete()
    assert client.get(url).status_code == 404


def test_a_moved_page_is_gone_from_its_old_address(client, home_page, about):
    other = StandardPageFactory(parent=home_page, slug="other", title="دیگر")
    old_url = about.url
    client.get(old_url)
    about.move(other, pos="last-child")
    response = client.get(old_url)  # Wagtail leaves a redirect behind.
    assert (response.status_code, response["Location"]) == (301, "/other/about/")


def test_a_page_made_private_is_no_longer_shown_to_anonymous_visitors(client, about):
    client.get(about.url)
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret-pw"
    )
    response = client.get(about.url)
    assert response[HEADER] == "pass"
    assert 'name="password"' in html_of(response)


def test_invalidating_survives_an_evicted_generation(client, about):
    client.get(about.url)
    cache.delete(page_cache.GENERATION_KEY)
    page_cache.invalidate()
    assert client.get(about.url)[HEADER] == "miss"


# Numbers that change without publishing ----------------------------------------------------


def test_a_drafts_counts_are_refreshed_after_the_short_lifetime(client, calls, about, later):
    draft = add_draft(calls)
    assert client.get(draft.url)[HEADER] == "miss"
    client.get(about.url)

    comment_on(draft, UserFactory(role="faculty"))
    stale = client.get(draft.url)
    assert stale[HEADER] == "hit"

    later(DYNAMIC_TTL + 1)
    fresh = client.get(draft.url)
    assert fresh[HEADER] == "miss"
    assert fresh.content != stale.content
    assert client.get(about.url)[HEADER] == "hit"  # Other pages keep the full lifetime.


def test_survey_results_are_short_lived_and_the_survey_page_is_not(client, calls, later):
    survey = make_survey(calls)
    results_url = f"{survey.url}results/"
    client.get(survey.url), client.get(results_url)
    respond(survey)
    later(DYNAMIC_TTL + 1)
    assert client.get(results_url)[HEADER] == "miss"
    assert client.get(survey.url)[HEADER] == "hit"
