"""Who may verify organizations (editors), and who may act for one (its representatives)."""

from participation.access import EDITORIAL_GROUPS
from participation.people.models import OrganizationMembership

VERIFY_PERMISSION = "organizations.verify_organization"


def can_verify(user):
    """Whether ``user`` may verify organizations or withdraw their verification.

    The same rule as for incentives: Wagtail's Editors and Moderators, superusers, and
    anyone given the permission by hand.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(VERIFY_PERMISSION):
        return True
    return user.groups.filter(name__in=EDITORIAL_GROUPS).exists()


def membership_of(user, organization):
    """``user``'s membership of ``organization``, or ``None``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return OrganizationMembership.objects.filter(organization=organization, person=user).first()


def is_representative(user, organization):
    """Whether ``user`` represents ``organization`` (verified or not)."""
    membership = membership_of(user, organization)
    return membership is not None and membership.is_representative
