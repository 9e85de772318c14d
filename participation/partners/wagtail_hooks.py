"""Partner sites in the Wagtail admin: the "Partner sites" menu and the revocation log label."""

from django.utils.translation import gettext_lazy
from wagtail import hooks

from .admin_views import REVOKE_ACTION, PartnersViewSetGroup


@hooks.register("register_admin_viewset")
def register_partner_viewsets():
    return PartnersViewSetGroup()


@hooks.register("register_log_actions")
def register_partner_log_actions(actions):
    actions.register_action(
        REVOKE_ACTION, gettext_lazy("Revoke an API key"), gettext_lazy("API key revoked")
    )
