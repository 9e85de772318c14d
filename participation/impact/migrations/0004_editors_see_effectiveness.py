"""Editors may see the effectiveness dashboard (the permission is made here if missing)."""

from django.db import migrations

EDITOR_GROUPS = ["Editors"]


def _permission(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="impact", model="effectivenessfigure"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_effectiveness",
        defaults={"name": "Can see the effectiveness dashboard"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = _permission(apps)
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = _permission(apps)
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("impact", "0003_effectiveness")]

    operations = [migrations.RunPython(grant, revoke)]
