"""Editors set dates in the Wagtail admin in Jalali (Persian) or Gregorian (English).

The page editor posts what the editor typed; what is stored is Gregorian, UTC for
date-times, whatever the admin's language.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from pages.models import RegulationDraftPage
from tests.participation.drafts.factories import add_draft
from tests.participation.drafts.test_paste_admin import edit_form_data
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
EDITED = datetime.datetime(2026, 12, 7, 4, 30, tzinfo=UTC)  # 1405/09/16 08:00 in Tehran


@pytest.fixture
def draft(home_page):
    from tests.pages.factories import CallIndexPageFactory

    return add_draft(CallIndexPageFactory(parent=home_page, slug="calls"))


def editor_client(language="fa"):
    user = UserFactory(email=f"editor-{language}@ministry.test", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def latest(page):
    return RegulationDraftPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def timeline(start, end=""):
    """The body's StreamField data: one timeline block with one phase, dates as typed."""
    phase = {"title": "دریافت نظرها", "start_date": start, "end_date": end, "description": ""}
    phases = {"0": {"value": phase, "deleted": "", "order": "0", "id": ""}, "count": "1"}
    return {
        "0": {
            "type": "timeline",
            "value": {"heading": "", "phases": phases},
            "deleted": "",
            "order": "0",
        },
        "count": "1",
    }


def test_jalali_typed_in_the_persian_admin_is_stored_as_gregorian_utc(draft):
    client = editor_client("fa")
    data = edit_form_data(
        draft,
        opens_at="۱۴۰۵/۰۹/۱۶ ۰۸:۰۰",
        closes_at="1405/10/01 12:00",
        go_live_at="",
        body=timeline("۱۴۰۵/۰۹/۱۶", "1405/12/29"),
    )
    response = client.post(edit_url(draft), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    saved = latest(draft)
    assert saved.opens_at == EDITED
    assert saved.closes_at == datetime.datetime(2026, 12, 22, 8, 30, tzinfo=UTC)
    phase = saved.body[0].value["phases"][0]
    assert phase["start_date"] == datetime.date(2026, 12, 7)
    assert phase["end_date"] == datetime.date(2027, 3, 20)


def test_the_persian_editor_shows_stored_dates_in_jalali_with_the_picker(draft):
    draft.opens_at = EDITED
    draft.save_revision()
    html = editor_client("fa").get(edit_url(draft)).content.decode()
    assert 'value="۱۴۰۵/۰۹/۱۶ ۰۸:۰۰"' in html
    assert "vendor/jalalidatepicker/jalalidatepicker.min.js" in html
    assert "js/admin-jalali-dates.js" in html
    # The label still points at the input, which stays a plain text input.
    assert 'for="id_opens_at"' in html
    assert 'id="id_opens_at"' in html and 'initDateTimeChooser("id_opens_at"' not in html


def test_iso_gregorian_still_works_in_the_persian_admin(draft):
    response = editor_client("fa").post(
        edit_url(draft), edit_form_data(draft, opens_at="2026-12-07 08:00")
    )
    assert response.status_code == 302
    assert latest(draft).opens_at == EDITED


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1405/13/01 08:00", "چنین تاریخی در تقویم هجری خورشیدی وجود ندارد."),
        ("1405/12/31 08:00", "چنین تاریخی در تقویم هجری خورشیدی وجود ندارد."),
        ("1404/12/30", "چنین تاریخی در تقویم هجری خورشیدی وجود ندارد."),
        ("1405/09/16 25:00", "چنین زمانی وجود ندارد"),
        ("شانزدهم آذر", "سال/ماه/روز ساعت:دقیقه"),
    ],
)
def test_an_impossible_date_is_refused_in_persian_and_nothing_is_saved(draft, typed, error):
    revisions = draft.revisions.count()
    response = editor_client("fa").post(edit_url(draft), edit_form_data(draft, opens_at=typed))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert draft.revisions.count() == revisions
    assert latest(draft).opens_at == draft.opens_at


def test_an_impossible_streamfield_date_is_refused(draft):
    revisions = draft.revisions.count()
    response = editor_client("fa").post(
        edit_url(draft), edit_form_data(draft, body=timeline("1405/12/31"))
    )
    assert response.status_code == 200
    assert draft.revisions.count() == revisions


def test_the_english_admin_keeps_gregorian(draft):
    client = editor_client("en")
    html = client.get(edit_url(draft)).content.decode()
    assert "jalalidatepicker" not in html
    assert 'initDateTimeChooser("id_opens_at"' in html

    response = client.post(
        edit_url(draft),
        edit_form_data(draft, opens_at="2026-12-07 08:00", body=timeline("2026-12-07")),
    )
    assert response.status_code == 302
    saved = latest(draft)
    assert saved.opens_at == EDITED
    assert saved.body[0].value["phases"][0]["start_date"] == datetime.date(2026, 12, 7)
    html = client.get(edit_url(draft)).content.decode()
    assert 'value="2026-12-07 08:00"' in html
