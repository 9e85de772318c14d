"""Academic status: who is a verified student, faculty or staff member, and how we know.

Two ways in: a verified email address at one of a university's registered domains
(automatic, when allauth confirms the address), or an editor's decision in the admin.
Every editor's decision is written to Wagtail's log with who made it.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from participation import audit
from participation.audit.choices import AuditAction
from participation.choices import AcademicVerification
from participation.emails import canonical_domain

from .models import University

VERIFIED_ACTION = "hadaf.people.academic_verified"
REVOKED_ACTION = "hadaf.people.academic_revoked"


def email_domain(email):
    """The domain of ``email`` in its canonical form (``xn--…`` if internationalized, as
    registered domains are written); ``""`` if it has none."""
    _local, at, domain = (email or "").strip().rpartition("@")
    return canonical_domain(domain.rstrip(".")) if at else ""


def university_for_email(email):
    """The university whose registered domains cover ``email``, or ``None``.

    Subdomains count (``mail.ut.ac.ir`` is the University of Tehran's when ``ut.ac.ir`` is
    registered). When several match, the most specific registered domain wins.
    """
    domain = email_domain(email)
    if not domain:
        return None
    matches = [
        (len(own), university)
        for university in University.objects.exclude(email_domains="")
        if (own := university.matching_domain(domain))
    ]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def verify_by_email(person, email, now=None):
    """Verify ``person`` as an academic if ``email`` (already confirmed) is a university's.

    Sets the university to the one the address belongs to: a confirmed address is better
    evidence than what the person chose from the list.

    Returns:
        University | None: the university, or ``None`` when the address is not academic.
    """
    university = university_for_email(email)
    if university is None:
        return None
    person.university = university
    person.academic_verified_at = now or timezone.now()
    person.academic_verified_via = AcademicVerification.EMAIL
    person.save(update_fields=["university", "academic_verified_at", "academic_verified_via"])
    return university


def verify_by_editor(person, editor, now=None):
    """An editor confirms ``person`` is an academic; logged in Wagtail's history and audited."""
    with transaction.atomic():
        person.academic_verified_at = now or timezone.now()
        person.academic_verified_via = AcademicVerification.EDITOR
        person.save(update_fields=["academic_verified_at", "academic_verified_via"])
        log(instance=person, action=VERIFIED_ACTION, user=editor, data=_log_data(person))
        audit.record(editor, AuditAction.VERIFY_PERSON, target=person)


def revoke(person, editor):
    """An editor withdraws ``person``'s academic status; logged in Wagtail's history and audited."""
    with transaction.atomic():
        person.academic_verified_at = None
        person.academic_verified_via = ""
        person.save(update_fields=["academic_verified_at", "academic_verified_via"])
        log(instance=person, action=REVOKED_ACTION, user=editor, data=_log_data(person))
        audit.record(editor, AuditAction.REVOKE_PERSON, target=person)


def _log_data(person):
    return {
        "role": person.role,
        "university": person.university.name if person.university_id else "",
    }
