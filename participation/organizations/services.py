"""Registering, verifying and running an organization, whatever the caller (web page, admin).

The rules live here: names are stored in one Persian spelling and are unique per
university; an editor verifies; only an organization's representatives invite, remove
and appoint members; an invitation is answered only by the address it was sent to; an
organization always keeps at least one representative.
"""

import re

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from persiantools import digits
from wagtail.log_actions import log

from participation import audit
from participation.audit.choices import AuditAction
from participation.emails import canonical_email, email_problem
from participation.errors import Refused
from participation.people.models import Organization, OrganizationMembership
from participation.people.names import normalize_name

from .choices import InvitationStatus
from .models import OrganizationInvitation, OrganizationProfile
from .notifications import queue_invitation, queue_verified

REGISTERED_ACTION = "hadaf.organizations.registered"
VERIFIED_ACTION = "hadaf.organizations.verified"
WITHDRAWN_ACTION = "hadaf.organizations.verification_withdrawn"
JOINED_ACTION = "hadaf.organizations.member_joined"
REMOVED_ACTION = "hadaf.organizations.member_removed"
REPRESENTATIVE_ACTION = "hadaf.organizations.representative_changed"

INVITATION_SALT = "hadaf.organizations.invitation"
INVITATION_MAX_AGE = 30 * 24 * 3600
MAX_PENDING_REGISTRATIONS = 3
MAX_PENDING_INVITATIONS = 50
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,22}[0-9]$")


class NotRepresentative(Refused):
    """Someone acts for an organization they do not represent (views answer 404 and log)."""

    def __init__(self):
        super().__init__(_("You do not represent this organization."))


def normalize_phone(value):
    """A phone number with Latin digits and single spaces, or ``Refused`` if it is not one."""
    text = digits.fa_to_en(digits.ar_to_fa(normalize_name(value)))
    if text and not _PHONE.match(text):
        raise Refused(_("Enter a phone number, for example 021 6111 2345."))
    return text


def name_taken(name, university, exclude_pk=None):
    """Whether an organization with this (normalized) name exists at ``university``."""
    same = Organization.objects.filter(name__iexact=normalize_name(name), university=university)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def _duplicate(name, university):
    return Refused(
        _("An organization called “%(name)s” is already registered at %(university)s.")
        % {"name": name, "university": university}
    )


def register(user, *, name, kind, university, description="", contact_phone=""):
    """Register an organization with ``user`` as its first representative; unverified.

    Args:
        user: The signed-in person registering it.
        name: The name as typed; stored normalized (Persian letters, no bidi controls).
        kind: An ``OrganizationKind`` value.
        university: The ``University`` it belongs to.

    Returns:
        Organization: the new organization, awaiting an editor's verification.
    """
    name = normalize_name(name)
    if not name:
        raise Refused(_("Enter the organization's name."))
    if name_taken(name, university):
        raise _duplicate(name, university)
    waiting = OrganizationProfile.objects.filter(
        registered_by=user, organization__verified_at__isnull=True
    ).count()
    if waiting >= MAX_PENDING_REGISTRATIONS:
        raise Refused(
            _("You already have organizations awaiting verification. Wait for an editor first.")
        )
    phone = normalize_phone(contact_phone)
    try:
        with transaction.atomic():
            organization = Organization.objects.create(name=name, kind=kind, university=university)
            OrganizationProfile.objects.create(
                organization=organization,
                description=(description or "").strip(),
                contact_phone=phone,
                registered_by=user,
            )
            OrganizationMembership.objects.create(
                organization=organization, person=user, is_representative=True
            )
            log(instance=organization, action=REGISTERED_ACTION, user=user)
    except IntegrityError:
        # Someone registered the same name at the same moment.
        raise _duplicate(name, university) from None
    return organization


# Editors --------------------------------------------------------------------------


def verify(organization, editor, now=None):
    """An editor verifies ``organization``: its representatives may now act for it (audited)."""
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.verified_at is not None:
            raise Refused(_("This organization is already verified."))
        locked.verified_at = now or timezone.now()
        locked.save(update_fields=["verified_at"])
        log(instance=locked, action=VERIFIED_ACTION, user=editor)
        audit.record(editor, AuditAction.VERIFY_ORGANIZATION, target=locked)

        queue_verified(locked.pk)  # The representatives hear of it, after commit.
    organization.verified_at = locked.verified_at
    return locked


def withdraw_verification(organization, editor, reason):
    """An editor withdraws the verification, saying why; kept in the log with the reason.

    The audit row says who withdrew it, not why (a reason is free text).
    """
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the verification is withdrawn."))
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.verified_at is None:
            raise Refused(_("This organization is not verified."))
        locked.verified_at = None
        locked.save(update_fields=["verified_at"])
        log(instance=locked, action=WITHDRAWN_ACTION, user=editor, data={"reason": reason})
        audit.record(editor, AuditAction.WITHDRAW_ORGANIZATION, target=locked)
    organization.verified_at = None
    return locked


# Members --------------------------------------------------------------------------


def check_representative(user, organization):
    """Refuse (``NotRepresentative``) unless ``user`` represents ``organization``."""
    if not user.is_authenticated or not user.is_active:
        raise NotRepresentative
    if not OrganizationMembership.objects.filter(
        organization=organization, person=user, is_representative=True
    ).exists():
        raise NotRepresentative


def invitation_token(invitation):
    return signing.dumps(
        {"invitation": invitation.pk, "email": invitation.email}, salt=INVITATION_SALT
    )


