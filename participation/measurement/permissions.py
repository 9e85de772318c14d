"""Who may maintain population frames. The survey's measurement report is for those who may
edit the survey (``participation.access.call_for_editor``)."""

from participation.access import EDITORIAL_GROUPS

# Members of Wagtail's editorial groups (EDITORIAL_GROUPS) may; others need the permission.
MANAGE_PERMISSION = "measurement.change_populationframe"


def can_manage_frames(user):
    """Whether ``user`` may list, create and import population frames."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(MANAGE_PERMISSION):
        return True
    return user.groups.filter(name__in=EDITORIAL_GROUPS).exists()
