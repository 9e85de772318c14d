"""Two editors saving the same call: the save made from an outdated copy is refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pages.models import RegulationDraftPage
from pages.wagtail_hooks import STALE_SAVE_MESSAGE
from tests.participation.drafts.factories import add_draft
from tests.participation.drafts.test_paste_admin import edit_form_data
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

LOADED = re.compile(r'name="(loaded_revision_id|loaded_revision_created_at)" value="([^"]*)"')


@pytest.fixture
def draft(home_page):
    from tests.pages.factories import CallIndexPageFactory

    return add_draft(CallIndexPageFactory(parent=home_page, slug="calls"))


def editor_client(email):
    client = Client()
    client.force_login(UserFactory(email=email, is_superuser=True, is_staff=True))
    return client


def open_editor(client, page):
    """Load the page editor; the revision markers it carries, as the browser would post them."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return dict(LOADED.findall(response.content.decode()))


def save(client, page, loaded, **changes):
    data = {**edit_form_data(page, **changes), **loaded}
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def latest(page):
    return RegulationDraftPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_the_second_save_from_an_outdated_copy_is_refused_and_nothing_is_overwritten(draft):
    first, second = editor_client("a@ministry.test"), editor_client("b@ministry.test")
    loaded_by_first, loaded_by_second = open_editor(first, draft), open_editor(second, draft)
    assert loaded_by_first["loaded_revision_id"] == str(draft.latest_revision_id)

    saved = save(first, draft, loaded_by_first, title="عنوان ویرایش اول")
    assert saved.status_code == 302
    revisions = draft.revisions.count()

    refused = save(second, draft, loaded_by_second, title="عنوان ویرایش دوم")
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert draft.revisions.count() == revisions
    assert latest(draft).title == "عنوان ویرایش اول"
    messages = [str(message) for message in get_messages(refused.wsgi_request)]
    # In the editor's language, whichever it is.
    with translation.override("fa"):
        persian = str(STALE_SAVE_MESSAGE)
    with translation.override("en"):
        english = str(STALE_SAVE_MESSAGE)
    assert persian != english
    assert any(persian in m or english in m for m in messages), messages

    # After reloading, the second editor's save goes through.
    retried = save(second, draft, open_editor(second, draft), title="عنوان ویرایش دوم")
    assert retried.status_code == 302
    assert latest(draft).title == "عنوان ویرایش دوم"


def test_publishing_from_an_outdated_copy_is_refused_too(draft):
    first, second = editor_client("a@ministry.test"), editor_client("b@ministry.test")
    loaded_by_second = open_editor(second, draft)
    save(first, draft, open_editor(first, draft), title="عنوان ویرایش اول")

    data = {"action-publish": "action-publish", **loaded_by_second}
    refused = save(second, draft, data, title="عنوان منتشرنشده")
    assert refused.status_code == 302
    draft.refresh_from_db()
    assert draft.title != "عنوان منتشرنشده"
    assert latest(draft).title == "عنوان ویرایش اول"


def test_an_autosave_revision_that_is_not_the_latest_is_refused(draft):
    first, second = editor_client("a@ministry.test"), editor_client("b@ministry.test")
    own_revision = draft.latest_revision_id
    save(first, draft, open_editor(first, draft), title="عنوان ویرایش اول")

    refused = save(second, draft, {"overwrite_revision_id": str(own_revision)}, title="دوم")
    assert refused.status_code == 302
    assert latest(draft).title == "عنوان ویرایش اول"


# ---- Wagtail's autosave: the same editing session's own revisions ------------------------
# Wagtail 8 autosaves in the background (JSON requests) and sends the revision it keeps
# overwriting as ``overwrite_revision_id``; static/js/admin-autosave-revision.js keeps that
# id in the form, so the editor's full save carries it too (tests/browser/
# test_admin_autosave.py runs the real sequence in Chromium).

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}


def autosave(client, url, data):
    """A background save as Wagtail's autosave controller sends it; its JSON answer."""
    response = client.post(url, data, **AUTOSAVE)
    assert response.status_code in {200, 400}, response.content[:500]
    return response.json()


