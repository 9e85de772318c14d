"""The published opinion map on the public pages and in /api/v2/ and /api/v3/.

Nothing before an editor publishes, nothing of a newer unpublished computation, and never
anything per participant: no dot, no position, no account.
"""

import json
import re

import pytest
from django.urls import reverse

from participation.choices import ModerationState
from participation.opinions import maps
from participation.opinions.models import StatementVote
from tests.people.factories import UserFactory

from .maps_data import plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(seeded):
    return plant(seeded, {"a": 8, "b": 7})


@pytest.fixture
def computed(survey, people):
    return maps.recompute(survey.call_key)


@pytest.fixture
def published(computed, editor, survey):
    return maps.publish(editor, survey, computed)


def statements_page(client, survey):
    return client.get(reverse("opinions:statements", args=[survey.call_key]))


def map_page(client, survey):
    return client.get(reverse("opinions:map", args=[survey.call_key]))


def api_detail(client, survey):
    return client.get(f"/api/v2/pages/{survey.pk}/").json()


def no_participant_data(text, people):
    for user in [member for members in people.values() for member in members]:
        assert user.email not in text
        assert user.get_full_name() not in text or not user.get_full_name()


def test_nothing_is_shown_before_the_editor_publishes(client, survey, computed, participant):
    client.force_login(participant)
    assert 'id="opinion-map"' not in statements_page(client, survey).content.decode()
    assert map_page(client, survey).status_code == 404
    client.logout()
    assert api_detail(client, survey)["opinion_map"] is None


def test_the_published_map_draws_groups_as_labelled_regions_beside_a_table(
    client, survey, published, people, participant, seeded
):
    client.force_login(participant)
    html = statements_page(client, survey).content.decode()
    section = html[html.index('id="opinion-map"') :]
    # One ellipse per group, no dots of individuals.
    assert section.count("<ellipse") == 2
    assert "<circle" not in section and "<script" not in section
    assert "گروه ۱" in section and "گروه ۲" in section
    assert "۸ نفر" in section and "۷ نفر" in section  # sizes, in Persian digits
    assert "<table" in section and "<caption>" in section
    assert "نظر هر گروه" in section or "What each group thinks" in section
    # Group 1 agree with the first statement, all of them: ۱۰۰٪.
    assert seeded[0].text in section
    assert "۱۰۰٪" in section
    # The shared statement (everyone agrees with the last one).
    assert seeded[7].text in section
    no_participant_data(html, people)
    # Numbers in SVG attributes are plain ASCII (not localised), so the drawing renders.
    for value in re.findall(r'(?:cx|cy|rx|ry)="([^"]+)"', section):
        float(value)


def test_the_map_page_and_the_api_show_the_published_map(client, survey, published, people):
    response = map_page(client, survey)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<ellipse") == 2
    # One heading names the page; the map's own h2 is for where it sits under a call.
    headings = re.findall(r"<h[1-3][^>]*>([^<]*)</h[1-3]>", html)
    assert headings.count("نقشهٔ نظرها") == 1, headings
    assert html.count('id="opinion-map-heading"') == 1
    body = api_detail(client, survey)["opinion_map"]
    assert [group["size"] for group in body["groups"]] == [8, 7]
    assert body["min_group"] == 5 and body["participants"] == 15
    assert body["groups"][0]["label"] == "گروه ۱"  # in the page's language and digits
    assert body["consensus"] and body["consensus"][0]["direction"] == "agree"
    first = body["groups"][0]["representative"][0]
    assert set(first) == {
        "statement",
        "kind",
        "kind_label",
        "text",
        "context",
        "direction",
        "by_group",
        "everyone",
    }
    assert first["kind"] == "statement" and first["context"] == ""
    assert [share["group"] for share in first["by_group"]] == [1, 2]
    text = json.dumps(body, ensure_ascii=False)
    no_participant_data(text, people)
    for word in ("center", "spread", "coordinates", "participant_id", "labels"):
        assert word not in text


