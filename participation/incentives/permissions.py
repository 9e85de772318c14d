"""Who may manage incentives and who holds a certificate."""

from participation.access import EDITORIAL_GROUPS

# Members of Wagtail's editorial groups (EDITORIAL_GROUPS) may; others need the permission.
MANAGE_PERMISSION = "incentives.manage_incentives"


def can_manage(user):
    """Whether ``user`` may list awards, award by hand and revoke certificates."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(MANAGE_PERMISSION):
        return True
    return user.groups.filter(name__in=EDITORIAL_GROUPS).exists()


def holds(user, certificate):
    """Whether ``user`` is the certificate's holder, or represents the organization that is."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    award = certificate.award
    if award.recipient_user_id is not None:
        return award.recipient_user_id == user.pk
    return user.memberships.filter(
        organization_id=award.recipient_organization_id, is_representative=True
    ).exists()


def may_download(user, certificate):
    """The holder and the people who manage incentives may download the PDF."""
    return holds(user, certificate) or can_manage(user)