def test_the_editor_page_keeps_the_autosaved_revision_for_the_full_save(draft):
    html = editor_client("a@ministry.test").get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert "js/admin-autosave-revision.js" in html.content.decode()


def test_a_save_after_the_editors_own_autosaves_goes_through(draft):
    editor = editor_client("a@ministry.test")
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    loaded = open_editor(editor, draft)

    first = autosave(editor, url, {**edit_form_data(draft, title="خودکار ۱"), **loaded})
    assert first["success"] is True
    own = str(first["revision_id"])
    second = autosave(
        editor,
        url,
        {**edit_form_data(draft, title="خودکار ۲"), **loaded, "overwrite_revision_id": own},
    )
    assert str(second["revision_id"]) == own  # overwritten, not a new revision
    revisions = draft.revisions.count()

    # The form as the browser now posts it: what was loaded, plus the autosaved revision.
    saved = save(editor, draft, {**loaded, "overwrite_revision_id": own}, title="ذخیرهٔ دستی")
    assert saved.status_code == 302
    messages = [str(message) for message in get_messages(saved.wsgi_request)]
    assert not [m for m in messages if str(STALE_SAVE_MESSAGE) in m], messages
    assert latest(draft).title == "ذخیرهٔ دستی"
    # Wagtail folds the autosaves and the save into the one revision of this session.
    assert draft.revisions.count() == revisions


def test_a_page_created_by_autosave_can_then_be_saved(draft):
    """The issue's sequence: the create view's first autosave makes the page, the editor goes
    on editing (more autosaves), then saves a draft."""
    editor = editor_client("a@ministry.test")
    calls = draft.get_parent()
    create_url = reverse("wagtailadmin_pages:add", args=["pages", "regulationdraftpage", calls.pk])
    unsaved = RegulationDraftPage(
        title="پیش‌نویس تازه",
        slug="new-draft",
        opens_at=draft.opens_at,
        closes_at=draft.closes_at,
        draft_text=[],
    )
    created = autosave(editor, create_url, edit_form_data(unsaved))
    assert created["success"] is True
    page = RegulationDraftPage.objects.get(pk=created["pk"])
    own = str(created["revision_id"])

    # Wagtail hydrates the create view into an edit view: the revision markers arrive then.
    hydrated = editor.get(created["hydrate_url"]).content.decode()
    loaded = dict(LOADED.findall(hydrated))
    assert loaded["loaded_revision_id"] == own

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    again = autosave(
        editor,
        url,
        {**edit_form_data(page, title="پیش‌نویس تازه ۲"), **loaded, "overwrite_revision_id": own},
    )
    assert str(again["revision_id"]) == own

    saved = save(editor, page, {**loaded, "overwrite_revision_id": own}, title="پیش‌نویس نهایی")
    assert saved.status_code == 302
    assert latest(page).title == "پیش‌نویس نهایی"


def test_a_colleagues_save_after_my_autosave_still_makes_my_save_stale(draft):
    mine, colleague = editor_client("a@ministry.test"), editor_client("b@ministry.test")
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    loaded = open_editor(mine, draft)
    own = str(
        autosave(mine, url, {**edit_form_data(draft, title="خودکار"), **loaded})["revision_id"]
    )

    # The colleague opens the page after my autosave and saves.
    assert save(colleague, draft, open_editor(colleague, draft), title="همکار").status_code == 302

    # My next autosave is refused by Wagtail, and my full save by the guard.
    refused_autosave = autosave(
        mine,
        url,
        {**edit_form_data(draft, title="خودکار ۲"), **loaded, "overwrite_revision_id": own},
    )
    assert refused_autosave["error_code"] == "invalid_revision"
    revisions = draft.revisions.count()
    refused = save(mine, draft, {**loaded, "overwrite_revision_id": own}, title="من")
    assert refused.status_code == 302
    assert refused["Location"] == url
    assert draft.revisions.count() == revisions
    assert latest(draft).title == "همکار"
