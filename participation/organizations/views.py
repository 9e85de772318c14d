"""Public pages of organizations: mine, registering one, its members, answering invitations.

The rules are in ``services``. Anyone acting for an organization they do not represent
(or looking at one they do not belong to) gets a 404 and the attempt is logged to
``hadaf.security``, as for submissions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from participation.people.models import OrganizationMembership
from participation.protection.guard import guard
from participation.security import refuse

from . import services
from .choices import InvitationStatus
from .forms import InviteForm, RegistrationForm
from .models import OrganizationInvitation

MEMBERS_ANCHOR = "#members"


def _membership_or_refuse(request, pk, *, representative=False):
    """The signed-in person's membership of organization ``pk``; anyone else gets a 404."""
    membership = (
        OrganizationMembership.objects.select_related("organization", "organization__university")
        .filter(organization_id=pk, person=request.user)
        .first()
    )
    if membership is None or (representative and not membership.is_representative):
        refuse(request, "organization", organization=pk)
    return membership


def _back_to_members(organization):
    return redirect(reverse("organizations:detail", args=[organization.pk]) + MEMBERS_ANCHOR)


@login_required
def my_organizations(request):
    """The organizations I belong to, with my role and their status, and my invitations."""
    invitations = [
        (invitation, services.invitation_token(invitation))
        for invitation in services.pending_invitations_for(request.user)
    ]
    context = {
        "memberships": list(services.memberships_of(request.user)),
        "invitations": invitations,
    }
    return render(request, "participation/organizations/my_organizations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    """Register an organization; the registrant becomes its representative, unverified."""
    if (refusal := guard(request, "organization")) is not None:
        return refusal
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.register(
                request.user,
                name=data["name"],
                kind=data["kind"],
                university=data["university"],
                description=data["description"],
                contact_phone=data["contact_phone"],
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("“%(name)s” is registered. An editor will verify it soon.")
                % {"name": organization.name},
            )
            return redirect("organizations:detail", organization.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/organizations/register.html",
        {"form": form, "has_errors": bool(form.errors)},
        status=status,
    )


@login_required
def detail(request, pk):
    """An organization as its members see it; its representatives manage the members here."""
    membership = _membership_or_refuse(request, pk)
    organization = membership.organization
    members = (
        OrganizationMembership.objects.filter(organization=organization)
        .select_related("person")
        .order_by("-is_representative", "person__first_name", "person__last_name")
    )
    context = {
        "organization": organization,
        "membership": membership,
        "members": list(members) if membership.is_representative else [],
        "representatives": [member for member in members if member.is_representative],
        "representative_count": sum(1 for member in members if member.is_representative),
        "invitations": list(
            organization.invitations.filter(status=InvitationStatus.PENDING).order_by("-invited_at")
        )
        if membership.is_representative
        else [],
        "invite_form": InviteForm(),
    }
    return render(request, "participation/organizations/detail.html", context)


@login_required
@require_POST
def invite(request, pk):
    """A representative invites someone by email."""
    organization = _membership_or_refuse(request, pk, representative=True).organization
    if (refusal := guard(request, "organization_invite")) is not None:
        return refusal
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["email"][0])
        return _back_to_members(organization)
    try:
        invitation = services.invite(organization, request.user, form.cleaned_data["email"])
    except services.NotRepresentative:
        refuse(request, "organization invitation", organization=pk)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("We emailed an invitation to %(email)s.") % {"email": invitation.email}
        )
        # A page of its own address, so no browser refills the field with the address
        # just invited (form state is restored for a page the history already holds).
        path = reverse("organizations:detail", args=[organization.pk])
        return redirect(f"{path}?invited={invitation.pk}{MEMBERS_ANCHOR}")
    return _back_to_members(organization)


@login_required
@require_POST
def withdraw_invitation(request, pk, invitation_id):
    """A representative withdraws an unanswered invitation."""
    organization = _membership_or_refuse(request, pk, representative=True).organization
    invitation = OrganizationInvitation.objects.filter(
        pk=invitation_id, organization=organization
    ).first()
    if invitation is None:
        refuse(request, "organization invitation", organization=pk, invitation=invitation_id)
    try:
        services.withdraw_invitation(organization, request.user, invitation)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
        )
    return _back_to_members(organization)


def _other_membership(request, organization, membership_id):
    member = (
        OrganizationMembership.objects.select_related("person")
        .filter(pk=membership_id, organization=organization)
        .first()
    )
    if member is None:
        refuse(request, "organization member", organization=organization.pk, member=membership_id)
    return member


@login_required
@require_POST
def remove_member(request, pk, membership_id):
    """A representative removes a member; any member may remove themselves (leave)."""
    own = _membership_or_refuse(request, pk)
    organization = own.organization
    member = _other_membership(request, organization, membership_id)
    if member.pk != own.pk and not own.is_representative:
        refuse(request, "organization member removal", organization=pk, member=membership_id)
    try:
        services.remove_member(organization, request.user, member)
    except services.NotRepresentative:
        refuse(request, "organization member removal", organization=pk, member=membership_id)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return _back_to_members(organization)
    if member.pk == own.pk:
        messages.success(request, _("You left “%(name)s”.") % {"name": organization.name})
        return redirect("organizations:mine")
    messages.success(
        request,
        _("%(name)s is no longer a member.")
        % {"name": member.person.get_full_name() or member.person.email},
    )
    return _back_to_members(organization)


@login_required
@require_POST
def set_representative(request, pk, membership_id):
    """A representative appoints a member (``representative=1``) or steps one down (``0``)."""
    organization = _membership_or_refuse(request, pk, representative=True).organization
    member = _other_membership(request, organization, membership_id)
    make = request.POST.get("representative") == "1"
    try:
        services.set_representative(organization, request.user, member, representative=make)
    except services.NotRepresentative:
        refuse(request, "organization representative", organization=pk, member=membership_id)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return _back_to_members(organization)
    name = member.person.get_full_name() or member.person.email
    if make:
        messages.success(request, _("%(name)s is now a representative.") % {"name": name})
    else:
        messages.success(request, _("%(name)s is no longer a representative.") % {"name": name})
    if member.person_id == request.user.pk and not make:
        return redirect("organizations:detail", organization.pk)
    return _back_to_members(organization)


def invitation(request, token):
    """The invited person accepts or declines, signed in with the invited address."""
    try:
        invitation = services.invitation_from_token(token)
    except services.Refused as refusal:
        return render(
            request,
            "participation/organizations/invitation.html",
            {"refusal": refusal.message},
            status=400,
        )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organization = invitation.organization
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            services.respond(invitation, request.user, accept=accept)
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            if accept:
                messages.success(
                    request,
                    _("You are now a member of “%(name)s”.") % {"name": organization.name},
                )
                return redirect("organizations:detail", organization.pk)
            messages.success(request, _("You declined the invitation."))
            return redirect("organizations:mine")
        invitation.refresh_from_db()
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    context = {
        "invitation": invitation,
        "organization": organization,
        "inviter": invitation.invited_by,
        "wrong_account": not services.is_invitee(request.user, invitation),
        "is_member": OrganizationMembership.objects.filter(
            organization=organization, person=request.user
        ).exists(),
    }
    return render(request, "participation/organizations/invitation.html", context)
