"""Recording awards, issuing certificates and revoking them.

Every function here is safe to call twice: :func:`award` returns the existing line of
the ledger when the same recipient already has the same kind of award for the same
source (the database's unique constraint decides, so concurrent calls agree), and
:func:`issue_certificate` returns the award's certificate when it has one. Certificate
PDFs are written by a background task queued only after the transaction commits, so a
rolled-back award never leaves a PDF behind and a slow PDF never holds a request.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from participation import audit, bidi
from participation.audit.choices import AuditAction
from participation.choices import IncentiveKind, Role
from participation.forms import normalize_text_input
from participation.mail import site_url
from participation.people.models import Organization

from . import codes, permissions
from .models import SOURCE_MAX_LENGTH, Award, Certificate
from .tasks import generate_certificate_pdf

AWARDED_ACTION = "hadaf.incentives.awarded"
ISSUED_ACTION = "hadaf.incentives.certificate_issued"
REVOKED_ACTION = "hadaf.incentives.certificate_revoked"
MAX_REASON_LENGTH = Award._meta.get_field("reason").max_length
MAX_REVOKE_REASON_LENGTH = 1000
# Attempts at a fresh code before giving up: 60 random bits collide practically never.
CODE_ATTEMPTS = 5


class IncentiveError(Exception):
    """The award, certificate or revocation is refused; ``message`` says why, translated."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# Invisible marks that are never part of a name or reason (ZWNJ is Persian spelling: kept).
_INVISIBLE_MARKS = dict.fromkeys([0x200B, 0xFEFF, *map(ord, bidi.MARKS)])


def clean_text(value):
    """Editor or participant text: Persian letters, no bidi controls or invisible marks."""
    return normalize_text_input(str(value or "")).translate(_INVISIBLE_MARKS).strip()


def single_line(value):
    """Text for a snapshot: :func:`clean_text` on one line."""
    return " ".join(clean_text(value).split())


def call_snapshot(call_page):
    """(call_key, title) of a call page; the title of its version in the site's language.

    Certificates are Persian first: an award made from the English page still names the
    call by its Persian title when there is one.
    """
    if call_page is None:
        return None, ""
    translated = (
        call_page.get_translations(inclusive=True)
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .only("title")
        .first()
    )
    return call_page.translation_key, single_line((translated or call_page).title)


def holder_name(recipient):
    """The name a certificate gives its holder: a person's full name or an organization's."""
    if isinstance(recipient, Organization):
        return single_line(recipient.name)
    return single_line(recipient.get_full_name())


def _recipient_field(recipient):
    if isinstance(recipient, get_user_model()):
        return "recipient_user"
    if isinstance(recipient, Organization):
        return "recipient_organization"
    raise IncentiveError(_("An award goes to a person or an organization."))


def _points(value):
    if value is None or value == "":
        return None
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise IncentiveError(_("Promotion points must be a number.")) from None
    if points < 0 or not points.is_finite():
        raise IncentiveError(_("Promotion points cannot be negative."))
    return points.quantize(Decimal("0.01"))


