"""Editors may make and track commitments.

Permissions are normally created after all migrations run, so they are made here if
missing (the later automatic pass finds them and adds nothing).
"""

from django.db import migrations

EDITOR_GROUPS = ["Editors"]
PERMISSIONS = [
    ("commitment", "add_commitment", "Can add commitment"),
    ("commitment", "change_commitment", "Can change commitment"),
    ("commitment", "delete_commitment", "Can delete commitment"),
    ("commitment", "view_commitment", "Can view commitment"),
]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="impact", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0001_initial"),
        # Creates the Editors group.
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
