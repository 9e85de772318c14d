"""The audit log's admin screen, its menu item and its permission."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, permissions


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit-log/", admin_views.audit_log, name="hadaf_audit_log")]


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_log(request.user)


@hooks.register("register_settings_menu_item")
def register_audit_menu_item():
    return AuditLogMenuItem(
        gettext_lazy("Audit log"),
        reverse("hadaf_audit_log"),
        name="audit-log",
        icon_name="list-ul",
        order=900,
    )


@hooks.register("register_permissions")
def register_audit_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="audit", codename="view_auditevent")
