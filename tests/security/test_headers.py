"""Security headers on real responses (site/security_headers.py, django-csp, production.py).

Item 16 of issue 10: the Content Security Policy of each kind of path, nosniff,
Referrer-Policy, X-Frame-Options, Cross-Origin-Opener-Policy, ``Cache-Control: no-store``
on forms, admin pages and answers to POSTs (and not on what the page cache may share),
and the production profile's HSTS and cookie flags, read from production.py itself.
"""

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import path

from tests.helpers import project_env, run_manage
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory
from tests.site.test_production_profile import PRODUCTION_ENV

pytestmark = pytest.mark.django_db


def directives(header):
    """``{"script-src": ["'self'"], ...}`` from a Content-Security-Policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def survey(home_page):
    return SurveyCampaignPageFactory(parent=home_page, slug="headers-survey")


@pytest.fixture
def editor():
    return UserFactory(is_superuser=True, is_staff=True)


# ---- Content Security Policy ------------------------------------------------------------

PUBLIC_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def test_public_pages_get_the_strict_policy(client, survey):
    for url in ("/", survey.url, "/search/?q=x", "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        for name, values in PUBLIC_POLICY.items():
            assert policy[name] == values, (url, name)
        assert set(policy["img-src"]) >= {"'self'", "data:"}
        # No inline script or style, no eval, anywhere on the public site.
        assert "unsafe" not in response["Content-Security-Policy"], url


@pytest.mark.parametrize(
    ("url", "inline_scripts", "inline_styles", "frame_ancestors"),
    [
        pytest.param("/admin/login/", True, True, "'self'", id="admin"),
        pytest.param("/api/v3/docs/", False, True, "'none'", id="api-v3-docs"),
        pytest.param("/api/hadaf/v1/docs/", False, True, "'none'", id="partner-api-docs"),
        pytest.param("/oauth/authorize/", False, False, "'none'", id="oauth-consent"),
    ],
)
def test_paths_that_need_more_get_their_own_policy(
    client, home_page, url, inline_scripts, inline_styles, frame_ancestors
):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    assert ("'unsafe-inline'" in policy["script-src"]) is inline_scripts
    assert ("'unsafe-inline'" in policy["style-src"]) is inline_styles
    assert policy["frame-ancestors"] == [frame_ancestors]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_signed_in_admin_pages_get_the_admin_policy(client, editor, home_page):
    client.force_login(editor)
    for url in ("/admin/", f"/admin/pages/{home_page.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
        assert "no-store" in response["Cache-Control"], url


def test_report_only_mode_sends_only_the_report_only_header(client, home_page, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    public = client.get("/")
    admin = client.get("/admin/login/")
    for response in (public, admin):
        assert "Content-Security-Policy" not in response
    assert "'none'" in directives(public["Content-Security-Policy-Report-Only"])["frame-ancestors"]
    assert (
        "'unsafe-inline'" in directives(admin["Content-Security-Policy-Report-Only"])["script-src"]
    )


def test_csp_report_only_variable_switches_the_settings():
    script = (
        "from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY, bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
    )
    result = run_manage("shell", "-c", script, env=project_env(CSP_REPORT_ONLY="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "None True"


def test_media_storage_host_may_serve_images(monkeypatch):
    script = (
        "from django.conf import settings as s; "
        "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    env = project_env(AWS_S3_CUSTOM_DOMAIN="media.hadaf.example.org")
    result = run_manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert "https://media.hadaf.example.org" in result.stdout.split()


def fail(request):
    raise RuntimeError("A view that fails, for the 500 page.")


urlpatterns = [path("fail/", fail)]


@override_settings(ROOT_URLCONF=__name__)
def test_the_server_error_page_may_use_its_inline_style_and_nothing_else():
    """templates/500.html is standalone, its <style> inline; scripts stay 'self'."""
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


# ---- The other headers ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/api/v2/pages/", "/healthz"])
def test_every_response_gets_nosniff_referrer_frame_and_opener_headers(client, home_page, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


# ---- Cache-Control: no-store ------------------------------------------------------------


def cache_control(response):
    return {item.strip() for item in response.get("Cache-Control", "").split(",") if item}


def test_a_page_with_a_form_is_never_stored(client, survey):
    """The sign-in form for anyone, the survey for a signed-in student: both carry a token."""
    response = client.get("/accounts/login/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert {"no-store", "private"} <= cache_control(response)
    client.force_login(UserFactory(role="student"))
    response = client.get(survey.url)
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert {"no-store", "private"} <= cache_control(response)


def test_a_plain_public_page_may_be_cached(client, home_page):
    assert "no-store" not in cache_control(client.get("/"))


def test_pages_for_a_signed_in_visitor_are_never_stored(client, home_page):
    client.force_login(UserFactory())
    for url in ("/", "/dashboard/", "/accounts/profile/"):
        assert {"no-store", "private"} <= cache_control(client.get(url)), url


def test_answers_to_posts_are_never_stored(client, survey):
    response = client.post("/search/", {"q": "x"})
    assert "no-store" in cache_control(response)
    response = client.post(survey.url, {})
    assert "no-store" in cache_control(response)


def test_admin_pages_are_never_stored_even_the_login(client, home_page):
    assert {"no-store", "private"} <= cache_control(client.get("/admin/login/"))


def test_a_view_that_sets_cache_control_keeps_it(client, home_page):
    """The read API and the health check choose their own; nothing is added to them."""
    health = client.get("/healthz")
    assert "no-store" in cache_control(health) and "must-revalidate" in cache_control(health)
    api = Client().get("/api/v2/pages/")
    assert "no-store" not in cache_control(api)


@override_settings(HADAF_PAGE_CACHE_SECONDS=300)
def test_the_page_cache_never_stores_a_page_with_a_form(survey):
    cache.clear()
    first, second = Client().get("/accounts/login/"), Client().get("/accounts/login/")
    assert first["X-Hadaf-Cache"] == second["X-Hadaf-Cache"] == "pass"
    assert "no-store" in cache_control(second)
    plain = [Client().get("/") for _ in range(2)]
    assert [r["X-Hadaf-Cache"] for r in plain] == ["miss", "hit"], [dict(r.items()) for r in plain]
    cache.clear()


# ---- Production -------------------------------------------------------------------------

PRODUCTION_KEYS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CONTENT_SECURITY_POLICY",
    "HADAF_CSP_PATH_DIRECTIVES",
]


@pytest.fixture(scope="module")
def production_values():
    """The security settings of site.settings.production, read in a fresh process."""
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {PRODUCTION_KEYS!r}}}))"
    )
    result = run_manage("shell", "-c", script, env=project_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["HADAF_CSP_PATH_DIRECTIVES"] = [
        tuple(pair) for pair in values["HADAF_CSP_PATH_DIRECTIVES"]
    ]
    return values


@pytest.fixture
def production(production_values):
    with override_settings(**production_values):
        yield production_values


def test_production_redirects_plain_http_to_https(production, home_page):
    response = Client().get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/", id="public-page"),
        pytest.param("survey", id="form-page"),
        pytest.param("/admin/login/", id="admin-page"),
        pytest.param("/api/v2/pages/", id="api"),
    ],
)
def test_production_headers_on_real_responses(production, survey, url):
    response = Client().get(survey.url if url == "survey" else url, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    frame_ancestors = directives(response["Content-Security-Policy"])["frame-ancestors"]
    assert frame_ancestors == (["'self'"] if url.startswith("/admin/") else ["'none'"])


def test_production_cookies_are_secure_httponly_and_same_site(production, survey):
    csrf = Client().get("/accounts/login/", secure=True).cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert production["SESSION_COOKIE_SECURE"] and production["SESSION_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_passes_the_deploy_check_at_warning_level():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=project_env(**PRODUCTION_ENV)
    )
    assert result.returncode == 0, result.stdout + result.stderr
