"""The APIs never return drafts, private pages, hidden comments, private documents or
individual responses — neither to anonymous callers nor to a partner site with its key.

A site is seeded with one of each forbidden thing, every one carrying a distinctive
marker; every read endpoint of /api/v2/, /api/v3/ and the partner API is fetched, and
no marker (nor a forbidden page's id) may appear. Public content is listed, so the
test would notice an API that returned nothing at all.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from pages.models import IdeaCallPage, SurveyCampaignPage
from participation.drafts.choices import ModerationState
from participation.drafts.models import ClauseComment
from participation.ideas.models import IdeaAnswer
from tests.helpers.reports import make_survey, respond
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft, comment_on
from tests.participation.ideas.factories import QUESTION_TEAM, add_idea_call, idea_fields
from tests.participation.partners.factories import grant_token, headers, make_partner
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

MARKERS = {
    "draft_page": "عنوان-پیش‌نویس-هرگز-منتشرنشده",
    "unpublished_page": "عنوان-صفحهٔ-ازانتشارخارج‌شده",
    "unpublished_revision": "عنوان-بازبینی-منتشرنشده",
    "password_page": "عنوان-فراخوان-با-گذرواژه",
    "login_page": "عنوان-فراخوان-فقط-برای-اعضا",
    "group_page": "عنوان-فراخوان-گروه-ویژه",
    "hidden_comment": "متن-نظر-پنهان‌شده",
    "pending_comment": "متن-نظر-در-انتظار",
    "removed_comment": "متن-نظر-حذف‌شده",
    "private_document": "سند-مجموعهٔ-خصوصی",
    "survey_answer": "پاسخ-فردی-محرمانه",
    "idea_answer": "پاسخ-ایدهٔ-محرمانه",
    "idea_body": "شرح-ایدهٔ-ارسال‌شده",
}
PUBLIC_TITLE = "نظرسنجی عمومی فعالیت‌های فرهنگی"
PUBLIC_DOCUMENT = "سند عمومی راهنما"


def closed_survey(parent, slug, title):
    page = SurveyCampaignPage(
        title=title,
        slug=slug,
        opens_at=timezone.now() - datetime.timedelta(days=5),
        closes_at=timezone.now() + datetime.timedelta(days=5),
    )
    parent.add_child(instance=page)
    return page


@pytest.fixture
def seeded(home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    survey = make_survey(calls, slug="survey")
    survey.title = PUBLIC_TITLE
    survey.results_published = True
    survey.save_revision().publish()
    for _ in range(3):
        respond(survey, text=MARKERS["survey_answer"])

    forbidden = {}
    draft_page = closed_survey(calls, "never-published", MARKERS["draft_page"])
    draft_page.live = False
    draft_page.save()
    draft_page.save_revision()
    forbidden["draft_page"] = draft_page

    unpublished = closed_survey(calls, "unpublished", MARKERS["unpublished_page"])
    unpublished.save_revision().publish()
    unpublished.unpublish()
    forbidden["unpublished_page"] = unpublished

    survey.title = MARKERS["unpublished_revision"]
    survey.save_revision()  # saved, never published

    members = Group.objects.create(name="اعضای ویژه")
    for key, restriction in (
        ("password_page", {"restriction_type": "password", "password": "secret"}),
        ("login_page", {"restriction_type": "login"}),
        ("group_page", {"restriction_type": "groups"}),
    ):
        page = add_idea_call(calls, slug=key.replace("_", "-"), title=MARKERS[key])
        view_restriction = PageViewRestriction.objects.create(page=page, **restriction)
        if key == "group_page":
            view_restriction.groups.add(members)
        forbidden[key] = page

    draft = add_draft(calls, slug="bylaw")
    author = UserFactory(role="faculty")
    for key, state in (
        ("hidden_comment", ModerationState.HIDDEN),
        ("pending_comment", ModerationState.PENDING),
        ("removed_comment", ModerationState.REMOVED),
    ):
        comment = comment_on(draft, UserFactory(), body=MARKERS[key])
        ClauseComment.objects.filter(pk=comment.pk).update(moderation_state=state)

    from participation.ideas import services as ideas

    idea_call = IdeaCallPage.objects.get(pk=add_idea_call(calls, slug="ideas").pk)
    idea = ideas.start_idea(
        idea_call,
        author,
        fields=idea_fields(body=MARKERS["idea_body"]),
        answers=[IdeaAnswer(question_id=QUESTION_TEAM, text=MARKERS["idea_answer"])],
    )
    ideas.submit_idea(idea, idea_call, author)

    Document = get_document_model()
    root = Collection.get_first_root_node()
    private = root.add_child(name="اسناد داخلی")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    private_document = Document.objects.create(
        title=MARKERS["private_document"],
        collection=private,
        file=ContentFile(b"%PDF-1.4 private", name="private-guide.pdf"),
    )
    public_document = Document.objects.create(
        title=PUBLIC_DOCUMENT, file=ContentFile(b"%PDF-1.4 public", name="public-guide.pdf")
    )
    return {
        "survey": survey,
        "draft": draft,
        "idea_call": idea_call,
        "forbidden_pages": forbidden,
        "private_document": private_document,
        "public_document": public_document,
    }


@pytest.fixture(params=["anonymous", "partner"])
def caller(request, db):
    """Keyword arguments for the test client: nothing, or a partner's key and a token."""
    if request.param == "anonymous":
        return {}
    site, _key, key_text = make_partner()
    return headers(key_text, grant_token(site, UserFactory()))