def test_a_newer_unpublished_computation_does_not_leak(client, survey, published, seeded):
    for _ in range(6):  # six newcomers disagreeing with everything
        user = UserFactory()
        for statement in seeded:
            StatementVote.objects.create(statement=statement, participant=user, value=-1)
    newer = maps.recompute(survey.call_key)
    assert newer.data != published.data
    body = api_detail(client, survey)["opinion_map"]
    assert body["participants"] == 15
    html = map_page(client, survey).content.decode()
    assert "۸ نفر" in html and "۲۱" not in html


def test_withdrawing_the_map_hides_it_everywhere(client, survey, published, editor):
    maps.unpublish(editor, survey)
    assert map_page(client, survey).status_code == 404
    assert api_detail(client, survey)["opinion_map"] is None


def test_a_statement_removed_after_publication_is_not_shown(
    client, survey, published, seeded, editor
):
    from participation.opinions import services

    services.moderate(editor, seeded[7], call=survey, approve=False)
    assert seeded[7].text not in map_page(client, survey).content.decode()
    body = json.dumps(api_detail(client, survey)["opinion_map"], ensure_ascii=False)
    assert seeded[7].text not in body


def test_hidden_shares_are_null_in_the_api_and_said_on_the_page(client, survey, seeded, editor):
    # Group a (8) and b (7) vote everything; only 3 of b voted on the first statement.
    people = plant(seeded, {"a": 8, "b": 7})
    StatementVote.objects.filter(statement=seeded[0], participant__in=people["b"][3:]).delete()
    maps.publish(editor, survey, maps.recompute(survey.call_key))
    body = api_detail(client, survey)["opinion_map"]
    first = str(seeded[0].uuid)
    listed = [
        row
        for row in [*body["consensus"], *body["divisive"]]
        + [r for g in body["groups"] for r in g["representative"]]
        if row["statement"] == first
    ]
    for row in listed:  # any listing of it hides group b's three voters, and everyone's
        assert row["by_group"][1]["voters"] is None and row["everyone"]["voters"] is None
    snapshot = maps.published(survey.call_key)
    assert snapshot.data["items"][first]["groups"][1] == {"n": None}


def test_a_map_with_no_group_cannot_be_published_from_the_admin(client, survey, editor, seeded):
    snapshot = maps.recompute(survey.call_key)  # nobody voted
    client.force_login(editor)
    client.post(reverse("hadaf_opinion_map:publish", args=[survey.pk]), {"snapshot": snapshot.pk})
    assert maps.published(survey.call_key) is None


def test_the_opinion_map_field_is_in_the_v3_openapi_schema(client):
    schema = client.get("/api/v3/openapi.json").json()
    text = json.dumps(schema)
    assert '"opinion_map"' in text
    components = schema["components"]["schemas"]
    assert "OpinionMapOut" in components and "GroupOut" in components
    assert {"groups", "consensus", "min_group"} <= set(components["OpinionMapOut"]["properties"])
    assert "center" not in components["GroupOut"]["properties"]


def test_the_v3_detail_shows_the_published_map(client, survey, published):
    body = client.get(f"/api/v3/pages/{survey.pk}/").json()
    assert [group["size"] for group in body["opinion_map"]["groups"]] == [8, 7]


def test_statement_texts_in_the_api_are_published_ones(client, survey, published, seeded):
    seeded[0].moderation_state = ModerationState.REMOVED
    seeded[0].save()
    text = json.dumps(api_detail(client, survey), ensure_ascii=False)
    assert seeded[0].text not in text


def test_publishing_and_withdrawing_make_kept_pages_and_api_responses_stale(
    client, survey, published, editor
):
    from django.core.cache import cache
    from django.test import override_settings

    cache.clear()
    with override_settings(HADAF_PAGE_CACHE_SECONDS=300, HADAF_API_CACHE_SECONDS=60):
        assert map_page(client, survey)["X-Hadaf-Cache"] == "miss"
        assert map_page(client, survey)["X-Hadaf-Cache"] == "hit"
        assert api_detail(client, survey)["opinion_map"] is not None
        assert client.get(f"/api/v2/pages/{survey.pk}/")["X-Hadaf-API-Cache"] == "hit"
        maps.unpublish(editor, survey)
        assert map_page(client, survey).status_code == 404
        assert api_detail(client, survey)["opinion_map"] is None
        maps.publish(editor, survey, maps.recompute(survey.call_key))
        assert api_detail(client, survey)["opinion_map"] is not None
    cache.clear()
