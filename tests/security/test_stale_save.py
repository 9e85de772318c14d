"""Two editors saving the same call: the save made from an outdated copy is refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pages.models import RegulationDraftPage
from pages.wagtail_hooks import STALE_SAVE_MESSAGE
from tests.participation.drafts.conftest import add_draft
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
