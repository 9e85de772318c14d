"""The page tree's root is called «ریشه», not Wagtail's "Root".

Editors see the root's title in the explorer's breadcrumbs («در حال مرور: ریشه»), the page
chooser and the move and copy screens. Only the placeholder title is renamed: a root an
administrator has already named is left alone.
"""

from django.db import migrations

WAGTAIL_TITLE = "Root"
ROOT_TITLE = "ریشه"


def rename(apps, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def forwards(apps, schema_editor):
    rename(apps, WAGTAIL_TITLE, ROOT_TITLE)


def backwards(apps, schema_editor):
    rename(apps, ROOT_TITLE, WAGTAIL_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0007_condition_choice_ids"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