def endpoints(seeded):
    """Every read URL to try, with the forbidden ids asked for directly."""
    forbidden_ids = [page.pk for page in seeded["forbidden_pages"].values()]
    public_ids = [seeded["survey"].pk, seeded["draft"].pk, seeded["idea_call"].pk]
    private_document = seeded["private_document"].pk
    urls = [
        "/api/v2/pages/?fields=*&limit=100",
        "/api/v2/pages/?type=pages.SurveyCampaignPage&fields=*&limit=100",
        "/api/v2/pages/?type=pages.RegulationDraftPage&fields=*&limit=100",
        "/api/v2/pages/?type=pages.IdeaCallPage&fields=*&limit=100",
        "/api/v2/pages/?search=فراخوان&limit=100",
        "/api/v2/images/?fields=*",
        "/api/v2/documents/?fields=*&limit=100",
        f"/api/v2/documents/{private_document}/",
        "/api/v3/pages/?limit=100",
        "/api/v3/schema/",
        "/api/v3/sites/",
        "/api/v3/whoami/",
        "/api/hadaf/v1/me/",
    ]
    for page_id in public_ids + forbidden_ids:
        urls += [
            f"/api/v2/pages/{page_id}/?fields=*",
            f"/api/v3/pages/{page_id}/",
            f"/api/v3/pages/{page_id}/revisions/",
            f"/api/hadaf/v1/calls/{page_id}/",
        ]
    for page in seeded["forbidden_pages"].values():
        urls += [
            f"/api/v2/pages/find/?html_path={page.url_path.removeprefix('/home-test')}",
            f"/api/v3/pages/find/?html_path={page.url_path.removeprefix('/home-test')}",
        ]
    return urls


def asked_for(url):
    """The page id a detail URL asks for (``/api/…/pages/<id>/``, ``/calls/<id>/``), or None."""
    parts = [part for part in url.split("?")[0].split("/") if part]
    for name, value in zip(parts, parts[1:], strict=False):
        if name in ("pages", "calls") and value.isdigit():
            return int(value)
    return None


def listed_page_ids(body):
    items = body.get("items", []) if isinstance(body, dict) else body
    return {item.get("id") for item in items if isinstance(item, dict)}


def test_no_api_returns_forbidden_content(client, seeded, caller):
    forbidden_ids = {page.pk for page in seeded["forbidden_pages"].values()}
    leaks = []
    public_seen = False
    for url in endpoints(seeded):
        response = client.get(url, **caller)
        text = response.content.decode("utf-8", "replace")
        public_seen = public_seen or PUBLIC_TITLE in text
        for name, marker in MARKERS.items():
            if marker in text:
                leaks.append((url, response.status_code, name))
        if seeded["private_document"].file.name in text:
            leaks.append((url, response.status_code, "private_document file"))
        if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
            listed = listed_page_ids(response.json()) & forbidden_ids
            if listed:
                leaks.append((url, response.status_code, f"page ids {sorted(listed)}"))
        if response.status_code == 200 and asked_for(url) in forbidden_ids:
            leaks.append((url, 200, "a forbidden page or call by its id"))
    assert leaks == []
    assert public_seen, "the public survey should be listed: is the API answering at all?"


def test_the_document_endpoint_lists_public_documents_only(client, seeded, caller):
    response = client.get("/api/v2/documents/?fields=*&limit=100", **caller)
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert PUBLIC_DOCUMENT in titles
    assert MARKERS["private_document"] not in titles


def test_a_private_document_file_is_not_served_to_anonymous_visitors(client, seeded):
    document = seeded["private_document"]
    response = client.get(document.url)
    assert response.status_code in (302, 403, 404)
    assert b"private" not in b"".join(getattr(response, "streaming_content", [response.content]))
