"""Anonymous-verified responses carry no order and no time of day (docs/privacy.md).

Timestamps become plain defaults that ``Submission.save`` sets (the day only for anonymous
responses) and a partial index finds the responses the mixing step has not shuffled yet.
Responses stored before this change are brought to the same state: their timestamps are
cut to the day, their start time dropped, their time taken coarsened, and they, their
answers and the calls' receipts get random negative ids in a random order, so the old
sequential ids say nothing more; they all wait for the next mixing step.
"""

import datetime
import random
import secrets

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

RANDOM_ID_BITS = 62


def _random_id():
    return -(secrets.randbits(RANDOM_ID_BITS) + 1)


def _day(value):
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    midnight = datetime.datetime.combine(local.date(), datetime.time())
    return timezone.make_aware(midnight) if timezone.is_aware(value) else midnight


def _duration(seconds):
    if seconds is None:
        return None
    step = 30 if seconds < 600 else 300
    return int(seconds) // step * step


def unlink_existing(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    Answer = apps.get_model("submissions", "Answer")
    Receipt = apps.get_model("submissions", "ParticipationReceipt")
    anonymous = list(
        Submission.objects.filter(participant__isnull=True)
        .exclude(edit_token_hash="")
        .values_list("pk", "submitted_at", "updated_at", "duration_seconds")
    )
    rng = random.SystemRandom()
    rng.shuffle(anonymous)
    for pk, submitted_at, updated_at, duration in anonymous:
        new_pk = _random_id()
        Submission.objects.filter(pk=pk).update(
            id=new_pk,
            submitted_at=_day(submitted_at),
            updated_at=_day(updated_at),
            started_at=None,
            duration_seconds=_duration(duration),
            awaiting_mix=True,
        )
        answers = list(Answer.objects.filter(submission_id=pk).values_list("pk", flat=True))
        for answer_pk in answers:
            Answer.objects.filter(pk=answer_pk).update(id=_random_id(), submission_id=new_pk)
    receipts = list(Receipt.objects.filter(id__gt=0).values_list("pk", flat=True))
    rng.shuffle(receipts)
    for pk in receipts:
        Receipt.objects.filter(pk=pk).update(id=_random_id())


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0003_one_answer_per_choice"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="awaiting_mix",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AlterField(
            model_name="submission",
            name="submitted_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="submitted at",
            ),
        ),
        migrations.AlterField(
            model_name="submission",
            name="updated_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="updated at"
            ),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(
                condition=models.Q(("awaiting_mix", True)),
                fields=["call_key"],
                name="submission_awaiting_mix",
            ),
        ),
        migrations.RunPython(unlink_existing, migrations.RunPython.noop),
    ]
