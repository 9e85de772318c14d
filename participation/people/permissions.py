"""Who may verify people's academic status and manage the university list."""

VERIFY_PERMISSION = "people.verify_academic"


def can_verify(user):
    """Whether ``user`` may verify or withdraw academic status by hand (editors may)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(VERIFY_PERMISSION)
