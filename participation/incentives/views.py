"""Public side of certificates: verifying a code, the holder's PDF, the promotion report.

The verification page is public and shows only what a certificate itself shows a
reader: the holder's name, what it was for (the call's title) and the date, and
whether it was revoked and when. The reason for a revocation is not shown: it may
describe the holder's conduct, which is for the editors' log, not for anyone with
the code. Nothing else about the holder (email, university, other awards) is read.
"""

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from participation.access import sign_in_url
from participation.choices import Role
from participation.persian import to_latin_digits
from participation.security import log_refusal

from . import (
    codes,
    pdf,  # WeasyPrint is loaded only by the views that render a PDF.
    permissions,
    promotion,
)
from .models import Certificate

# Headers of every PDF download: saved, never shown inline or cached by a proxy.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
}
# Columns the verification page may read: nothing about the holder but the name.
PUBLIC_FIELDS = ("code", "holder_name", "call_title", "issued_on", "revoked_at")


def _private(response):
    """Not kept by the page cache or any proxy; not indexed by search engines."""
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def not_found(request, code=""):
    """404 page saying, in the visitor's language, that no certificate has this code."""
    response = TemplateResponse(
        request, "participation/incentives/not_found.html", {"code": code}, status=404
    )
    return _private(response)


def find_certificate(code, fields=None):
    """The certificate whose code ``code`` is once normalized, or None."""
    normalized = codes.normalize(code)
    if normalized is None:
        return None
    certificates = Certificate.objects.filter(code=normalized)
    if fields:
        certificates = certificates.only(*fields)
    return certificates.first()


@require_safe
def lookup(request):
    """A form to type a code; a typed code goes to its verification page."""
    typed = request.GET.get("code", "").strip()
    if typed:
        normalized = codes.normalize(typed)
        if normalized is None:
            return not_found(request, typed)
        return redirect("incentives:verify", codes.display(normalized))
    return _private(TemplateResponse(request, "participation/incentives/lookup.html", {}))


@require_safe
def verify(request, code):
    """Confirm a certificate is genuine: name, call, date, and whether it was revoked."""
    certificate = find_certificate(code, PUBLIC_FIELDS)
    if certificate is None:
        return not_found(request, code)
    if code != certificate.display_code:
        # One address per certificate, however the code was typed.
        return redirect("incentives:verify", certificate.display_code, permanent=True)
    response = TemplateResponse(
        request, "participation/incentives/verify.html", {"certificate": certificate}
    )
    return _private(response)


@require_safe
def download(request, code):
    """The certificate's PDF, for its holder and for editors; 404 for anyone else."""
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request.get_full_path()))
    certificate = find_certificate(code)
    if certificate is None or not permissions.may_download(request.user, certificate):
        if certificate is not None:
            log_refusal(request, "certificate pdf", certificate=certificate.pk)
        return not_found(request, code)
    context = {"certificate": certificate}
    if certificate.is_revoked and not permissions.can_manage(request.user):
        return _private(
            TemplateResponse(request, "participation/incentives/revoked.html", context, status=410)
        )
    if not certificate.is_ready:
        return _private(
            TemplateResponse(request, "participation/incentives/preparing.html", context)
        )
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.display_code}.pdf",
        content_type="application/pdf",
    )
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response


@require_safe
def promotion_report(request):
    """The signed-in faculty member's promotion report, as a PDF to hand to a committee."""
    if not request.user.is_authenticated:
        return redirect(sign_in_url(request.get_full_path()))
    if request.user.role != Role.FACULTY:
        return _private(
            TemplateResponse(
                request, "participation/incentives/promotion_refused.html", {}, status=403
            )
        )

    report = promotion.build_report(request.user)
    content = pdf.render_pdf(promotion.REPORT_TEMPLATE, {"report": report})
    today = to_latin_digits(timezone.localdate().isoformat())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="promotion-report-{today}.pdf"'
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response
