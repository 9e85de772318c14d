"""Who may read the audit log: superusers and holders of ``audit.view_auditevent``."""

VIEW_PERMISSION = "audit.view_auditevent"


def can_view_log(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(VIEW_PERMISSION)