def invitation_from_token(token):
    """The :class:`OrganizationInvitation` a token was issued for, or ``Refused``."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(
            _(
                "This invitation has expired. "
                "Ask the organization's representative to invite you again."
            )
        ) from None
    except signing.BadSignature:
        raise Refused(_("This invitation link is not valid.")) from None
    invitation = (
        OrganizationInvitation.objects.select_related("organization", "invited_by")
        .filter(pk=data.get("invitation"), email=data.get("email"))
        .first()
    )
    if invitation is None or invitation.status == InvitationStatus.WITHDRAWN:
        raise Refused(_("This invitation was withdrawn."))
    return invitation


def invite(organization, user, email):
    """A representative invites ``email`` to join; the invitation is emailed after commit."""
    check_representative(user, organization)
    # A look-alike of a member's address would send them a lookalike-addressed invitation.
    if problem := email_problem(email):
        raise Refused(problem)
    email = canonical_email(email)
    if OrganizationMembership.objects.filter(
        organization=organization, person__email_canonical=email
    ).exists():
        raise Refused(_("This person is already a member."))
    pending = organization.invitations.filter(status=InvitationStatus.PENDING)
    if pending.count() >= MAX_PENDING_INVITATIONS:
        raise Refused(
            _("At most %(count)s invitations can wait for an answer at once.")
            % {"count": MAX_PENDING_INVITATIONS}
        )
    try:
        with transaction.atomic():
            invitation = OrganizationInvitation.objects.create(
                organization=organization, email=email, invited_by=user
            )
    except IntegrityError:
        raise Refused(_("This address has already been invited.")) from None

    queue_invitation(invitation.pk)
    return invitation


def withdraw_invitation(organization, user, invitation):
    """A representative withdraws an invitation nobody has answered yet."""
    check_representative(user, organization)
    if invitation.organization_id != organization.pk:
        raise NotRepresentative
    updated = OrganizationInvitation.objects.filter(
        pk=invitation.pk, status=InvitationStatus.PENDING
    ).update(status=InvitationStatus.WITHDRAWN, responded_at=timezone.now())
    if not updated:
        raise Refused(_("This invitation has already been answered."))


def is_invitee(user, invitation):
    """Whether ``user`` is signed in with the address ``invitation`` was sent to."""
    return user.is_authenticated and canonical_email(user.email) == canonical_email(
        invitation.email
    )


def respond(invitation, user, *, accept):
    """Accept or decline an invitation, signed in with the address it was sent to."""
    if not is_invitee(user, invitation):
        raise Refused(
            _("This invitation was sent to another email address. Sign in with that address.")
        )
    with transaction.atomic():
        locked = OrganizationInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status == InvitationStatus.WITHDRAWN:
            raise Refused(_("This invitation was withdrawn."))
        if locked.status != InvitationStatus.PENDING:
            raise Refused(_("You have already answered this invitation."))
        locked.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "responded_at"])
        if accept:
            _membership, created = OrganizationMembership.objects.get_or_create(
                organization_id=locked.organization_id, person=user
            )
            if created:
                log(
                    instance=locked.organization,
                    action=JOINED_ACTION,
                    user=user,
                    data={"email": user.email},
                )
    return locked


def _representatives_locked(organization):
    """The organization's representative memberships, locked until the transaction ends."""
    return list(
        OrganizationMembership.objects.select_for_update()
        .filter(organization=organization, is_representative=True)
        .values_list("pk", flat=True)
    )


def _last_representative():
    return Refused(
        _(
            "An organization needs at least one representative. "
            "Make another member a representative first."
        )
    )


def remove_member(organization, user, membership):
    """A representative removes a member, or a member leaves; never the last representative."""
    if membership.organization_id != organization.pk:
        raise NotRepresentative
    if membership.person_id != user.pk:
        check_representative(user, organization)
    with transaction.atomic():
        representatives = _representatives_locked(organization)
        locked = OrganizationMembership.objects.filter(pk=membership.pk).first()
        if locked is None:
            raise Refused(_("This person is no longer a member."))
        if locked.is_representative and representatives == [locked.pk]:
            raise _last_representative()
        email = locked.person.email
        locked.delete()
        log(instance=organization, action=REMOVED_ACTION, user=user, data={"email": email})


def set_representative(organization, user, membership, *, representative):
    """A representative appoints a member as representative, or steps one down.

    The last representative cannot step down.
    """
    check_representative(user, organization)
    if membership.organization_id != organization.pk:
        raise NotRepresentative
    with transaction.atomic():
        representatives = _representatives_locked(organization)
        locked = OrganizationMembership.objects.filter(pk=membership.pk).first()
        if locked is None:
            raise Refused(_("This person is no longer a member."))
        if locked.is_representative == representative:
            return locked
        if not representative and representatives == [locked.pk]:
            raise _last_representative()
        locked.is_representative = representative
        locked.save(update_fields=["is_representative"])
        log(
            instance=organization,
            action=REPRESENTATIVE_ACTION,
            user=user,
            data={"email": locked.person.email, "representative": representative},
        )
    return locked


def memberships_of(user):
    """``user``'s memberships with their organizations, representatives' first."""
    return (
        OrganizationMembership.objects.filter(person=user)
        .select_related("organization", "organization__university")
        .order_by("-is_representative", "organization__name")
    )


def pending_invitations_for(user):
    """Invitations waiting for ``user``'s answer (sent to their address).

    Invitations are stored canonical; ones stored before that, lower-cased, differ
    from it only for internationalized domains, so both spellings are asked for.
    """
    addresses = {canonical_email(user.email), (user.email or "").strip().lower()}
    return (
        OrganizationInvitation.objects.filter(email__in=addresses, status=InvitationStatus.PENDING)
        .select_related("organization", "invited_by")
        .order_by("-invited_at")
    )
