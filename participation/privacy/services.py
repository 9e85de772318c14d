"""Privacy services: asking for a data export, erasing an account, remembering erased answers.

The kernel asks :func:`has_answered_before` through ``participation.eligibility``, where
this app registers it when ready (PrivacyConfig), so nothing below imports this module.
"""

import datetime
import hashlib
import hmac
import logging
import secrets
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from participation import personal_data
from participation.emails import canonical_email
from participation.ideas.models import IdeaAuthor
from participation.incentives.models import Certificate
from participation.people.models import OrganizationMembership
from participation.submissions.models import ParticipationReceipt, Submission

from .models import DataExport, ErasedIdentity, ErasedParticipation, ExportStatus
from .tasks import build_data_export, send_erasure_notice

logger = logging.getLogger("hadaf.privacy")

EXPORT_LINK_DAYS = 7
EXPORTS_PER_DAY = 3
# A preparation that has not finished by then is taken as failed (a worker died).
EXPORT_STALE_AFTER = datetime.timedelta(hours=6)
ERASED_EMAIL_DOMAIN = "erased.invalid"


class ExportRefused(Exception):
    """A data export cannot be started now; the message says why (translated)."""


class ErasureRefused(Exception):
    """This account cannot be erased by its holder; the message says why (translated)."""


# Hashes --------------------------------------------------------------------------------------


def normalize_email(email):
    """The form an address is compared and hashed in: its canonical form.

    The same as sign-in's (``participation.emails``), so an erased ``editor@…``
    signing up again as ``editor@…teſt`` or with a fullwidth letter is still recognized.
    For plain ASCII addresses it is the lower-cased form earlier hashes were made of.
    """
    return canonical_email(email)


