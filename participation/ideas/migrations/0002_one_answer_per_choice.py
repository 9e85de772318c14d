"""One answer row per (idea, question, matrix row, choice), enforced by the database.

The same rule as survey answers (submissions 0003): repeated rows carry no information, so
each group's oldest row is kept and the rest deleted before the constraint is added.
"""

from django.db import migrations, models
from django.db.models import Count, Min

GROUP = ("idea_id", "question_id", "row_id", "choice_id")


def delete_repeated_answers(apps, schema_editor):
    IdeaAnswer = apps.get_model("ideas", "IdeaAnswer")
    repeated = (
        IdeaAnswer.objects.values(*GROUP)
        .annotate(keep=Min("id"), rows=Count("id"))
        .filter(rows__gt=1)
        .order_by()
    )
    for group in list(repeated):
        IdeaAnswer.objects.filter(**{name: group[name] for name in GROUP}).exclude(
            pk=group["keep"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(delete_repeated_answers, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="ideaanswer",
            constraint=models.UniqueConstraint(
                fields=("idea", "question_id", "row_id", "choice_id"),
                name="one_idea_answer_per_choice",
            ),
        ),
    ]
