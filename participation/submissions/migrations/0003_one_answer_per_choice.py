"""One answer row per (submission, question, matrix row, choice), enforced by the database.

Before this, a choice id repeated in one POST was stored (and tallied) once per repeat. The
repeats carry no information, so they are deleted first, keeping each group's oldest row.
Tallies of the calls concerned were counted with the repeats: the migration names them, and
``manage.py rebuild_tallies --call KEY`` recounts them from the answers that remain.
"""

from django.db import migrations, models
from django.db.models import Count, Min

GROUP = ("submission_id", "question_id", "row_id", "choice_id")


def delete_repeated_answers(apps, schema_editor):
    Answer = apps.get_model("submissions", "Answer")
    Submission = apps.get_model("submissions", "Submission")
    repeated = (
        Answer.objects.values(*GROUP)
        .annotate(keep=Min("id"), rows=Count("id"))
        .filter(rows__gt=1)
        .order_by()
    )
    submissions = set()
    for group in list(repeated):
        Answer.objects.filter(**{name: group[name] for name in GROUP}).exclude(
            pk=group["keep"]
        ).delete()
        submissions.add(group["submission_id"])
    if submissions:
        call_keys = sorted(
            {
                str(key)
                for key in Submission.objects.filter(pk__in=submissions).values_list(
                    "call_key", flat=True
                )
            }
        )
        print(  # An operator must act on this.
            f"\n  Deleted repeated answers in {len(submissions)} submission(s). Recount: "
            + " ".join(f"manage.py rebuild_tallies --call {key}" for key in call_keys)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_call_approval_workflow"),
    ]

    operations = [
        migrations.RunPython(delete_repeated_answers, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                fields=("submission", "question_id", "row_id", "choice_id"),
                name="one_answer_per_choice",
            ),
        ),
    ]
