"""Anonymous-verified responses keep nothing copied from the account (docs/privacy.md).

Until now they kept the respondent's role and university for cross-tabs; with the batch an
award was given in, those narrowed the writer down to a few accounts. The copies are
blanked, and the calls' tallies lose their role and university segments: each affected
call's tally rows are written again, in a random order with random ids (they were in
arrival order, with sequential ids). A call that also has named or pseudonymous
responses (its mode was changed) keeps its segments here: the migration names it, and
``manage.py rebuild_tallies --call KEY`` recounts its segments from the named responses
only. Published snapshots of the affected calls lose their segment rows too.
"""

import random
import secrets

from django.db import migrations

RANDOM_ID_BITS = 62
EVERYONE = ""
TALLY_FIELDS = ("call_key", "segment", "question_id", "row_id", "choice_id", "value", "count")


def _random_id():
    return -(secrets.randbits(RANDOM_ID_BITS) + 1)


def _rewrite_tallies(AnswerTally, call_key, keep_segments, rng):
    rows = list(AnswerTally.objects.filter(call_key=call_key).values(*TALLY_FIELDS))
    AnswerTally.objects.filter(call_key=call_key).delete()
    rows = [row for row in rows if keep_segments or row["segment"] == EVERYONE]
    rng.shuffle(rows)
    AnswerTally.objects.bulk_create(AnswerTally(id=_random_id(), **row) for row in rows)


def _strip_snapshots(PublishedSnapshot, call_keys):
    for snapshot in PublishedSnapshot.objects.filter(call_key__in=call_keys):
        snapshot.tallies = [row for row in snapshot.tallies if row[0] == EVERYONE]
        snapshot.save(update_fields=["tallies"])


def forget_profiles(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    AnswerTally = apps.get_model("submissions", "AnswerTally")
    PublishedSnapshot = apps.get_model("results", "PublishedSnapshot")
    anonymous = Submission.objects.filter(participant__isnull=True).exclude(edit_token_hash="")
    call_keys = set(anonymous.values_list("call_key", flat=True).distinct())
    anonymous.update(respondent_role="", respondent_university="")
    if not call_keys:
        return
    named = Submission.objects.filter(call_key__in=call_keys).exclude(
        participant__isnull=True, edit_token_hash__gt=""
    )
    mixed_modes = set(named.values_list("call_key", flat=True).distinct())
    rng = random.SystemRandom()
    for call_key in sorted(call_keys, key=str):
        _rewrite_tallies(AnswerTally, call_key, call_key in mixed_modes, rng)
    _strip_snapshots(PublishedSnapshot, call_keys)
    if mixed_modes:
        print(  # An operator must act on this.
            "\n  Calls with anonymous and named responses keep role/university tallies that "
            "count anonymous responses. Recount: "
            + " ".join(
                f"manage.py rebuild_tallies --call {key}" for key in sorted(mixed_modes, key=str)
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0004_unlinkable_anonymous"),
        ("results", "0001_published_snapshots"),
    ]

    operations = [
        migrations.RunPython(forget_profiles, migrations.RunPython.noop, elidable=True),
    ]
