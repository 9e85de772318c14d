"""Wagtail's v3 API at /api/v3/: its docs are self-contained, and it is read-only and
shows only live, public content to anonymous callers and partner sites alike."""

import json
import re

import pytest
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.pages.factories import StandardPageFactory
from tests.participation.partners.factories import grant_token, headers, make_partner
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}


@pytest.fixture
def pages(home_page):
    public = StandardPageFactory(parent=home_page, title="صفحهٔ عمومی", slug="public")
    private = StandardPageFactory(parent=home_page, title="صفحهٔ خصوصی", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    hidden_child = StandardPageFactory(parent=private, title="زیر صفحهٔ خصوصی", slug="child")
    draft = StandardPageFactory(parent=home_page, title="پیش‌نویس", slug="draft", live=False)
    public.title = "عنوان منتشرنشده"
    public.save_revision()  # unpublished changes: never shown
    return {"public": public, "private": private, "child": hidden_child, "draft": draft}


@pytest.fixture
def partner_headers(db):
    site, _key, key_text = make_partner()
    return headers(key_text, grant_token(site, UserFactory(is_superuser=True, is_staff=True)))


def listed_ids(client, **kwargs):
    response = client.get("/api/v3/pages/?limit=100", **kwargs)
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("as_partner", [False, True])
def test_listing_shows_only_live_public_pages(client, pages, partner_headers, as_partner):
    kwargs = partner_headers if as_partner else {}
    ids = listed_ids(client, **kwargs)
    assert pages["public"].pk in ids
    for hidden in ("private", "child", "draft"):
        assert pages[hidden].pk not in ids
        detail = client.get(f"/api/v3/pages/{pages[hidden].pk}/", **kwargs)
        assert detail.status_code == 404
    detail = client.get(f"/api/v3/pages/{pages['public'].pk}/?version=draft", **kwargs)
    assert detail.json()["title"] == "صفحهٔ عمومی"


def test_a_signed_in_session_does_not_unlock_private_pages(client, pages):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert pages["private"].pk not in listed_ids(client)


def test_find_by_path_does_not_reveal_private_pages(client, pages):
    response = client.get("/api/v3/pages/find/?html_path=/private/")
    assert response.status_code == 404


def test_documents_in_restricted_collections_are_not_listed(client, home_page):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    private = root.add_child(name="خصوصی")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    public_doc = Document.objects.create(title="عمومی", file=ContentFile(b"x", name="a.txt"))
    private_doc = Document.objects.create(
        title="خصوصی", file=ContentFile(b"y", name="b.txt"), collection=private
    )
    ids = {item["id"] for item in client.get("/api/v3/documents/").json()["items"]}
    assert public_doc.pk in ids and private_doc.pk not in ids
    assert client.get(f"/api/v3/documents/{private_doc.pk}/").status_code == 404


def write_operations(client):
    schema = client.get("/api/v3/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            if method in WRITE_METHODS:
                yield method, re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize("as_partner", [False, True])
def test_every_write_operation_is_refused(client, pages, partner_headers, as_partner):
    kwargs = partner_headers if as_partner else {}
    operations = list(write_operations(client))
    assert len(operations) > 10
    for method, path in operations:
        response = getattr(client, method)(
            path, json.dumps({"title": "x"}), content_type="application/json", **kwargs
        )
        assert response.status_code == 401, (method, path, response.status_code)
    assert listed_ids(client) == listed_ids(client)  # nothing changed or broke


@pytest.mark.parametrize("path", ["/api/v3/whoami/", "/api/v3/sites/", "/api/v3/schema/"])
def test_editor_only_reads_need_a_wagtail_token(client, partner_headers, path):
    assert client.get(path).status_code == 401
    assert client.get(path, **partner_headers).status_code == 401


@pytest.mark.parametrize(
    "query, status",
    [("limit=1000000", 400), ("limit=abc", 422), ("no_such_filter=1", 400), ("offset=-1", 422)],
)
def test_bad_queries_get_json_errors(client, pages, query, status):
    response = client.get(f"/api/v3/pages/?{query}")
    assert response.status_code == status
    assert (
        response["Content-Type"].startswith("application/") and "json" in response["Content-Type"]
    )
    assert response.json()["detail"]


@pytest.mark.parametrize("docs_url", ["/api/v3/docs/", "/api/hadaf/v1/docs/"])
def test_docs_pages_load_nothing_from_elsewhere(client, docs_url):
    response = client.get(docs_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html), html
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html):
        assert client.get(asset).status_code == 200, asset
    assert '"validatorUrl": null' in html


def test_openapi_documents_are_3_1(client):
    for url in ("/api/v3/openapi.json", "/api/hadaf/v1/openapi.json"):
        document = client.get(url).json()
        assert document["openapi"].startswith("3.1")
