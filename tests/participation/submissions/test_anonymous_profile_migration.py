"""Migration 0005 of submissions: anonymous-verified responses lose their copied profile."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("submissions", "0004_unlinkable_anonymous"), ("results", "0001_published_snapshots")]
AFTER = [("submissions", "0005_anonymous_without_profile")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def tally_rows(AnswerTally, call_key):
    return sorted(
        AnswerTally.objects.filter(call_key=call_key).values_list("segment", "value", "count")
    )


@pytest.mark.django_db(transaction=True)
def test_anonymous_rows_lose_role_university_and_their_segments(capsys):
    old = migrate(BEFORE)
    Submission = old.get_model("submissions", "Submission")
    AnswerTally = old.get_model("submissions", "AnswerTally")
    PublishedSnapshot = old.get_model("results", "PublishedSnapshot")
    anonymous, mixed, named = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    profile = {"respondent_role": "student", "respondent_university": "دانشگاه الف"}
    for call_key in (anonymous, anonymous, mixed):
        Submission.objects.create(
            call_key=call_key, language="fa", edit_token_hash=uuid.uuid4().hex, **profile
        )
    Submission.objects.create(call_key=named, language="fa", edit_token_hash="", **profile)
    Submission.objects.create(call_key=mixed, language="fa", edit_token_hash="", **profile)
    for call_key, count in ((anonymous, 2), (mixed, 2), (named, 1)):
        for segment in ("", "role:student", "university:دانشگاه الف"):
            AnswerTally.objects.create(call_key=call_key, segment=segment, value="", count=count)
        AnswerTally.objects.create(call_key=call_key, value="changes", count=count)
    PublishedSnapshot.objects.create(
        call_key=anonymous,
        changes=2,
        tallies=[["", "", "", "", "", 2], ["role:student", "", "", "", "", 2]],
    )
    named_before = tally_rows(AnswerTally, named)
    named_ids = set(AnswerTally.objects.filter(call_key=named).values_list("pk", flat=True))

    new = migrate(AFTER)
    Submission = new.get_model("submissions", "Submission")
    AnswerTally = new.get_model("submissions", "AnswerTally")
    PublishedSnapshot = new.get_model("results", "PublishedSnapshot")
    for submission in Submission.objects.all():
        kept = (submission.respondent_role, submission.respondent_university)
        anonymous_row = submission.edit_token_hash != ""
        assert kept == (("", "") if anonymous_row else ("student", "دانشگاه الف"))
    # The anonymous call: the everyone segment only, same counts, random ids.
    assert tally_rows(AnswerTally, anonymous) == [("", "", 2), ("", "changes", 2)]
    assert not AnswerTally.objects.filter(call_key=anonymous, id__gt=0).exists()
    assert PublishedSnapshot.objects.get(call_key=anonymous).tallies == [["", "", "", "", "", 2]]
    # The call with named responses too keeps its segments until it is recounted.
    assert len(tally_rows(AnswerTally, mixed)) == 4
    assert f"rebuild_tallies --call {mixed}" in capsys.readouterr().out
    # A named call is left alone.
    assert tally_rows(AnswerTally, named) == named_before
    assert set(AnswerTally.objects.filter(call_key=named).values_list("pk", flat=True)) == (
        named_ids
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
