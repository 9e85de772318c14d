"""Background work of privacy: building exports and the emails, queued after commits."""

import logging
import secrets

from django.conf import settings
from django.core.files import File
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from participation.mail import send_or_retry
from participation.persian import format_date

from . import services
from .export import build_export_file
from .models import DataExport, ExportStatus

logger = logging.getLogger("hadaf.privacy")


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _message(template, context, recipient, language):
    """(subject, body, recipient) of one of the privacy emails."""
    with translation.override(language):
        context = {"site_name": str(settings.WAGTAIL_SITE_NAME), **context}
        subject = render_to_string(f"participation/privacy/email/{template}_subject.txt", context)
        body = render_to_string(f"participation/privacy/email/{template}_body.txt", context)
    return " ".join(subject.split()), body, recipient


@task()
def build_data_export(export_id):
    """Build export ``export_id``'s zip, give it a 7-day link and email the link to its person."""
    export = DataExport.objects.select_related("person").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return False
    person = export.person
    try:
        with translation.override(export.language), build_export_file(person) as content:
            token = services.finish_export(export, File(content))
    except Exception:
        logger.exception("Data export %s could not be built.", export_id)
        services.delete_export_file(export)
        DataExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED, file="")
        return False
    if not person.is_active or not person.email:
        return True
    # A retry is a new task that gives the link a new token: this one is never stored.
    send_or_retry([_export_ready_message(export, token)], task=send_export_ready, args=(export_id,))
    return True


def _export_ready_message(export, token):
    person = export.person
    with translation.override(export.language):
        url = _absolute(reverse("privacy:download", args=[token]))
        expires = format_date(export.expires_at, export.language, with_time=True)
    return _message(
        "export_ready",
        {"person": person, "url": url, "expires": expires, "days": services.EXPORT_LINK_DAYS},
        person.email,
        export.language,
    )


@task()
def send_export_ready(export_id, attempt=2):
    """Send the "your export is ready" email again after it failed, with a fresh link.

    The link in the failed email was never delivered, so replacing its token loses nothing.
    """
    export = DataExport.objects.select_related("person").filter(pk=export_id).first()
    if export is None or services.is_expired(export):
        return False
    person = export.person
    if not person.is_active or not person.email:
        return False
    token = secrets.token_urlsafe(32)
    DataExport.objects.filter(pk=export_id).update(token_hash=services.hash_token(token))
    return send_or_retry(
        [_export_ready_message(export, token)],
        task=send_export_ready,
        args=(export_id,),
        attempt=attempt,
    )


@task()
def send_erasure_notice(email, language, attempt=1):
    """Tell the old address that its account was erased (the address is not kept anywhere)."""
    return send_or_retry(
        [_message("erased", {}, email, language)],
        task=send_erasure_notice,
        args=(email, language),
        attempt=attempt,
    )
