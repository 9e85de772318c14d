"""The opinion map as a service: computed from the votes, stored at group level, published."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
from django.test import override_settings
from django.utils import timezone

from participation.audit.choices import AuditAction
from participation.audit.models import AuditEvent
from participation.opinions import maps, services, tasks
from participation.opinions.models import OpinionMapSnapshot, StatementVote
from tests.people.factories import UserFactory

from .maps_data import plant

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def dummy_tasks():
    from django_tasks import task_backends

    with override_settings(TASKS=DUMMY_TASKS, HADAF_OPINION_MAP_DELAY=30):
        backend = task_backends["default"]
        backend.results.clear()
        yield backend


@pytest.fixture(autouse=True)
def _no_pending_marks():
    from django.core.cache import cache

    cache.clear()


def test_recompute_finds_the_planted_groups_and_keeps_group_level_data(seeded, survey):
    people = plant(seeded, {"a": 8, "b": 7})
    snapshot = maps.recompute(survey.call_key)
    assert snapshot.participant_count == 15
    assert snapshot.vote_count == 15 * len(seeded)
    assert not snapshot.published
    data = snapshot.data
    assert [group["size"] for group in data["groups"]] == [8, 7]  # largest first
    assert [group["key"] for group in data["groups"]] == [1, 2]
    assert data["in_groups"] == 15 and not data["withheld"]
    # Group 1 (the eight of pattern a) agree with statement 0; group 2 (b) disagree.
    first = data["items"][str(seeded[0].uuid)]
    assert first["groups"][0] == {"n": 8, "agree": 100, "disagree": 0, "pass": 0}
    assert first["groups"][1] == {"n": 7, "agree": 0, "disagree": 100, "pass": 0}
    assert first["all"] == {"n": 15, "agree": 53, "disagree": 47, "pass": 0}
    # Everyone agrees with the last statement: it is what they share.
    assert {"statement": str(seeded[7].uuid), "direction": "agree"} in data["consensus"]
    # Each group has representative statements.
    assert all(data["representative"])
    # No participant's id, email or position anywhere in what is stored.
    text = json.dumps(data)
    for user in [*people["a"], *people["b"]]:
        assert user.email not in text
    assert set(data) == {
        "version",
        "threshold",
        "participants",
        "in_groups",
        "merged",
        "withheld",
        "groups",
        "items",
        "representative",
        "consensus",
        "divisive",
        "breakdown",
        "columns",
    }
    assert data["columns"] == {}  # statements only: they need no stored name
    assert all(set(group) == {"key", "size", "center", "spread"} for group in data["groups"])


def test_recompute_is_deterministic(seeded, survey):
    plant(seeded, {"a": 8, "b": 7, "c": 6}, flip_every=5)
    first = maps.recompute(survey.call_key).data
    assert maps.recompute(survey.call_key).data == first


def test_statements_not_published_weigh_nothing_and_are_not_reported(seeded, survey, editor):
    plant(seeded, {"a": 8, "b": 7})
    services.moderate(editor, seeded[0], call=survey, approve=False)
    data = maps.recompute(survey.call_key).data
    assert str(seeded[0].uuid) not in data["items"]
    listed = [row["statement"] for rows in data["representative"] for row in rows]
    assert str(seeded[0].uuid) not in listed + [row["statement"] for row in data["consensus"]]


def test_old_unpublished_snapshots_are_pruned_but_the_published_one_stays(seeded, survey, editor):
    plant(seeded, {"a": 6, "b": 6})
    first = maps.publish(editor, survey, maps.recompute(survey.call_key))
    for _ in range(maps.KEEP_UNPUBLISHED + 2):
        maps.recompute(survey.call_key)
    snapshots = OpinionMapSnapshot.objects.filter(call_key=survey.call_key)
    assert snapshots.filter(published=False).count() == maps.KEEP_UNPUBLISHED
    assert maps.published(survey.call_key) == first


def test_an_empty_conversation_gives_an_empty_map(seeded, survey):
    snapshot = maps.recompute(survey.call_key)
    assert snapshot.data["groups"] == [] and not snapshot.data["withheld"]
    assert snapshot.participant_count == 0


# ---- Background recomputation ----------------------------------------------------------------


def test_a_burst_of_votes_queues_one_recomputation_after_commit(
    seeded, survey, others, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(others[0], seeded[0], 1, call=survey)
        assert dummy_tasks.results == []  # not before the vote commits
    assert len(dummy_tasks.results) == 1
    for person in others:
        with django_capture_on_commit_callbacks(execute=True):
            for statement in seeded[:4]:
                services.vote(person, statement, -1, call=survey)
    [queued] = dummy_tasks.results
    assert queued.task.name == tasks.recompute_opinion_map.name
    assert queued.args == [str(survey.call_key)]
    assert queued.task.run_after >= timezone.now() + timezone.timedelta(seconds=20)


def test_the_queued_run_reads_every_vote_and_a_later_vote_queues_the_next(
    seeded, survey, others, dummy_tasks, django_capture_on_commit_callbacks
):
    for person in others:
        with django_capture_on_commit_callbacks(execute=True):
            services.vote(person, seeded[0], 1, call=survey)
    [queued] = dummy_tasks.results
    snapshot_id = tasks.recompute_opinion_map.call(*queued.args)
    assert OpinionMapSnapshot.objects.get(pk=snapshot_id).vote_count == len(others)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(others[0], seeded[1], 1, call=survey)
    assert len(dummy_tasks.results) == 2


def test_moderating_a_statement_queues_a_recomputation(
    seeded, survey, editor, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(editor, seeded[2], call=survey, approve=False)
    assert len(dummy_tasks.results) == 1


def test_nothing_runs_in_the_voters_request_with_the_immediate_backend(
    seeded, survey, participant, django_capture_on_commit_callbacks, client
):
    from django.urls import reverse

    assert not tasks.can_defer()
    client.force_login(participant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("opinions:vote", args=[survey.call_key]),
            {"statement": seeded[0].uuid, "value": "1"},
        )
    assert response.status_code == 302
    assert StatementVote.objects.count() == 1
    assert not OpinionMapSnapshot.objects.exists()


def test_the_command_recomputes_calls_whose_votes_changed(seeded, survey):
    from django.core.management import call_command

    plant(seeded, {"a": 6, "b": 6})
    assert maps.stale_calls() == [survey.call_key]
    call_command("recompute_opinion_maps", verbosity=0)
    assert OpinionMapSnapshot.objects.filter(call_key=survey.call_key).count() == 1
    assert maps.stale_calls() == []


# ---- Publishing ------------------------------------------------------------------------------


def test_publishing_replaces_the_published_map_and_is_audited(seeded, survey, editor):
    plant(seeded, {"a": 6, "b": 6})
    first = maps.publish(editor, survey, maps.recompute(survey.call_key))
    second = maps.publish(editor, survey, maps.recompute(survey.call_key))
    first.refresh_from_db()
    assert not first.published and second.published
    assert maps.published(survey.call_key) == second
    assert maps.unpublish(editor, survey)
    assert maps.published(survey.call_key) is None
    assert not maps.unpublish(editor, survey)
    actions = list(
        AuditEvent.objects.filter(call_key=survey.call_key)
        .order_by("pk")
        .values_list("action", "details")
    )
    assert [action for action, _ in actions] == [
        AuditAction.PUBLISH_RESULTS,
        AuditAction.PUBLISH_RESULTS,
        AuditAction.UNPUBLISH_RESULTS,
    ]
    assert all(details["what"] == "opinion_map" for _, details in actions)


def test_a_snapshot_of_another_call_cannot_be_published(seeded, survey, editor, calls):
    from tests.participation.factories import SurveyCampaignPageFactory

    other = SurveyCampaignPageFactory(parent=calls)
    snapshot = maps.recompute(survey.call_key)
    with pytest.raises(ValueError):
        maps.publish(editor, other, snapshot)
    assert maps.published(other.call_key) is None


# ---- Privacy: what is stored never shows a small group or a lone voter ------------------------


def fake_result(labels, coordinates):
    labels = np.asarray(labels)
    return SimpleNamespace(
        labels=labels, coordinates=np.asarray(coordinates, float), n_participants=len(labels)
    )


def matrix_of(votes, excluded=()):
    votes = np.asarray(votes, float)
    return maps.VoteMatrix(
        votes=votes,
        statements=[f"s{i}" for i in range(votes.shape[1])],
        excluded=list(excluded),
        participants=list(range(100, 100 + votes.shape[0])),
        vote_count=int((~np.isnan(votes)).sum()),
    )


def test_a_tiny_group_is_merged_into_the_nearest_group():
    # 10 around (0, 0), 10 around (5, 0), 2 at (4, 1): the 2 join the second group.
    labels = [0] * 10 + [1] * 10 + [2] * 2
    coordinates = [(0, i % 2) for i in range(10)] + [(5, i % 2) for i in range(10)] + [(4, 1)] * 2
    votes = np.ones((22, 3))
    data = maps.group_level(fake_result(labels, coordinates), matrix_of(votes), 5)
    assert [group["size"] for group in data["groups"]] == [12, 10]
    assert data["merged"] == 1
    assert min(group["size"] for group in data["groups"]) >= 5


def test_when_too_few_are_in_groups_the_map_is_withheld():
    labels = [0, 0, 1, 1]
    data = maps.group_level(fake_result(labels, [(0, 0)] * 4), matrix_of(np.ones((4, 2))), 5)
    assert data["withheld"] and data["groups"] == [] and data["items"] == {}


def test_a_statement_one_person_voted_on_shows_no_share_anywhere():
    labels = [0] * 6 + [1] * 6
    votes = np.ones((12, 3))
    votes[:6, 1] = -1
    votes[:, 2] = np.nan
    votes[3, 2] = 1  # only one person voted on s2
    data = maps.group_level(fake_result(labels, [(0, 0)] * 6 + [(3, 0)] * 6), matrix_of(votes), 5)
    lone = data["items"]["s2"]
    assert lone["groups"] == [{"n": None}, {"n": 0, "agree": None, "disagree": None, "pass": None}]
    assert lone["all"] == {"n": None}
    listed = [row["statement"] for rows in data["representative"] for row in rows]
    listed += [row["statement"] for row in data["consensus"] + data["divisive"]]
    assert "s2" not in listed


def test_a_hidden_group_share_hides_everyones_share_of_that_statement():
    labels = [0] * 8 + [1] * 8
    votes = np.ones((16, 2))
    votes[8:13, 1] = np.nan  # only 3 of the second group voted on s1
    data = maps.group_level(fake_result(labels, [(0, 0)] * 8 + [(3, 0)] * 8), matrix_of(votes), 5)
    s1 = data["items"]["s1"]
    assert s1["groups"][0]["n"] == 8 and s1["groups"][1] == {"n": None}
    assert s1["all"] == {"n": None}  # 11 − 8 would give the hidden 3
    assert data["items"]["s0"]["all"]["n"] == 16


def test_the_role_breakdown_hides_small_counts_and_what_would_give_them_back():
    members = [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]
    roles = dict.fromkeys(range(1, 13), "student")
    roles[6] = "faculty"  # one faculty member in group 1
    table = maps.breakdown(members, roles, 5)
    faculty = table["columns"].index("faculty")
    student = table["columns"].index("student")
    assert table["rows"][0][faculty] is None
    # 6 − students would give the faculty member back: the students' count hides too.
    assert table["rows"][0][student] is None
    assert table["totals"][faculty] is None


def test_the_stored_map_has_no_participant_coordinates(seeded, survey):
    people = plant(seeded, {"a": 8, "b": 7})
    data = maps.recompute(survey.call_key).data
    numbers = []

    def collect(value):
        if isinstance(value, dict):
            for inner in value.values():
                collect(inner)
        elif isinstance(value, list):
            for inner in value:
                collect(inner)
        elif isinstance(value, float):
            numbers.append(value)

    collect(data)
    # Only each group's centre (2) and spread (3) are real numbers: nothing per person.
    assert len(numbers) <= 5 * len(data["groups"])
    assert len(numbers) < len(people["a"]) + len(people["b"])


def test_a_new_voter_after_publication_does_not_change_the_published_map(seeded, survey, editor):
    plant(seeded, {"a": 6, "b": 6})
    snapshot = maps.publish(editor, survey, maps.recompute(survey.call_key))
    data = snapshot.data
    late = UserFactory()
    StatementVote.objects.create(statement=seeded[0], participant=late, value=-1)
    maps.recompute(survey.call_key)
    assert maps.published(survey.call_key).data == data
    assert maps.votes_since(snapshot) == 1


def test_a_tiny_camp_in_real_votes_never_shows_as_its_own_group(seeded, survey):
    plant(seeded, {"a": 9, "b": 8, "c": 2})
    data = maps.recompute(survey.call_key).data
    assert data["groups"] and min(group["size"] for group in data["groups"]) >= 5
    assert sum(group["size"] for group in data["groups"]) == data["in_groups"] <= 19
    for item in data["items"].values():
        for cell in item["groups"]:
            assert cell["n"] is None or cell["n"] == 0 or cell["n"] >= 5
