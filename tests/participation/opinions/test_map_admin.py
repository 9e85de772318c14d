"""The editor's opinion map in the Wagtail admin: view, publish, withdraw, export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from participation.audit.choices import AuditAction
from participation.audit.models import AuditEvent
from participation.opinions import maps
from participation.opinions.models import OpinionMapSnapshot
from tests.people.factories import UserFactory

from .maps_data import plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(seeded):
    roles = {"a": ["student"] * 7 + ["faculty"], "b": ["student"] * 7}
    return plant(seeded, {"a": 8, "b": 7}, roles=roles)


@pytest.fixture
def computed(survey, people):
    return maps.recompute(survey.call_key)


def url(name, survey, *args):
    return reverse(f"hadaf_opinion_map:{name}", args=[survey.pk, *args])


def test_the_editor_sees_the_latest_map_and_the_breakdowns(client, editor, survey, computed):
    client.force_login(editor)
    response = client.get(url("map", survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<ellipse") == 2
    assert "گروه ۱" in html
    # One faculty member in group 1: hidden, and so is what would give it back.
    breakdown = html[html.index('class="results-table"') :]
    assert "<span title=" in breakdown and "—" in breakdown
    assert f'name="snapshot" value="{computed.pk}"' in html


def test_others_may_not_see_or_publish(client, survey, computed):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url("map", survey)).status_code in (302, 403)
    client.post(url("publish", survey), {"snapshot": computed.pk})
    assert maps.published(survey.call_key) is None


def test_publishing_and_withdrawing_are_audited(client, editor, survey, computed):
    client.force_login(editor)
    response = client.post(url("publish", survey), {"snapshot": computed.pk})
    assert response.status_code == 302
    assert maps.published(survey.call_key) == computed
    client.post(url("unpublish", survey))
    assert maps.published(survey.call_key) is None
    actions = list(
        AuditEvent.objects.filter(call_key=survey.call_key, actor=editor)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.PUBLISH_RESULTS, AuditAction.UNPUBLISH_RESULTS]


@pytest.mark.parametrize("value", ["", "x", "999999"])
def test_publishing_a_snapshot_that_is_not_this_calls_changes_nothing(
    client, editor, survey, computed, value
):
    client.force_login(editor)
    client.post(url("publish", survey), {"snapshot": value})
    assert maps.published(survey.call_key) is None


def test_recompute_now_without_a_worker_computes_here(client, editor, survey, people):
    client.force_login(editor)
    client.post(url("recompute", survey))
    assert OpinionMapSnapshot.objects.filter(call_key=survey.call_key).count() == 1


def test_the_xlsx_export_has_the_group_level_statistics(client, editor, survey, computed, seeded):
    client.force_login(editor)
    response = client.get(url("export", survey, "xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 5
    summary, groups, statements, by_role = (workbook.worksheets[i] for i in range(4))
    assert summary.sheet_view.rightToLeft
    values = [cell.value for cell in summary[2]]
    assert "۱۴" in values[1]  # the Solar Hijri date, Persian digits
    assert [row[1] for row in groups.iter_rows(min_row=2, values_only=True)] == [8, 7]
    rows = list(statements.iter_rows(min_row=2, values_only=True))
    first = [row for row in rows if row[2] == str(seeded[0].uuid)]
    assert first[0][1] == "گزاره"  # the item's kind
    assert [row[3] for row in first] == ["گروه ۱", "گروه ۲", first[2][3]]
    assert first[0][4:6] == (8, 100)
    role_rows = list(by_role.iter_rows(values_only=True))
    assert len(role_rows[0]) == 3  # group, faculty, student
    assert role_rows[1][1:] == (None, None)  # the lone faculty member is hidden, and its complement
    assert role_rows[2][1:] == (None, None) or None not in role_rows[2][1:]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, call_key=survey.call_key).exists()


def test_the_csv_export_has_a_bom_and_no_formulas(client, editor, survey, computed):
    client.force_login(editor)
    response = client.get(url("export", survey, "csv"))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert any(row and row[0] == "گروه ۱" for row in rows)
    assert not any(cell.startswith("=") for row in rows for cell in row)
