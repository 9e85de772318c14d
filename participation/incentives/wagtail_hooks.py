"""Incentives in the Wagtail admin: awards, certificates, revoking; history labels."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, permissions, services
from .models import CallSignatory

incentive_urls = [
    path("", admin_views.award_list, name="awards"),
    path("new/", admin_views.award_new, name="award_new"),
    path("certificates/", admin_views.certificate_list, name="certificates"),
    path("certificates/<int:pk>/", admin_views.certificate_detail, name="certificate"),
    path(
        "certificates/<int:pk>/revoke/", admin_views.certificate_revoke, name="certificate_revoke"
    ),
    path(
        "certificates/<int:pk>/generate/",
        admin_views.certificate_generate,
        name="certificate_generate",
    ),
]


@hooks.register("register_admin_urls")
def register_incentive_urls():
    return [path("incentives/", include((incentive_urls, "hadaf_incentives")))]


class IncentivesMenuItem(MenuItem):
    """The awards ledger and certificates, for those who may manage incentives."""

    def is_shown(self, request):
        return permissions.can_manage(request.user)


@hooks.register("register_admin_menu_item")
def register_incentives_menu_item():
    return IncentivesMenuItem(
        gettext_lazy("Awards and certificates"),
        reverse("hadaf_incentives:awards"),
        name="incentives",
        icon_name="circle-check",
        order=270,
    )


@hooks.register("register_log_actions")
def register_incentive_log_actions(actions):
    actions.register_action(
        services.AWARDED_ACTION,
        gettext_lazy("Award an incentive"),
        gettext_lazy("Incentive awarded"),
    )
    actions.register_action(
        services.ISSUED_ACTION,
        gettext_lazy("Issue a certificate"),
        gettext_lazy("Certificate issued"),
    )
    actions.register_action(
        services.REVOKED_ACTION,
        gettext_lazy("Revoke a certificate"),
        gettext_lazy("Certificate revoked"),
    )


@hooks.register("register_permissions")
def register_incentive_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="incentives", codename="manage_incentives"
    )


class CallSignatoryViewSet(SnippetViewSet):
    """Per-call issuing officials (Settings → Certificates holds the site-wide one)."""

    model = CallSignatory
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate signatories")
    add_to_admin_menu = False
    list_display = ["call", "signatory_name", "signatory_title"]


register_snippet(CallSignatoryViewSet)
