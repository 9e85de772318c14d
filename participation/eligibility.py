"""Who may take part in a call, and why not: an ineligible visitor sees the reason."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from participation.choices import CallState
from participation.persian import join_list

from .choices import Audience, AudienceRole
from .lifecycle import CallPageMixin, compute_state

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Whether an account erased since had answered the call with one of the person's
# addresses: the rule lives with the erasures (participation/privacy), which registers it
# here once the apps are ready (PrivacyConfig.ready), so this kernel module asks it
# without importing a feature app (issue 18).
_answered_before_checks: list[Callable[[Any, uuid.UUID], bool]] = []


def register_answered_before(check: Callable[[Any, uuid.UUID], bool]) -> None:
    """Add ``check(user, call_key) -> bool`` to :func:`has_answered_before`. Idempotent."""
    if check not in _answered_before_checks:
        _answered_before_checks.append(check)


def has_answered_before(user: "AbstractBaseUser | AnonymousUser", call_key: uuid.UUID) -> bool:
    """Whether a registered check says ``user`` has answered ``call_key`` before."""
    return any(check(user, call_key) for check in _answered_before_checks)


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may answer a call now; ``reason`` explains a refusal."""

    allowed: bool
    reason: StrOrPromise = ""  # Translated, often lazily.
    # Whether signing in (or another account) could change the answer.
    needs_sign_in: bool = False

    def __bool__(self) -> bool:
        return self.allowed


def is_verified_academic(user: "AbstractBaseUser | AnonymousUser") -> bool:
    """Whether the person's academic status is verified (by email domain or an editor)."""
    return bool(getattr(user, "academic_verified_at", None))


def represents_an_organization(user: "AbstractBaseUser | AnonymousUser") -> bool:
    """Whether the person represents a verified organization.

    Organizations arrive with the accounts issue; until then nobody does.
    """
    checker = getattr(user, "represents_verified_organization", None)
    return bool(checker()) if callable(checker) else False


def _has_allowed_role(user: Any, roles: list[str]) -> bool:
    if user.role and user.role in roles:
        return True
    return AudienceRole.ORGANIZATION in roles and represents_an_organization(user)


def audience_reason(call: CallPageMixin) -> StrOrPromise:
    """A sentence saying who the call is for, for an ineligible visitor."""
    if call.audience == Audience.VERIFIED_ACADEMICS:
        return _("This call is open to verified academics only.")
    if call.audience == Audience.ROLES:
        labels = [str(AudienceRole(role).label) for role in call.audience_roles]
        return _("This call is open to: %(roles)s.") % {"roles": join_list(labels)}
    return ""


def check_eligibility(
    user: "AbstractBaseUser | AnonymousUser",
    call: CallPageMixin,
    now: datetime.datetime | None = None,
) -> Eligibility:
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
