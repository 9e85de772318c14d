"""Incentive rules in the Wagtail admin: per call, what each contribution earns."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from participation.incentives import permissions

from .models import IncentiveRule

CALL_PAGE_TYPES = ["pages.SurveyCampaignPage", "pages.RegulationDraftPage", "pages.IdeaCallPage"]


class IncentiveRuleViewSet(ModelViewSet):
    """Editors who manage incentives set what each kind of contribution to a call earns."""

    model = IncentiveRule
    icon = "pick"
    menu_label = gettext_lazy("Incentive rules")
    add_to_admin_menu = True
    menu_order = 271
    list_display = ["call", "trigger", "kind", "points", "amount", "with_certificate", "is_active"]
    list_filter = ["trigger", "kind", "is_active"]
    copy_view_enabled = False
    panels = [
        PageChooserPanel("call", CALL_PAGE_TYPES),
        FieldPanel("trigger"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("points"), FieldPanel("amount")]),
        FieldPanel("with_certificate"),
        FieldPanel("description"),
        FieldPanel("is_active"),
    ]


class RulePermissionPolicy(BasePermissionPolicy):
    """Only those who may manage incentives see and change the rules."""

    def user_has_permission(self, user, action):
        return permissions.can_manage(user)

    def user_has_any_permission(self, user, actions):
        return permissions.can_manage(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(
            pk__in=[
                user.pk
                for user in get_user_model().objects.filter(is_active=True)
                if permissions.can_manage(user)
            ]
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if permissions.can_manage(user):
            return self.model.objects.all()
        return self.model.objects.none()


register_permission_policy(IncentiveRule, RulePermissionPolicy(IncentiveRule))


@hooks.register("register_admin_viewset")
def register_incentive_rules():
    return IncentiveRuleViewSet("incentive_rules")