def _amount(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise IncentiveError(_("The amount must be a whole number of rials, zero or more."))
    return value


def record_award(
    recipient,
    kind,
    *,
    call_page=None,
    reason,
    source,
    amount=None,
    points=None,
    by=None,
):
    """Record an award once; (award, created).

    See :func:`award`; ``created`` is False when the ledger already had this award.
    """
    field = _recipient_field(recipient)
    if kind not in IncentiveKind.values:
        raise IncentiveError(_("Choose a kind of incentive."))
    reason = single_line(reason)
    if not reason:
        raise IncentiveError(_("Say what the award is for."))
    if len(reason) > MAX_REASON_LENGTH:
        raise IncentiveError(
            _("The reason is too long (at most %(count)s characters).")
            % {"count": MAX_REASON_LENGTH}
        )
    source = (source or "").strip()
    if not source or len(source) > SOURCE_MAX_LENGTH:
        raise IncentiveError(_("An award must name the contribution that earned it."))
    points, amount = _points(points), _amount(amount)
    if kind == IncentiveKind.PROMOTION_POINTS:
        if field != "recipient_user" or recipient.role != Role.FACULTY:
            raise IncentiveError(_("Promotion points are for faculty members only."))
        if not points:
            raise IncentiveError(_("Say how many promotion points are awarded."))
    lookup = {field: recipient, "kind": kind, "source": source}
    existing = Award.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    call_key, call_title = call_snapshot(call_page)
    try:
        with transaction.atomic():
            created = Award.objects.create(
                **lookup,
                call_key=call_key,
                call_title=call_title,
                reason=reason,
                amount=amount,
                points=points,
                awarded_by=by,
            )
            log(
                instance=created,
                action=AWARDED_ACTION,
                user=by,
                data={"kind": kind, "source": source},
            )
    except IntegrityError:
        # Another request recorded the same award first: theirs is the award.
        existing = Award.objects.filter(**lookup).first()
        if existing is None:
            raise
        return existing, False
    return created, True


def award(recipient, kind, *, call_page=None, reason, source, amount=None, points=None, by=None):
    """Record that ``recipient`` earned an incentive; the same source never earns twice.

    Args:
        recipient: A ``User`` or an ``Organization``.
        kind: An ``IncentiveKind`` value.
        call_page: The call page it was earned in, or None; its translation key and
            (Persian) title are kept with the award.
        reason: What it is for, e.g. "winner of the festival's culture theme".
        source: What earned it, e.g. ``"idea:<uuid>"`` or ``"comment:<uuid>"``.
        amount: Rials, for grants and prizes.
        points: Promotion points (faculty only; required for that kind).
        by: The editor who awarded it, if a person did.

    Returns:
        Award: The new award, or the one already recorded for this recipient, kind and
        source (then nothing is changed).

    Raises:
        IncentiveError: The award is not valid; nothing was recorded.
    """
    return record_award(
        recipient,
        kind,
        call_page=call_page,
        reason=reason,
        source=source,
        amount=amount,
        points=points,
        by=by,
    )[0]


def award_by_editor(
    recipient,
    kind,
    *,
    call_page=None,
    reason,
    source,
    amount=None,
    points=None,
    with_certificate=False,
    by,
):
    """An editor awards an incentive by hand: (award, created, certificate), all or nothing.

    The award (see :func:`award`), its certificate when ``with_certificate``, and, when the
    award is new, its row in the audit log are written in one transaction.

    Raises:
        IncentiveError: The award or the certificate is refused; nothing was recorded.
    """
    with transaction.atomic():
        award, created = record_award(
            recipient,
            kind,
            call_page=call_page,
            reason=reason,
            source=source,
            amount=amount,
            points=points,
            by=by,
        )
        certificate = issue_certificate(award, by=by) if with_certificate else None
        if created:
            audit.record(
                by,
                AuditAction.AWARD,
                target=award,
                call=call_page,
                kind=award.kind,
                certificate=certificate is not None,
            )
    return award, created, certificate


def issue_certificate(award, *, by=None):
    """The certificate of ``award``, issued now if it has none; its PDF follows.

    The PDF is generated by ``tasks.generate_certificate_pdf`` once the transaction
    commits (at once with the embedded task backend, by a worker in production).

    Raises:
        IncentiveError: The holder has no name to print.
    """
    existing = Certificate.objects.filter(award=award).first()
    if existing is not None:
        return existing
    name = holder_name(award.recipient)
    if not name:
        raise IncentiveError(_("The person has no name on their profile; a certificate needs one."))
    title = award.call_title or award.reason
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    code=codes.new_code(),
                    award=award,
                    holder_name=name,
                    call_title=title,
                    issued_on=timezone.localdate(),
                )
                log(
                    instance=certificate,
                    action=ISSUED_ACTION,
                    user=by,
                    data={"code": certificate.code, "award": award.pk},
                )
        except IntegrityError:
            existing = Certificate.objects.filter(award=award).first()
            if existing is not None:  # issued by a concurrent request
                return existing
            continue  # the code was taken: draw another
        queue_pdf(certificate)
        return certificate
    raise IntegrityError("Could not draw an unused certificate code.")


def queue_pdf(certificate):
    """Generate ``certificate``'s PDF in the background once the transaction commits."""
    certificate_id = certificate.pk
    transaction.on_commit(lambda: generate_certificate_pdf.enqueue(certificate_id))


def revoke(certificate, by, reason):
    """Revoke ``certificate`` for ``reason``; logged in its Wagtail history and audited.

    The public verification page then says it is revoked and since when; the reason
    stays in the admin and the log.

    Raises:
        PermissionDenied: ``by`` may not manage incentives.
        IncentiveError: No reason, or the certificate is already revoked.
    """
    if not permissions.can_manage(by):
        raise PermissionDenied
    reason = clean_text(reason)
    if not reason:
        raise IncentiveError(_("Say why the certificate is revoked."))
    if len(reason) > MAX_REVOKE_REASON_LENGTH:
        raise IncentiveError(
            _("The reason is too long (at most %(count)s characters).")
            % {"count": MAX_REVOKE_REASON_LENGTH}
        )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            raise IncentiveError(_("This certificate was already revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revoke_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        log(
            instance=locked,
            action=REVOKED_ACTION,
            user=by,
            data={"code": locked.code, "reason": reason},
        )
        audit.record(by, AuditAction.REVOKE_CERTIFICATE, target=locked)
    return locked


def awards_of(person):
    """The awards of ``person`` and of the organizations they represent, newest first.

    Each comes with its certificate (if any) in the same query, for dashboards.
    """
    return (
        Award.objects.filter(
            Q(recipient_user=person)
            | Q(recipient_organization__in=person.represented_organizations())
        )
        .select_related("certificate", "recipient_organization")
        .order_by("-awarded_at", "-pk")
    )


def verification_path(certificate):
    """The path of the certificate's public verification page, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("incentives:verify", args=[certificate.display_code])


def verification_url(certificate):
    """The absolute URL of the verification page, as printed and in the QR code.

    On the configured site address (``participation.mail.site_url``), never a request's.
    """
    return site_url(verification_path(certificate))
