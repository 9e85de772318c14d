"""What editors do with commitments: make one, change it, publish news, cite its sources.

Each function is one transaction that writes the commitment, a dated public update and an
audit row, and, for a new commitment or a change of status, queues the notices to its
contributors for after the commit (a rolled-back change tells nobody; a mail server that
is down never undoes a change).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation import audit, sources
from participation.audit.choices import AuditAction
from participation.errors import Refused

from . import tasks
from .choices import CommitmentStatus, UpdateKind
from .models import Commitment, CommitmentSource, CommitmentUpdate

# The fields an editor changes with :func:`change_commitment` (the rest are descriptive).
TRACKED_FIELDS = ("status", "progress", "due_date")


def _today():
    return timezone.localdate()


def _call_of(commitment):
    """Fill in the call's key and kind from its page (a page's kind never changes)."""
    page = commitment.call.specific if commitment.call_id else None
    call_kind = getattr(page, "call_kind", None)
    if page is None or call_kind is None:
        raise Refused(_("Choose a survey, a regulation draft or an idea call."))
    commitment.call_key = page.translation_key
    commitment.call_kind = call_kind
    return page


def check_progress(commitment):
    """Refuse a progress outside 0–100."""
    if commitment.progress is None or not 0 <= commitment.progress <= 100:
        raise Refused(_("Progress is a percentage from 0 to 100."))


def check_carried_out(commitment):
    """Refuse a commitment nobody carries out."""
    if not (commitment.responsible_unit or "").strip() and commitment.university_id is None:
        raise Refused(_("Say which unit or university carries it out."))


def check_update_date(date):
    """Refuse a public update dated after today: it would head the timeline and the feed
    above what the commitment really is now."""
    if date is not None and date > _today():
        raise Refused(_("An update cannot be dated in the future."))


def check_figures(commitment):
    check_progress(commitment)
    check_carried_out(commitment)


def _normalized(commitment, reason):
    """Refuse what the public could not follow; a finished commitment is 100% done."""
    check_figures(commitment)
    if commitment.status == CommitmentStatus.DONE:
        commitment.progress = 100
    if commitment.status == CommitmentStatus.DROPPED:
        if not reason:
            raise Refused(_("Say why the commitment is dropped: the public sees the reason."))
        commitment.status_reason = reason
    else:
        commitment.status_reason = ""


def _notify_later(update):
    update_id = update.pk
    transaction.on_commit(lambda: tasks.tell_contributors.enqueue(update_id))


def create_commitment(user, commitment, *, refs=(), reason="", date=None, tell=True):
    """Save a new ``commitment`` (with its milestones), cite ``refs``, tell the contributors.

    Args:
        user: the editor.
        commitment: an unsaved :class:`Commitment` with its call and fields set (its
            milestones, if any, as modelcluster children).
        refs: the :class:`~participation.sources.SourceRef` it cites.
        reason: why, when it starts out dropped (shown to the public).
        date: the public date of the first update (today by default).
        tell: tell the contributors (the demo's seeding does not).

    Raises:
        Refused: with a message for the editor; nothing is saved.
    """
    reason = (reason or "").strip()
    check_update_date(date)
    page = _call_of(commitment)
    _normalized(commitment, reason)
    refs = _checked_refs(refs)
    with transaction.atomic():
        commitment.created_by = user if getattr(user, "pk", None) else None
        commitment.save()
        CommitmentSource.objects.bulk_create(_sources(commitment, refs))
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            kind=UpdateKind.CREATED,
            date=date or _today(),
            text=reason,
            status=commitment.status,
            progress=commitment.progress,
            due_date=commitment.due_date,
            created_by=commitment.created_by,
        )
        audit.record(
            user,
            AuditAction.CREATE_COMMITMENT,
            target=commitment,
            call=page,
            status=commitment.status,
            progress=commitment.progress,
            sources=len(refs),
        )
        if tell:
            _notify_later(update)
    return update


def change_commitment(user, commitment, *, reason="", date=None, tell=True):
    """Save an edited ``commitment``; a change of status, progress or due date is a dated
    public update, with its reason.

    Args:
        user: the editor.
        commitment: the :class:`Commitment` with the editor's changes, not yet saved.
        reason: why (required to drop it or to move its due date later; shown publicly).
        date: the public date of the update (today by default).
        tell: tell the contributors of a change of status (the demo's seeding does not).

    Returns:
        CommitmentUpdate | None: the update, or None when nothing the public follows changed.

    Raises:
        Refused: with a message for the editor; nothing is saved.
    """
    reason = (reason or "").strip()
    check_update_date(date)
    before = Commitment.objects.get(pk=commitment.pk)
    page = _call_of(commitment)
    _normalized(commitment, reason if commitment.status != before.status else before.status_reason)
    delayed = bool(
        before.due_date and commitment.due_date and commitment.due_date > before.due_date
    )
    if delayed and not reason:
        raise Refused(_("Say why the due date moves later: the public sees the reason."))
    changed = {
        field: (getattr(before, field), getattr(commitment, field))
        for field in TRACKED_FIELDS
        if getattr(before, field) != getattr(commitment, field)
    }
    with transaction.atomic():
        commitment.save()
        if not changed:
            return None
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            kind=UpdateKind.CHANGED,
            date=date or _today(),
            text=reason,
            status=commitment.status,
            previous_status=before.status,
            progress=commitment.progress,
            previous_progress=before.progress,
            due_date=commitment.due_date,
            previous_due_date=before.due_date,
            created_by=user if getattr(user, "pk", None) else None,
        )
        audit.record(
            user,
            AuditAction.CHANGE_COMMITMENT,
            target=commitment,
            call=page,
            changed=sorted(changed),
            status_from=before.status,
            status_to=commitment.status,
            progress_from=before.progress,
            progress_to=commitment.progress,
            delayed=delayed,
        )
        if tell and "status" in changed:
            _notify_later(update)
    return update


def publish_news(user, commitment, text, *, date=None):
    """A dated public update in the editor's words (no change of status)."""
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the news."))
    check_update_date(date)
    with transaction.atomic():
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            kind=UpdateKind.NOTE,
            date=date or _today(),
            text=text,
            status=commitment.status,
            progress=commitment.progress,
            due_date=commitment.due_date,
            created_by=user if getattr(user, "pk", None) else None,
        )
        Commitment.objects.filter(pk=commitment.pk).update(updated_at=timezone.now())
        audit.record(user, AuditAction.UPDATE_COMMITMENT, target=commitment, call=commitment.call)
    return update


def cite(user, commitment, refs):
    """Make ``refs`` exactly what ``commitment`` cites; returns (added, removed) counts.

    Contributors newly cited hear of the commitment as it stands (once each: their
    notice is keyed by the commitment's first update).
    """
    refs = _checked_refs(refs)
    current = {source.ref: source for source in commitment.sources.all()}
    wanted = set(refs)
    added = [ref for ref in refs if ref not in current]
    removed = [source.pk for ref, source in current.items() if ref not in wanted]
    if not added and not removed:
        return 0, 0
    with transaction.atomic():
        CommitmentSource.objects.filter(pk__in=removed).delete()
        CommitmentSource.objects.bulk_create(_sources(commitment, added))
        commitment.save(update_fields=["updated_at"])  # and the public pages go stale
        audit.record(
            user,
            AuditAction.CITE_SOURCES,
            target=commitment,
            call=commitment.call,
            added=len(added),
            removed=len(removed),
        )
        first = commitment.updates.filter(kind=UpdateKind.CREATED).first()
        if added and first is not None:
            _notify_later(first)
    return len(added), len(removed)


def _checked_refs(refs):
    unique = list(dict.fromkeys(refs))
    unknown = [ref for ref in unique if sources.provider(ref.kind) is None]
    if unknown:
        raise Refused(_("This kind of contribution cannot be cited."))
    return unique


def _sources(commitment, refs):
    return [
        CommitmentSource(
            commitment=commitment,
            kind=ref.kind,
            call_key=ref.call_key,
            object_id=ref.object_id,
            question_id=ref.question_id,
        )
        for ref in refs
    ]
