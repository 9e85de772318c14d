import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pages.models import SurveyCampaignPage
from participation.choices import Audience, AudienceRole, CallState
from participation.eligibility import check_eligibility
from participation.lifecycle import compute_state
from tests.people.factories import UserFactory

NOW = timezone.now()
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("opens", "closes", "outcome", "expected"),
    [
        (None, None, None, CallState.UPCOMING),
        (NOW + HOUR, NOW + 2 * HOUR, None, CallState.UPCOMING),
        (NOW - HOUR, NOW + HOUR, None, CallState.OPEN),
        (NOW - HOUR, None, None, CallState.OPEN),
        (NOW - 2 * HOUR, NOW - HOUR, None, CallState.CLOSED),
        (NOW - 2 * HOUR, NOW - HOUR, NOW - HOUR / 2, CallState.OUTCOME_PUBLISHED),
        # An outcome scheduled for later is not published yet.
        (NOW - 2 * HOUR, NOW - HOUR, NOW + HOUR, CallState.CLOSED),
        # Closing time is exclusive: at the closing instant the call is closed.
        (NOW - HOUR, NOW, None, CallState.CLOSED),
    ],
)
def test_state_is_derived_from_the_dates(opens, closes, outcome, expected):
    assert compute_state(opens, closes, outcome, now=NOW) == expected


def call(**fields):
    defaults = {
        "opens_at": NOW - HOUR,
        "closes_at": NOW + HOUR,
        "outcome_published_at": None,
        "audience": Audience.SIGNED_IN,
        "audience_roles": [],
        "call_key": uuid.uuid4(),
    }
    return SimpleNamespace(**{**defaults, **fields})


class AnonymousUser:
    is_authenticated = False
    is_active = False


@pytest.mark.django_db
def test_eligibility_explains_every_refusal():
    student = UserFactory(role="student")
    assert check_eligibility(student, call(), now=NOW)
    refused = check_eligibility(AnonymousUser(), call(), now=NOW)
    assert not refused and refused.needs_sign_in
    assert "وارد" in str(refused.reason)
    assert not check_eligibility(student, call(opens_at=NOW + HOUR), now=NOW)
    assert not check_eligibility(student, call(closes_at=NOW - HOUR / 2), now=NOW)
    faculty_only = call(audience=Audience.ROLES, audience_roles=[AudienceRole.FACULTY])
    refusal = check_eligibility(student, faculty_only, now=NOW)
    assert not refusal and "اعضای هیئت علمی" in str(refusal.reason)
    assert check_eligibility(UserFactory(role="faculty"), faculty_only, now=NOW)
    verified_only = call(audience=Audience.VERIFIED_ACADEMICS)
    assert not check_eligibility(student, verified_only, now=NOW)
    student.academic_verified_at = NOW
    assert check_eligibility(student, verified_only, now=NOW)
    inactive = UserFactory(is_active=False)
    assert not check_eligibility(inactive, call(), now=NOW)


@pytest.mark.django_db
def test_call_page_validation_refuses_inconsistent_dates_and_roles():
    page = SurveyCampaignPage(
        title="نظرسنجی",
        slug="s",
        opens_at=NOW,
        closes_at=NOW - HOUR,
        audience=Audience.ROLES,
        audience_roles=[],
        outcome_published_at=NOW - 2 * HOUR,
    )
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert set(caught.value.message_dict) >= {"closes_at", "audience_roles", "outcome_published_at"}
    page.audience_roles = ["dean"]
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "audience_roles" in caught.value.message_dict
