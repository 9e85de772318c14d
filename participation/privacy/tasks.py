"""Background work of privacy: building exports and the emails, queued after commits."""

import logging

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from pages.persian import format_date

from . import services
from .export import build_export_file
from .models import DataExport, ExportStatus

logger = logging.getLogger("hadaf.privacy")


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(template, context, recipient, language):
    with translation.override(language):
        context = {"site_name": str(settings.WAGTAIL_SITE_NAME), **context}
        subject = render_to_string(f"participation/privacy/email/{template}_subject.txt", context)
        body = render_to_string(f"participation/privacy/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [recipient])


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
    with translation.override(export.language):
        url = _absolute(reverse("privacy:download", args=[token]))
        expires = format_date(export.expires_at, export.language, with_time=True)
    _send(
        "export_ready",
        {"person": person, "url": url, "expires": expires, "days": services.EXPORT_LINK_DAYS},
        person.email,
        export.language,
    )
    return True


@task()
def send_erasure_notice(email, language):
    """Tell the old address that its account was erased (the address is not kept anywhere)."""
    _send("erased", {}, email, language)
    return True
