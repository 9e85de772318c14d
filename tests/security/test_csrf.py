"""CSRF on every POST (issue 10, item 13), found by walking the URL configuration.

Every route in ``site.urls`` (public, accounts, the Wagtail admin with our apps' views,
page-served forms) gets a POST without a CSRF token from a signed-in administrator, with
``enforce_csrf_checks``: each must be refused by Django's CSRF check (a test failure view
marks that refusal, so a 403 for another reason does not count) and nothing may change in
the database. A new view added with ``@csrf_exempt`` fails this test unless its path is in
``EXEMPT`` below, with a reason and the answer it must give instead.
"""

import re

import pytest
from django.apps import apps
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from participation.ideas.models import IdeaAttachment
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.participation.ideas.factories import add_idea_call, draft_idea
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED_HEADER = "X-Test-Csrf-Refused"
# Paths (regular expressions) exempt from Django's CSRF check by design, with why and the
# statuses a cookie-carrying POST without credentials of their own must get instead.
EXEMPT = {
    r"api/hadaf/v1/": (
        "the partner API authenticates by X-Hadaf-Key and bearer token, never by cookie",
        {401, 404, 405, 422},
    ),
    r"api/v2/": ("the read API (Django REST framework) answers GET only", {405}),
    r"api/v3/": (
        "Wagtail's v3 API (django-ninja) takes no session: writes need an API token",
        {401, 405},
    ),
    r"oauth/(token|revoke_token|introspect)/": (
        "OAuth 2 endpoints for partner servers: client credentials in the request",
        {400, 401, 403, 405},
    ),
    r"ideas/[^/]+/attachments/$": (
        "checks the CSRF token itself, after installing the size limit (test below)",
        {302, 403, 404},
    ),
}
PLACEHOLDER_UUID = "0b1e3c52-0000-4000-8000-0000000000ff"


def refuse(request, reason=""):
    """The CSRF failure view in these tests: marks the refusal as CSRF's own."""
    response = HttpResponseForbidden(reason)
    response[REFUSED_HEADER] = "1"
    return response


def walk(resolver, prefix=""):
    """``(route, callback)`` of every URL pattern under ``resolver``."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


CONVERTER_EXAMPLES = {"int": "1", "uuid": PLACEHOLDER_UUID}


def example_path(route):
    """A concrete path matching ``route`` (path() or re_path() syntax), or None."""
    path = re.sub(
        r"(?<!\?P)<(?:(\w+):)?\w+>", lambda m: CONVERTER_EXAMPLES.get(m.group(1) or "", "x"), route
    )
    path = re.sub(r"\(\?P<\w+>\\d\+\)|\(\\d\+\)|\[0-9\]\+", "1", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    path = re.sub(r"\(\(\?:\[\\w\\-\]\+/\)\*\)", "", path)  # Wagtail's page path
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"\(\?:[^)]*\)\?", "", path)
    if re.search(r"[()\[\]*+?]", path):
        return None
    return "/" + path


def routes():
    """``[(path, callback)]`` for every route with a path that resolves back to it."""
    found = []
    for route, callback in walk(get_resolver()):
        path = example_path(route)
        if path is None:
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.func is callback:
            found.append((path, callback))
    return found


def refused_for_csrf(response):
    """Refused by Django's CSRF check, or by Django REST framework's own (Wagtail admin API)."""
    return response.get(REFUSED_HEADER) == "1" or (
        response.status_code == 403 and b"CSRF Failed" in response.content
    )


def exemption(path):
    for pattern, (reason, statuses) in EXEMPT.items():
        if re.match("/" + pattern, path):
            return reason, statuses
    return None


def project_row_counts():
    """Rows per model of the project's apps and the Wagtail tables editors change."""
    labels = {"wagtailcore", "wagtaildocs", "wagtailimages", "auth", "taggit"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
        and (
            model.__module__.startswith(("participation.", "pages."))
            or model._meta.app_label in labels
        )
    }


@pytest.fixture
def calls_with_forms(home_page):
    """A survey, a draft and an idea call: the pages whose own URL takes a POST."""
    survey = SurveyCampaignPageFactory(parent=home_page, slug="csrf-survey")
    draft = add_draft(home_page, slug="csrf-draft")
    idea_call = add_idea_call(home_page, slug="csrf-ideas")
    return survey, draft, idea_call


@pytest.fixture
def administrator():
    return UserFactory(is_superuser=True, is_staff=True)


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.refuse")
def test_every_route_refuses_a_post_without_a_csrf_token(calls_with_forms, administrator):
    client = csrf_client(administrator)
    page_paths = [(page.url, None) for page in calls_with_forms]
    checked, not_refused = [], []
    before = project_row_counts()
    for path, _callback in [*routes(), *page_paths]:
        response = client.post(path, {"title": "x", "body": "x", "action": "publish"})
        checked.append(path)
        exempt = exemption(path)
        if exempt:
            reason, statuses = exempt
            assert refused_for_csrf(response) or response.status_code in statuses, (
                path,
                response.status_code,
                reason,
            )
        elif not refused_for_csrf(response):
            not_refused.append((path, response.status_code))
    assert project_row_counts() == before
    assert not not_refused, f"POST without a CSRF token not refused: {not_refused}"
    # The figure for the README, and a guard against the walk finding nothing.
    assert len(checked) > 300, len(checked)
    print(f"\n{len(checked)} routes refused a POST without a CSRF token.")


def test_the_routes_of_our_own_apps_are_all_reached():
    """Every view of our apps gets an example path, so none escapes the test above."""
    reached = {callback for _path, callback in routes()}
    ours = [
        (route, callback)
        for route, callback in walk(get_resolver())
        if getattr(callback, "__module__", "").startswith(("participation.", "pages.", "site."))
    ]
    missed = [route for route, callback in ours if callback not in reached]
    assert not missed
    assert len(ours) > 40, len(ours)


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.refuse")
def test_a_post_with_the_token_gets_past_the_check(calls_with_forms):
    """The control: the survey page takes the same POST once it carries the token."""
    survey = calls_with_forms[0]
    client = csrf_client(UserFactory(role="student"))
    token = client.get(survey.url).cookies["csrftoken"].value
    response = client.post(survey.url, {**valid_answers(), "csrfmiddlewaretoken": token})
    assert REFUSED_HEADER not in response and response.status_code in (200, 302)


def test_the_attachment_upload_checks_the_token_itself(home_page, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    page = add_idea_call(home_page, slug="csrf-upload")
    author = UserFactory(role="faculty", first_name="مریم", last_name="احمدی")
    idea = draft_idea(page, author)
    client = csrf_client(author)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(f"/ideas/{idea.uuid}/attachments/", {"file": upload})
    assert response.status_code == 403
    assert not IdeaAttachment.objects.exists()


@override_settings(CSRF_FAILURE_VIEW="tests.security.test_csrf.refuse")
def test_the_partner_api_ignores_the_session_cookie(calls_with_forms, administrator):
    """A signed-in browser's cookie is no credential for /api/hadaf/v1/: no CSRF needed."""
    client = csrf_client(administrator)
    operations = [path for path, _ in routes() if path.startswith("/api/hadaf/v1/")]
    before = project_row_counts()
    for path in operations:
        response = client.post(path, {}, content_type="application/json")
        assert refused_for_csrf(response) or response.status_code in (401, 404, 405, 422), (
            path,
            response.status_code,
        )
    assert project_row_counts() == before
