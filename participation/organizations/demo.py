"""Demo organizations for ``seed_demo``: the association's members, one awaiting verification.

Runs after ``participation.people.demo.seed_accounts`` (the people) and
``participation.ideas.demo.ensure_organization`` (the verified association).
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from participation.choices import OrganizationKind
from participation.people.demo import (
    DEMO_EMAIL_DOMAIN,
    ORGANIZATION_NAME,
    SHIRAZ,
    TEHRAN,
    ensure_universities,
)
from participation.people.models import Organization, OrganizationMembership

from .models import OrganizationProfile

REPRESENTATIVE = "anjoman.elmi"
MEMBERS = ["sara.ahmadi", "mohammad.hosseini"]
WAITING_NAME = "معاونت فرهنگی دانشگاه شیراز"
WAITING_REPRESENTATIVE = "fatemeh.karimi"
WAITING_DESCRIPTION = (
    "معاونت فرهنگی و اجتماعی دانشگاه شیراز؛ برگزارکنندهٔ جشنواره‌های فرهنگی دانشجویی "
    "و پشتیبان انجمن‌ها و کانون‌های دانشگاه."
)


def _person(local):
    return get_user_model().objects.get(email=f"{local}@{DEMO_EMAIL_DOMAIN}")


def seed_organizations():
    """Give the demo association two members; add one organization awaiting verification.

    Idempotent: a second run changes nothing.

    Returns:
        dict: ``verified`` and ``waiting`` organizations.
    """
    universities = ensure_universities()
    representative = _person(REPRESENTATIVE)
    verified, _created = Organization.objects.get_or_create(
        name=ORGANIZATION_NAME,
        university=universities[TEHRAN],
        defaults={"kind": OrganizationKind.STUDENT_ASSOCIATION, "verified_at": timezone.now()},
    )
    OrganizationMembership.objects.get_or_create(
        organization=verified, person=representative, defaults={"is_representative": True}
    )
    OrganizationProfile.objects.get_or_create(
        organization=verified, defaults={"registered_by": representative}
    )
    for local in MEMBERS:
        OrganizationMembership.objects.get_or_create(organization=verified, person=_person(local))

    waiting_representative = _person(WAITING_REPRESENTATIVE)
    waiting, _created = Organization.objects.get_or_create(
        name=WAITING_NAME,
        university=universities[SHIRAZ],
        defaults={"kind": OrganizationKind.CULTURAL_DEPUTY},
    )
    OrganizationProfile.objects.get_or_create(
        organization=waiting,
        defaults={
            "registered_by": waiting_representative,
            "description": WAITING_DESCRIPTION,
            "contact_phone": "071 3613 2000",
        },
    )
    OrganizationMembership.objects.get_or_create(
        organization=waiting, person=waiting_representative, defaults={"is_representative": True}
    )
    return {"verified": verified, "waiting": waiting}
