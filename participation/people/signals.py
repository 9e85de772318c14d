"""A confirmed university email address verifies academic status at once."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from . import verification


@receiver(email_confirmed, dispatch_uid="hadaf.people.verify_academic_email")
def verify_academic_email(request, email_address, **kwargs):
    verification.verify_by_email(email_address.user, email_address.email)
