"""Editors make and change commitments in the Wagtail admin; saves go through the services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from participation.audit.models import AuditEvent
from participation.impact.choices import CommitmentStatus
from participation.impact.models import Commitment
from participation.jalali import jalali_text

from .conftest import decision_ref, idea_ref

pytestmark = pytest.mark.django_db


def form(call, cited=(), **fields):
    values = {
        "call": call.pk,
        "title": "انتشار عمومی گزارش مالی",
        "description": "",
        "responsible_unit": "دفتر تشکل‌ها",
        "university": "",
        "status": CommitmentStatus.PLANNED,
        "progress": "0",
        "due_date": "۱۴۰۵/۰۱/۰۱",
        "reason": "",
        "update_date": "",
        "milestones": inline_formset(
            [{"title": "تدوین دستورالعمل", "date": "۱۴۰۵/۰۲/۱۵", "done": ""}]
        ),
        **fields,
    }
    # The checkboxes post one value each (nested_form_data would number a list's items).
    return {**nested_form_data(values), "cited": list(cited)}


def test_an_editor_makes_a_commitment_with_jalali_dates_sources_and_milestones(
    client, editor, draft, decision
):
    client.force_login(editor)
    add_url = reverse("commitments:add")
    page = client.get(f"{add_url}?call={draft.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "آنچه به آن انجامید" in html and "دور ۱" in html  # Persian digits (person21)
    data = form(draft, cited=[decision_ref(decision).token])
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    commitment = Commitment.objects.get()
    assert commitment.due_date.isoformat() == "2026-03-21"
    assert commitment.milestones.get().date.isoformat() == "2026-05-05"
    assert [source.ref for source in commitment.sources.all()] == [decision_ref(decision)]
    assert AuditEvent.objects.filter(action="create_commitment").count() == 1
    index = client.get(reverse("commitments:index") + "?status=planned").content.decode()
    assert "انتشار عمومی گزارش مالی" in index
    # The due date as a Jalali date, not Wagtail's "0 minutes ago" (person21).
    assert "۱۴۰۵/۰۱/۰۱" in index and "دقیقه" not in index and "minute" not in index


def test_dropping_in_the_admin_without_a_reason_is_refused_on_the_form(
    client, editor, draft, decision, idea
):
    client.force_login(editor)
    client.post(reverse("commitments:add"), form(draft))
    commitment = Commitment.objects.get()
    edit_url = reverse("commitments:edit", args=[commitment.pk])
    milestone = commitment.milestones.get()
    milestones = inline_formset(
        [{"id": milestone.pk, "title": milestone.title, "date": "۱۴۰۵/۰۲/۱۵", "done": "on"}],
        initial=1,
    )
    dropped = form(draft, status=CommitmentStatus.DROPPED, milestones=milestones)
    response = client.post(edit_url, dropped)
    assert response.status_code == 200
    assert "بنویسید چرا تعهد کنار گذاشته می‌شود" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.PLANNED

    dropped = form(
        draft,
        status=CommitmentStatus.DROPPED,
        milestones=milestones,
        reason="بودجه تصویب نشد.",
        cited=[decision_ref(decision).token],
    )
    assert client.post(edit_url, dropped).status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.status_reason) == ("dropped", "بودجه تصویب نشد.")
    assert commitment.milestones.get().done
    assert AuditEvent.objects.filter(action="change_commitment").count() == 1
    assert AuditEvent.objects.filter(action="cite_sources").count() == 1

    news_url = reverse("commitments:news", args=[commitment.pk])
    assert client.get(news_url).status_code == 200
    assert client.post(news_url, {"text": "گزارش پایانی", "date": "۱۴۰۵/۰۳/۰۱"}).status_code == 302
    assert commitment.updates.filter(kind="note").get().date.isoformat() == "2026-05-22"
    # An idea from another call is not among this call's choices.
    foreign = form(draft, cited=[idea_ref(idea).token], reason="بودجه تصویب نشد.")
    assert client.post(edit_url, foreign).status_code == 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"progress": "150"}, "درصد"),
        ({"progress": "۱۵۰"}, "درصد"),
        ({"responsible_unit": "", "university": ""}, "دانشگاه"),
    ],
)
def test_figures_the_public_could_not_follow_are_refused_in_persian(
    client, editor, draft, fields, message
):
    client.force_login(editor)
    response = client.post(reverse("commitments:add"), form(draft, **fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Constraint" not in html and "violated" not in html
    assert not Commitment.objects.exists()


def test_done_in_the_admin_is_done_in_full(client, editor, draft):
    """«انجام شد» with 20% typed: saved as 100%, not refused by the model's constraint."""
    client.force_login(editor)
    response = client.post(
        reverse("commitments:add"), form(draft, status=CommitmentStatus.DONE, progress="20")
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Commitment.objects.get().progress == 100


def test_an_update_dated_in_the_future_is_refused_on_the_form_in_persian(client, editor, draft):
    client.force_login(editor)
    future = jalali_text(timezone.localdate() + datetime.timedelta(days=400))
    response = client.post(reverse("commitments:add"), form(draft, update_date=future))
    assert response.status_code == 200
    assert "آینده" in response.content.decode()
    assert not Commitment.objects.exists()

    client.post(reverse("commitments:add"), form(draft))
    commitment = Commitment.objects.get()
    edit_url = reverse("commitments:edit", args=[commitment.pk])
    milestone = commitment.milestones.get()
    milestones = inline_formset(
        [{"id": milestone.pk, "title": milestone.title, "date": "۱۴۰۵/۰۲/۱۵", "done": ""}],
        initial=1,
    )
    response = client.post(
        edit_url, form(draft, progress="30", update_date=future, milestones=milestones)
    )
    assert response.status_code == 200
    assert "آینده" in response.content.decode()
    news_url = reverse("commitments:news", args=[commitment.pk])
    response = client.post(news_url, {"text": "خبر", "date": future})
    assert response.status_code == 200
    assert "آینده" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.progress == 0
    assert commitment.updates.count() == 1
