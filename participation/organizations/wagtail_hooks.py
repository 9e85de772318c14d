"""Organizations in the Wagtail admin: verification by editors; history labels."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from participation.persian import localize_digits

from . import admin_views, permissions, services

organization_urls = [
    path("", admin_views.index, name="index"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/verify/", admin_views.verify, name="verify"),
    path("<int:pk>/withdraw/", admin_views.withdraw, name="withdraw"),
]


@hooks.register("register_admin_urls")
def register_organization_urls():
    return [path("organizations/", include((organization_urls, "hadaf_organizations")))]


class OrganizationsMenuItem(MenuItem):
    """Organizations, with how many await verification, for those who may verify."""

    def is_shown(self, request):
        return permissions.can_verify(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        waiting = admin_views.awaiting_verification().count()
        if waiting:
            component.label = _("Organizations (%(count)s)") % {"count": localize_digits(waiting)}
        return component


@hooks.register("register_admin_menu_item")
def register_organizations_menu_item():
    return OrganizationsMenuItem(
        gettext_lazy("Organizations"),
        reverse("hadaf_organizations:index"),
        name="organizations",
        icon_name="group",
        order=285,
    )


@hooks.register("register_permissions")
def register_organization_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="organizations", codename="verify_organization"
    )


@hooks.register("register_log_actions")
def register_organization_log_actions(actions):
    actions.register_action(
        services.REGISTERED_ACTION,
        gettext_lazy("Register an organization"),
        gettext_lazy("Organization registered by its representative"),
    )
    actions.register_action(
        services.VERIFIED_ACTION,
        gettext_lazy("Verify an organization"),
        gettext_lazy("Organization verified by an editor"),
    )
    actions.register_action(
        services.JOINED_ACTION,
        gettext_lazy("Join an organization"),
        gettext_lazy("Member joined"),
    )
    actions.register_action(
        services.REMOVED_ACTION,
        gettext_lazy("Remove a member"),
        gettext_lazy("Member removed"),
    )
    actions.register_action(
        services.REPRESENTATIVE_ACTION,
        gettext_lazy("Change a representative"),
        gettext_lazy("Representatives changed"),
    )

    @actions.register_action(services.WITHDRAWN_ACTION)
    class WithdrawnFormatter(LogFormatter):
        label = gettext_lazy("Withdraw an organization's verification")

        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason", "")
            return _("Verification withdrawn: %(reason)s") % {"reason": reason}
