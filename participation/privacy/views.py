"""The person's privacy pages: ask for an export, download it, erase the account."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from participation.people.throttling import too_many_requests

from . import services
from .forms import EraseAccountForm, confirmation_word
from .models import DataExport, ExportStatus

security = logging.getLogger("hadaf.security")

ERASE_RATE = "10/h"
# Headers of the download: saved, never shown inline or cached by a proxy.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
}


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    """The privacy page; a POST asks for a new export of the person's data."""
    person = request.user
    if request.method == "POST":
        try:
            services.request_export(person)
        except services.ExportRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("We are preparing your data; we will email you a link."))
        return redirect("privacy:index")
    now = timezone.now()
    exports = DataExport.objects.filter(person=person)[:5]
    context = {
        "exports": exports,
        "in_progress": any(export.status == ExportStatus.PENDING for export in exports),
        "link_days": services.EXPORT_LINK_DAYS,
        "per_day": services.EXPORTS_PER_DAY,
        "limit_reached": services.exports_today(person, now) >= services.EXPORTS_PER_DAY,
        "now": now,
    }
    return TemplateResponse(request, "participation/privacy/index.html", context)


@never_cache
@login_required
@require_safe
def download(request, token):
    """Serve an export's zip to its own person while its link is valid."""
    export = services.export_for_token(token)
    if export is None or export.person_id != request.user.pk:
        if export is not None:
            security.warning(
                "Data export %s link opened by another account %s.", export.pk, request.user.pk
            )
        return _link_problem(request, expired=False, status=404)
    if services.is_expired(export) or not export.file:
        return _link_problem(request, expired=True, status=410)
    day = timezone.localdate(export.ready_at or export.created_at)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"hadaf-data-{day:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response


def _link_problem(request, *, expired, status):
    context = {"expired": expired, "link_days": services.EXPORT_LINK_DAYS}
    response = TemplateResponse(
        request, "participation/privacy/link_problem.html", context, status=status
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@login_required
@ratelimit(key="user", rate=ERASE_RATE, method="POST", block=False)
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request):
    """Confirm with the password and a typed word, then erase the account and sign out."""
    person = request.user
    refusal = None
    try:
        services.check_can_erase(person)
    except services.ErasureRefused as error:
        refusal = str(error)
    form = EraseAccountForm(request.POST or None, user=person)
    if request.method == "POST" and refusal is None:
        if getattr(request, "limited", False):
            return too_many_requests(request)
        if form.is_valid():
            services.erase_account(person)
            logout(request)
            return redirect("privacy:erased")
    context = {"form": form, "refusal": refusal, "word": confirmation_word()}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "participation/privacy/erase.html", context, status=status)


@require_safe
def erased(request):
    """Said once the account is gone (the person is signed out by then)."""
    return TemplateResponse(
        request, "participation/privacy/erased.html", {"site_name": settings.WAGTAIL_SITE_NAME}
    )
