"""Migration 0004 of submissions unlinks the anonymous responses stored before it."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.people.factories import UserFactory

BEFORE = [("submissions", "0003_one_answer_per_choice")]
AFTER = [("submissions", "0004_unlinkable_anonymous")]


@pytest.mark.django_db(transaction=True)
def test_earlier_anonymous_responses_get_random_ids_and_the_day_only():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Submission = old.get_model("submissions", "Submission")
    Answer = old.get_model("submissions", "Answer")
    Receipt = old.get_model("submissions", "ParticipationReceipt")
    people = [UserFactory() for _ in range(3)]
    call_key = uuid.uuid4()
    exact = timezone.now().replace(hour=10, minute=17, second=33)
    anonymous = []
    for index, person in enumerate(people):
        Receipt.objects.create(call_key=call_key, participant_id=person.pk)
        submission = Submission.objects.create(
            call_key=call_key, language="fa", edit_token_hash=f"{index:064d}",
            started_at=exact - datetime.timedelta(minutes=5), duration_seconds=317,
        )  # fmt: skip
        Answer.objects.create(submission=submission, question_id="q", text=f"answer {index}")
        anonymous.append(submission.pk)
    Submission.objects.filter(pk__in=anonymous).update(submitted_at=exact, updated_at=exact)
    named = Submission.objects.create(
        call_key=uuid.uuid4(), language="fa", participant_id=people[0].pk
    )
    Submission.objects.filter(pk=named.pk).update(submitted_at=exact)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    new = MigrationExecutor(connection).loader.project_state(AFTER).apps
    Submission = new.get_model("submissions", "Submission")
    Answer = new.get_model("submissions", "Answer")
    Receipt = new.get_model("submissions", "ParticipationReceipt")
    moved = Submission.objects.filter(call_key=call_key)
    assert moved.count() == 3 and all(pk < 0 for pk in moved.values_list("pk", flat=True))
    for submission in moved:
        local = timezone.localtime(submission.submitted_at)
        assert (local.hour, local.minute, local.second) == (0, 0, 0)
        assert submission.started_at is None and submission.duration_seconds == 300
        assert submission.awaiting_mix
        answers = Answer.objects.filter(submission_id=submission.pk)
        assert answers.count() == 1 and answers.get().pk < 0  # the answers followed
    texts = sorted(
        Answer.objects.filter(submission__call_key=call_key).values_list("text", flat=True)
    )
    assert texts == ["answer 0", "answer 1", "answer 2"]
    assert all(pk < 0 for pk in Receipt.objects.values_list("pk", flat=True))
    kept = Submission.objects.get(pk=named.pk)  # named responses keep their id and time
    assert kept.submitted_at == exact

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
