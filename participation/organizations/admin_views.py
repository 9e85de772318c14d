"""Organizations in the Wagtail admin, for editors: who awaits verification, verify, withdraw.

Each decision goes through :mod:`participation.organizations.services`, which logs it in
Wagtail's history with the editor's name (and, for a withdrawal, the reason).
"""

from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages
from wagtail.log_actions import registry as log_registry

from participation import audit
from participation.audit.choices import AuditAction
from participation.people.models import Organization
from participation.security import deny

from . import permissions, services
from .choices import InvitationStatus, VerificationFilter
from .forms import WithdrawForm

PER_PAGE = 50


def verifier_required(view):
    """Refuse (403) anyone who may not verify organizations."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_verify(request.user):
            raise deny(request, "organization verification", **kwargs)
        return view(request, *args, **kwargs)

    return wrapper


def awaiting_verification():
    """Organizations an editor has not verified (or whose verification was withdrawn)."""
    return Organization.objects.filter(verified_at__isnull=True)


def organizations_for(status, query=""):
    """Organizations filtered by verification status and a name search, oldest waiting first."""
    organizations = Organization.objects.select_related("university", "profile").annotate(
        member_count=Count("memberships", distinct=True),
        representative_count=Count(
            "memberships", filter=Q(memberships__is_representative=True), distinct=True
        ),
    )
    if status == VerificationFilter.AWAITING:
        organizations = organizations.filter(verified_at__isnull=True).order_by("created_at")
    elif status == VerificationFilter.VERIFIED:
        organizations = organizations.filter(verified_at__isnull=False).order_by("name")
    else:
        organizations = organizations.order_by("name")
    if query:
        organizations = organizations.filter(
            Q(name__icontains=query) | Q(university__name__icontains=query)
        )
    return organizations


@verifier_required
@require_GET
def index(request):
    """Organizations awaiting verification (or verified, or all)."""
    status = request.GET.get("status", VerificationFilter.AWAITING)
    if status not in VerificationFilter.values:
        status = VerificationFilter.AWAITING
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(organizations_for(status, query), PER_PAGE).get_page(request.GET.get("p"))
    query_string = request.GET.copy()
    query_string.pop("p", None)
    context = {
        "page_obj": page,
        "status": status,
        "statuses": VerificationFilter.choices,
        "q": query,
        "query": query_string.urlencode(),
    }
    return TemplateResponse(request, "participation/organizations/admin/index.html", context)


def _detail_page(request, organization, withdraw_form, status=200):
    members = organization.memberships.select_related("person").order_by(
        "-is_representative", "person__email"
    )
    context = {
        "organization": organization,
        "profile": getattr(organization, "profile", None),
        "members": members,
        "invitations": organization.invitations.filter(status=InvitationStatus.PENDING),
        "withdraw_form": withdraw_form,
        "log_entries": log_registry.get_logs_for_instance(organization).select_related("user"),
    }
    return TemplateResponse(
        request, "participation/organizations/admin/detail.html", context, status=status
    )


def _organization(pk):
    return get_object_or_404(Organization.objects.select_related("university"), pk=pk)


@verifier_required
@require_GET
def detail(request, pk):
    """An organization: what the registrant said, members and representatives, history."""
    organization = _organization(pk)
    audit.record(request, AuditAction.VIEW_ORGANIZATION, target=organization)
    return _detail_page(request, organization, WithdrawForm())


@verifier_required
@require_POST
def verify(request, pk):
    """Verify an organization (logged with the editor's name)."""
    organization = _organization(pk)
    try:
        services.verify(organization, request.user)
    except services.Refused as refusal:
        messages.warning(request, refusal.message)
    else:
        messages.success(request, _("“%(name)s” is now verified.") % {"name": organization.name})
    return redirect("hadaf_organizations:detail", organization.pk)


@verifier_required
@require_POST
def withdraw(request, pk):
    """Withdraw an organization's verification, with a reason (logged)."""
    organization = _organization(pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_verification(organization, request.user, form.cleaned_data["reason"])
        except services.Refused as refusal:
            form.add_error("reason", refusal.message)
        else:
            messages.success(
                request,
                _("The verification of “%(name)s” was withdrawn.") % {"name": organization.name},
            )
            return redirect("hadaf_organizations:detail", organization.pk)
    return _detail_page(request, organization, form, status=400)
