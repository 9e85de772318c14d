"""Partner sites and their API keys in the Wagtail admin.

Creating a key shows its full text once; afterwards only its prefix is known. A key is
revoked, never edited back to life; revoking is logged in the key's history.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from . import keys, oauth
from .forms import PartnerKeyForm, PartnerSiteForm
from .models import PartnerKey, PartnerSite

REVOKE_ACTION = "hadaf.partners.revoke_key"
KEY_CREATED_TEMPLATE = "partners/admin/key_created.html"
REVOKE_TEMPLATE = "partners/admin/revoke_key.html"


def key_status(key):
    if key.revoked_at is not None:
        return _("Revoked")
    if not key.is_usable():
        return _("Expired") if key.site.is_active else _("Site inactive")
    return _("Active")


class PartnerSiteCreateView(generic.CreateView):
    def save_instance(self):
        site = super().save_instance()
        oauth.sync_application(site)
        return site


class PartnerSiteEditView(generic.EditView):
    def save_instance(self):
        site = super().save_instance()
        oauth.sync_application(site)
        return site


class PartnerSiteViewSet(ModelViewSet):
    model = PartnerSite
    form_fields = ["name", "website", "contact_name", "contact_email", "redirect_uris", "is_active"]
    list_display = [
        "name",
        Column("client_id", label=gettext_lazy("OAuth client id")),
        "is_active",
        DateColumn("created_at", label=gettext_lazy("Created")),
    ]
    search_fields = ["name", "contact_email"]
    icon = "site"
    add_view_class = PartnerSiteCreateView
    edit_view_class = PartnerSiteEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "website",
        "contact_name",
        "contact_email",
        "redirect_uris",
        "is_active",
        "client_id",
        "created_at",
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model,
            form=PartnerSiteForm,
            fields=self.form_fields,
            formfield_callback=self.formfield_for_dbfield,
        )


class PartnerKeyCreateView(generic.CreateView):
    """Saves the key with a new secret and shows its full text, once."""

    def form_valid(self, form):
        self.form = form
        key = form.save(commit=False)
        full_key = keys.issue_key(key, self.request.user)
        log(instance=key, action="wagtail.create", user=self.request.user)
        return TemplateResponse(
            self.request,
            KEY_CREATED_TEMPLATE,
            {
                "key": key,
                "full_key": full_key,
                "index_url": reverse(self.index_url_name),
                "header_title": _("Key created"),
            },
        )


class PartnerKeyIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse("partner_keys:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=25,
                )
            )
        return buttons


class PartnerKeyViewSet(ModelViewSet):
    model = PartnerKey
    form_fields = ["site", "name", "scopes", "allowed_origins", "expires_at"]
    list_display = [
        "name",
        "site",
        Column("prefix", label=gettext_lazy("Prefix")),
        Column("scope_labels", label=gettext_lazy("Scopes")),
        Column("status", label=gettext_lazy("Status"), accessor=key_status),
        DateColumn("expires_at", label=gettext_lazy("Expires")),
        DateColumn("last_used_at", label=gettext_lazy("Last used")),
    ]
    list_filter = ["site"]
    icon = "key"
    add_view_class = PartnerKeyCreateView
    index_view_class = PartnerKeyIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "site",
        "name",
        "prefix",
        "scopes",
        "allowed_origins",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "created_at",
        "created_by",
        "last_used_at",
    ]

    def get_form_class(self, for_update=False):
        fields = [field for field in self.form_fields if not (for_update and field == "site")]
        return modelform_factory(
            self.model,
            form=PartnerKeyForm,
            fields=fields,
            formfield_callback=self.formfield_for_dbfield,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
        ]

    def revoke_view(self, request, pk):
        """Confirm (GET) and revoke (POST) a key, for those who may change keys."""
        key = get_object_or_404(PartnerKey.objects.select_related("site"), pk=pk)
        policy = ModelPermissionPolicy(PartnerKey)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        if request.method == "POST":
            if keys.revoke(key, request.user):
                log(instance=key, action=REVOKE_ACTION, user=request.user)
            messages.success(request, _("The key “%(key)s” is revoked.") % {"key": key})
            return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            REVOKE_TEMPLATE,
            {
                "key": key,
                "header_title": _("Revoke key"),
                "index_url": reverse(self.get_url_name("index")),
            },
        )


class PartnersViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Partner sites")
    menu_icon = "site"
    menu_order = 290
    items = (
        PartnerSiteViewSet("partner_sites", menu_label=gettext_lazy("Partner sites")),
        PartnerKeyViewSet("partner_keys", menu_label=gettext_lazy("API keys")),
    )
