"""Who may take part in a call, and why not: an ineligible visitor sees the reason."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from participation.choices import CallState
from participation.persian import join_list

from .choices import Audience, AudienceRole
from .lifecycle import compute_state

# Whether an account erased since had answered the call with one of the person's
# addresses: the rule lives with the erasures (participation/privacy), which registers it
# here once the apps are ready (PrivacyConfig.ready), so this kernel module asks it
# without importing a feature app (issue 18).
_answered_before_checks = []


def register_answered_before(check):
    """Add ``check(user, call_key) -> bool`` to :func:`has_answered_before`. Idempotent."""
    if check not in _answered_before_checks:
        _answered_before_checks.append(check)


def has_answered_before(user, call_key):
    """Whether a registered check says ``user`` has answered ``call_key`` before."""
    return any(check(user, call_key) for check in _answered_before_checks)


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may answer a call now; ``reason`` explains a refusal."""

    allowed: bool
    reason: str = ""
    # Whether signing in (or another account) could change the answer.
    needs_sign_in: bool = False

    def __bool__(self):
        return self.allowed


def is_verified_academic(user):
    """Whether the person's academic status is verified (by email domain or an editor)."""
    return bool(getattr(user, "academic_verified_at", None))


def represents_an_organization(user):
    """Whether the person represents a verified organization.

    Organizations arrive with the accounts issue; until then nobody does.
    """
    checker = getattr(user, "represents_verified_organization", None)
    return bool(checker()) if callable(checker) else False


def _has_allowed_role(user, roles):
    if user.role and user.role in roles:
        return True
    return AudienceRole.ORGANIZATION in roles and represents_an_organization(user)


def audience_reason(call):
    """A sentence saying who the call is for, for an ineligible visitor."""
    if call.audience == Audience.VERIFIED_ACADEMICS:
        return _("This call is open to verified academics only.")
    if call.audience == Audience.ROLES:
        labels = [str(AudienceRole(role).label) for role in call.audience_roles]
        return _("This call is open to: %(roles)s.") % {"roles": join_list(labels)}
    return ""


def check_eligibility(user, call, now=None):
    """Whether ``user`` may answer ``call``.

    Args:
        user: the request's user (possibly anonymous).
        call: a page with :class:`participation.lifecycle.CallPageMixin`.
        now: the moment to judge at (tests).

    Returns:
        Eligibility: allowed, or refused with a translated reason.
    """
    state = compute_state(call.opens_at, call.closes_at, call.outcome_published_at, now)
    if state == CallState.UPCOMING:
        return Eligibility(False, _("This call is not open yet."))
    if state != CallState.OPEN:
        return Eligibility(False, _("This call is closed; responses are no longer accepted."))
    if not user.is_authenticated:
        return Eligibility(False, _("Sign in to take part."), needs_sign_in=True)
    if not user.is_active:
        return Eligibility(False, _("Your account is not active."))
    if has_answered_before(user, call.call_key):
        # Answered from an account erased since, with the same email address.
        return Eligibility(False, _("You have already answered this call."))
    if call.audience == Audience.VERIFIED_ACADEMICS and not is_verified_academic(user):
        return Eligibility(False, audience_reason(call))
    if call.audience == Audience.ROLES and not _has_allowed_role(user, call.audience_roles):
        return Eligibility(False, audience_reason(call))
    return Eligibility(True)