def email_hash(email, *, persian_letters=True):
    """HMAC-SHA256 of the normalized address, keyed with ``HADAF_ERASURE_KEY`` or SECRET_KEY.

    A dedicated key survives a SECRET_KEY rotation; without one, rotating SECRET_KEY
    forgets which erased addresses answered which calls. ``persian_letters=False`` hashes
    the form used before people migration 0007 (no Arabic-letter fold): erasures made
    before it are stored under that one, and an HMAC cannot be recomputed.
    """
    key = getattr(settings, "HADAF_ERASURE_KEY", "") or settings.SECRET_KEY
    normalized = canonical_email(email, persian_letters=persian_letters)
    return hmac.new(key.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _addresses_of(user, normalize=normalize_email):
    """Every address of ``user``: the account's, and allauth's (secondary ones too)."""
    addresses = {normalize(user.email)}
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        addresses.update(
            normalize(email)
            for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        )
    addresses.discard("")
    return addresses


def has_answered_before(user, call_key):
    """Whether an erased account with one of ``user``'s addresses had answered ``call_key``.

    The submission path calls it so that erasing an account and signing up again with
    the same address (in any letter case) cannot give a second response to a call.

    Args:
        user: the request's user (possibly anonymous).
        call_key: the call's ``call_key`` (its page's translation key).

    Returns:
        bool: True if the call was answered by an erased account with one of the addresses.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    hashes = [email_hash(address) for address in _addresses_of(user)]
    # Erasures made before people migration 0007 were hashed without the Arabic-letter fold.
    hashes += [
        email_hash(address, persian_letters=False)
        for address in _addresses_of(user, partial(canonical_email, persian_letters=False))
    ]
    if not hashes:
        return False
    return ErasedParticipation.objects.filter(
        identity__email_hash__in=hashes, call_key=call_key
    ).exists()


# Data exports --------------------------------------------------------------------------------


def exports_today(person, now=None):
    now = now or timezone.now()
    return DataExport.objects.filter(
        person=person, created_at__gte=now - datetime.timedelta(days=1)
    ).count()


def request_export(person, *, language=None):
    """Start preparing ``person``'s data export; it is built after the transaction commits.

    Returns:
        DataExport: the new export, pending.

    Raises:
        ExportRefused: one is already being prepared, or too many were asked for today.
    """
    now = timezone.now()
    _fail_stale_exports(person, now)
    if DataExport.objects.filter(person=person, status=ExportStatus.PENDING).exists():
        raise ExportRefused(
            _("Your data is already being prepared. We will email you when it is ready.")
        )
    if exports_today(person, now) >= EXPORTS_PER_DAY:
        raise ExportRefused(
            _("You have asked for your data several times today. Please try again tomorrow.")
        )
    try:
        with transaction.atomic():
            export = DataExport.objects.create(
                person=person,
                language=language or translation.get_language() or settings.LANGUAGE_CODE,
                expires_at=now + datetime.timedelta(days=EXPORT_LINK_DAYS),
            )
    except IntegrityError:
        # Another request won the race to the one-in-progress constraint.
        raise ExportRefused(
            _("Your data is already being prepared. We will email you when it is ready.")
        ) from None
    transaction.on_commit(lambda: build_data_export.enqueue(export.pk))
    return export


def _fail_stale_exports(person, now):
    DataExport.objects.filter(
        person=person, status=ExportStatus.PENDING, created_at__lt=now - EXPORT_STALE_AFTER
    ).update(status=ExportStatus.FAILED)


def finish_export(export, content):
    """Store the built zip, give it a fresh link and return the link's token (for the email).

    Only the token's SHA-256 is stored; the link is valid for ``EXPORT_LINK_DAYS``.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    export.file.save("export.zip", content, save=False)
    export.token_hash = hash_token(token)
    export.status = ExportStatus.READY
    export.ready_at = now
    export.expires_at = now + datetime.timedelta(days=EXPORT_LINK_DAYS)
    export.save()
    return token


def export_for_token(token):
    """The export a link's token opens, or None (forged, or its file was purged)."""
    if not token or len(token) > 100:
        return None
    return DataExport.objects.select_related("person").filter(token_hash=hash_token(token)).first()


def is_expired(export, now=None):
    return export.status != ExportStatus.READY or export.expires_at <= (now or timezone.now())


def delete_export_file(export):
    """Delete an export's zip from storage (missing files are fine)."""
    if export.file:
        export.file.storage.delete(export.file.name)
        export.file = ""


def purge_expired_exports(now=None):
    """Delete the zips of expired exports and mark them expired; returns how many.

    The rows stay (without a file or a working link) so the daily limit still counts
    them; rows older than 30 days go entirely.
    """
    now = now or timezone.now()
    DataExport.objects.filter(
        status=ExportStatus.PENDING, created_at__lt=now - EXPORT_STALE_AFTER
    ).update(status=ExportStatus.FAILED)
    purged = 0
    expired = DataExport.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED)
    for export in expired.exclude(status=ExportStatus.PENDING).iterator():
        delete_export_file(export)
        export.status = ExportStatus.EXPIRED
        export.token_hash = ""
        export.save(update_fields=["file", "status", "token_hash"])
        purged += 1
    DataExport.objects.filter(created_at__lt=now - datetime.timedelta(days=30)).exclude(
        status=ExportStatus.PENDING
    ).delete()
    return purged


# Erasure -------------------------------------------------------------------------------------


def erased_email():
    """A unique address that can never receive mail (RFC 2606 reserves ``.invalid``)."""
    return f"erased-{secrets.token_hex(12)}@{ERASED_EMAIL_DOMAIN}"


def is_erased(user):
    return normalize_email(user.email).endswith("@" + ERASED_EMAIL_DOMAIN)


def check_can_erase(user):
    """Raise :class:`ErasureRefused` for accounts an administrator has to close."""
    if user.is_superuser or user.is_staff:
        raise ErasureRefused(
            _("Staff accounts cannot be erased here; please ask an administrator.")
        )


def answered_call_keys(user):
    """Every call ``user`` answered: named responses and anonymous-verified receipts."""
    keys = set(Submission.objects.filter(participant=user).values_list("call_key", flat=True))
    keys.update(
        ParticipationReceipt.objects.filter(participant=user).values_list("call_key", flat=True)
    )
    return keys


