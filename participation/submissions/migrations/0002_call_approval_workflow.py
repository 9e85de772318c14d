"""Calls go through an approval workflow before publishing: create it on every site.

The workflow "تأیید فراخوان" has one group approval task for the Moderators group. The seed
(``seed_demo``) assigns it to the call index; on other sites an administrator assigns it
under Settings → Workflows. Running it again finds what exists instead of adding copies.
"""

from django.db import migrations

WORKFLOW_NAME = "تأیید فراخوان"
TASK_NAME = "بررسی ناظران"
MODERATORS = "Moderators"


def create_call_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task, _created = GroupApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"active": True, "content_type": content_type}
    )
    task.groups.add(*Group.objects.filter(name=MODERATORS))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_call_workflow, migrations.RunPython.noop),
    ]
