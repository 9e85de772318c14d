"""Migration 0003 of submissions deletes repeated answers, then adds the constraint."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("submissions", "0002_call_approval_workflow")]
AFTER = [("submissions", "0003_one_answer_per_choice")]


@pytest.mark.django_db(transaction=True)
def test_repeated_answers_are_deleted_before_the_constraint_is_added(capsys):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Submission, Answer = (
        old.get_model("submissions", "Submission"),
        old.get_model("submissions", "Answer"),
    )
    call_key = uuid.uuid4()
    inflated = Submission.objects.create(call_key=call_key, language="fa")
    clean = Submission.objects.create(call_key=uuid.uuid4(), language="fa")
    Answer.objects.bulk_create(
        [Answer(submission=inflated, question_id="q", choice_id="a") for _ in range(50)]
        + [Answer(submission=inflated, question_id="q", choice_id="b")]
        + [Answer(submission=inflated, question_id="m", row_id=row, number=3) for row in "xy"]
        + [Answer(submission=clean, question_id="q", choice_id="a")]
    )
    first = Answer.objects.filter(submission=inflated, choice_id="a").order_by("pk").first()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    new = MigrationExecutor(connection).loader.project_state(AFTER).apps
    Answer = new.get_model("submissions", "Answer")
    kept = Answer.objects.filter(submission_id=inflated.pk)
    assert sorted(kept.values_list("question_id", "row_id", "choice_id")) == [
        ("m", "x", ""),
        ("m", "y", ""),
        ("q", "", "a"),
        ("q", "", "b"),
    ]
    assert kept.get(choice_id="a").pk == first.pk  # the oldest row is the one kept
    assert Answer.objects.filter(submission_id=clean.pk).count() == 1
    assert f"rebuild_tallies --call {call_key}" in capsys.readouterr().out
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(submission_id=inflated.pk, question_id="q", choice_id="b")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