def remember_erased_answers(addresses, call_keys):
    """Record, under each address's HMAC, the calls answered (merged with earlier erasures)."""
    for address in addresses:
        identity, _created = ErasedIdentity.objects.get_or_create(email_hash=email_hash(address))
        ErasedParticipation.objects.bulk_create(
            [ErasedParticipation(identity=identity, call_key=key) for key in call_keys],
            ignore_conflicts=True,
        )


def erase_account(user, *, language=None):
    """Erase ``user``'s personal data in one transaction; their contributions stay anonymous.

    Removed: names, email (replaced by an unroutable placeholder), profile details,
    password (made unusable), allauth addresses, memberships, groups, data exports,
    notifications, sign-in attempt logs; co-authorships get the placeholder address;
    certificates lose the holder's name and PDF and are revoked. Kept, without anything
    that names the person: survey responses with their role and university snapshots (so
    results do not change), clause comments, votes, reports, ideas, jury reviews and
    awards, all still pointing at the now anonymous account row, which keeps every
    one-per-person constraint working. The calls answered are remembered under an HMAC
    of each address (see :func:`has_answered_before`). What a feature app registered with
    ``participation.personal_data`` is erased as it says (votes on statements are deleted,
    statements lose their author).

    A confirmation is emailed to the old address after the transaction commits.

    Raises:
        ErasureRefused: staff accounts are closed by an administrator.
    """
    check_can_erase(user)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    User = get_user_model()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        old_email = person.email
        addresses = _addresses_of(person)
        remember_erased_answers(addresses, answered_call_keys(person))
        placeholder = erased_email()
        _erase_related(person, addresses, placeholder)
        person.email = placeholder
        person.phone = person.phone_verified_at = None
        person.first_name = person.last_name = person.faculty = ""
        person.role = person.academic_rank = person.academic_verified_via = ""
        person.university = None
        person.academic_verified_at = None
        person.last_login = None
        person.is_active = False
        person.set_unusable_password()
        person.save()
        person.groups.clear()
        person.user_permissions.clear()
        logger.info("Account %s erased at its holder's request.", person.pk)
        if old_email:  # an account made with a mobile number may have no address
            transaction.on_commit(lambda: send_erasure_notice.enqueue(old_email, language))
    # The caller's object too, so a view that logs out next sees the erased state.
    user.refresh_from_db()
    return person


def _erase_related(person, addresses, placeholder):
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=person).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=person).delete()
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=addresses).delete()
    OrganizationMembership.objects.filter(person=person).delete()
    for provider in personal_data.providers():  # the feature apps' own data
        if provider.erase is not None:
            provider.erase(person)
    # Accepted co-authorships and invitations still waiting for an answer alike. One row per
    # idea has the address, so the placeholder keeps the (idea, email) constraint.
    IdeaAuthor.objects.filter(person=person).update(email=placeholder)
    IdeaAuthor.objects.filter(person__isnull=True, email__in=addresses).update(email=placeholder)
    now = timezone.now()
    for certificate in Certificate.objects.filter(award__recipient_user=person):
        if certificate.pdf:
            certificate.pdf.storage.delete(certificate.pdf.name)
        certificate.pdf = ""
        certificate.holder_name = ""
        if certificate.revoked_at is None:
            certificate.revoked_at = now
            certificate.revoke_reason = _("The holder erased their account.")
        certificate.save()
    for export in DataExport.objects.filter(person=person):
        delete_export_file(export)
    DataExport.objects.filter(person=person).delete()
    notification_model = _notification_model()
    if notification_model is not None:
        field = _person_field(notification_model)
        if field:
            notification_model.objects.filter(**{field: person}).delete()


def _notification_model():
    """The dashboard's ``Notification`` model, when that app has one."""
    if not apps.is_installed("participation.dashboard"):
        return None
    try:
        return apps.get_model("dashboard", "Notification")
    except LookupError:
        return None


def _person_field(model):
    """The name of ``model``'s foreign key to the user model (the first one), or ""."""
    user_model = get_user_model()
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is user_model:
            return field.name
    return ""
