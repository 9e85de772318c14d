"""People in the Wagtail admin: the university list and academic verification by hand."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, permissions, verification
from .models import University


class UniversityViewSet(ModelViewSet):
    """Editors keep the universities people choose from, and their email domains."""

    model = University
    icon = "site"
    menu_label = gettext_lazy("Universities")
    form_fields = ["name", "email_domains"]
    list_display = ["name", "email_domains"]
    search_fields = ["name", "email_domains"]
    search_backend_name = None
    copy_view_enabled = False


class VerificationMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_verify(request.user)


class AcademicVerificationViewSet(ViewSet):
    """People waiting for an editor to verify their academic status."""

    name = "academic_verification"
    url_prefix = "people/verification"
    icon = "user"
    menu_label = gettext_lazy("Academic verification")
    menu_item_class = VerificationMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.index, name="index"),
            path("<int:pk>/verify/", admin_views.verify, name="verify"),
            path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
        ]


class PeopleViewSetGroup(ViewSetGroup):
    items = (UniversityViewSet("universities"), AcademicVerificationViewSet())
    menu_label = gettext_lazy("People")
    menu_icon = "group"
    menu_order = 280


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


@hooks.register("register_permissions")
def register_people_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="people", codename="verify_academic")


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    actions.register_action(
        verification.VERIFIED_ACTION,
        gettext_lazy("Verify academic status"),
        gettext_lazy("Academic status verified by an editor"),
    )
    actions.register_action(
        verification.REVOKED_ACTION,
        gettext_lazy("Withdraw academic status"),
        gettext_lazy("Academic status withdrawn by an editor"),
    )
