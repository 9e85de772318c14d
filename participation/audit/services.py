"""Writing audit events. Editors' views call :func:`record` once per action they take."""

import logging
import uuid

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from .choices import AuditAction
from .models import AuditEvent

logger = logging.getLogger("hadaf.audit")

# Detail values are short machine values (formats, statuses, ids); longer strings would be
# free text, which an audit row must not carry.
MAX_DETAIL_TEXT = 64


class FreeTextInDetails(ValueError):
    """A detail value looks like free text (too long or not a plain value)."""


def _actor_of(request_or_user):
    user = getattr(request_or_user, "user", request_or_user)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def actor_label(user):
    """How the row names the editor: their name, else their email, with the account id."""
    if user is None:
        return "—"
    name = (user.get_full_name() or "").strip() or user.get_username()
    return f"{name} (#{user.pk})"[:200]


def _clean_value(key, value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        if len(value) > MAX_DETAIL_TEXT:
            raise FreeTextInDetails(f"audit detail {key!r} is too long to be a plain value")
        return value
    if isinstance(value, list | tuple):
        return [_clean_value(key, item) for item in value]
    raise FreeTextInDetails(f"audit detail {key!r} has an unsupported type {type(value)!r}")


def clean_details(details):
    """``details`` as JSON-safe plain values; raises :class:`FreeTextInDetails` otherwise."""
    return {key: _clean_value(key, value) for key, value in details.items()}


def _call_ids(call, target):
    page = call
    if page is None and isinstance(target, Page):
        page = target
    if page is None:
        return None, None
    return page.pk, page.translation_key


def record(request_or_user, action, target=None, call=None, **details):
    """Append one audit event: who (the request's user), what, on which object and call.

    Args:
        request_or_user: the editor's request, or the user (``None`` for the system).
        action: an :class:`AuditAction` value.
        target: the model instance acted on (a submission, a person, a page…), if any.
        call: the call page the action belongs to, if any.
        **details: counts, formats, filters, statuses from/to — never answer text.
    """
    action = AuditAction(action)
    actor = _actor_of(request_or_user)
    call_page_id, call_key = _call_ids(call, target)
    event = AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        call_page_id=call_page_id,
        call_key=call_key,
        details=clean_details(details),
    )
    logger.info(
        "audit %s by user %s on %s %s",
        action.value,
        actor.pk if actor else "-",
        event.target_type.model if event.target_type else "-",
        event.target_id or "-",
    )
    return event


def results_were_public(log_entry):
    """Whether the call's results were public just before this publish or unpublish."""
    from wagtail.models import PageLogEntry

    previous = (
        PageLogEntry.objects.filter(
            page_id=log_entry.page_id, action__in=["wagtail.publish", "wagtail.unpublish"]
        )
        .exclude(pk=log_entry.pk)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if previous is None or previous.action != "wagtail.publish" or previous.revision is None:
        return False
    return bool(previous.revision.content.get("results_published"))


def record_results_publication(log_entry):
    """After a page is published or unpublished, record a change in its published results.

    Results go public when an editor publishes a call with "results published" ticked
    (and stop being public when they untick it or unpublish the call), so the change is
    read from the page's state now against its state at the previous publication. Publishing
    without a person (demo seeding, data loading) is not an editor's action: no event.
    """
    editor = log_entry.user or (log_entry.revision.user if log_entry.revision_id else None)
    if editor is None:
        return None
    page = Page.objects.filter(pk=log_entry.page_id).first()
    if page is None:
        return None
    page = page.specific
    if not hasattr(page, "results_published"):
        return None
    published = bool(page.live and page.results_published)
    if published == results_were_public(log_entry):
        return None
    action = AuditAction.PUBLISH_RESULTS if published else AuditAction.UNPUBLISH_RESULTS
    return record(editor, action, target=page, call=page)
