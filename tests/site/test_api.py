"""The read API at /api/v2/: live, public pages only; no participation data."""

import json

import pytest

from participation.drafts import services
from participation.drafts.choices import CommentKind, Stance
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_list_and_detail(client, home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    draft = add_draft(calls)
    hidden = add_draft(calls, slug="unpublished")
    hidden.unpublish()
    services.post_comment(
        draft,
        UserFactory(),
        clause_id=CLAUSE_A,
        kind=CommentKind.CLAUSE,
        stance=Stance.OPPOSE,
        body="متن نظر شخصی",
        language="fa",
    )

    listing = client.get("/api/v2/pages/?type=pages.RegulationDraftPage&fields=*")
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [item["id"] for item in items] == [draft.pk]
    detail = client.get(f"/api/v2/pages/{draft.pk}/")
    body = detail.content.decode()
    assert detail.status_code == 200
    assert json.loads(body)["draft_text"][1]["type"] == "article"
    assert "متن نظر شخصی" not in body
    assert client.get(f"/api/v2/pages/{hidden.pk}/").status_code == 404


def test_the_limit_is_capped(client, home_page, settings):
    response = client.get("/api/v2/pages/?limit=100000")
    assert response.status_code == 200
    assert response.json()["meta"]["limit"] == settings.WAGTAILAPI_LIMIT_MAX
    assert response["X-API-Limit"] == str(settings.WAGTAILAPI_LIMIT_MAX)
