"""The editors' side of incentives in the Wagtail admin.

Lists of awards and certificates (filtered by kind, call, certificate status, name or
email), awarding an incentive by hand with an optional certificate, and a certificate's
page with its history and the revoke form. Only people who may manage incentives
(``permissions.can_manage``) see or use any of it; awards, certificates and revocations
are written to Wagtail's log by ``services``.
"""

from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.log_actions import registry as log_registry

from participation.security import deny

from . import permissions, services
from .choices import CertificateStatus
from .forms import AwardFilterForm, AwardForm, RevokeForm
from .models import Award, Certificate

PER_PAGE = 50


def manager_required(view):
    """Refuse (403) anyone who may not manage incentives."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_manage(request.user):
            raise deny(request, "incentives", **kwargs)
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request, queryset, prefix=""):
    """``queryset`` narrowed by the filter form's valid values; (queryset, form)."""
    form = AwardFilterForm(request.GET or None)
    if not form.is_valid():
        return queryset, form
    data = form.cleaned_data
    if data["kind"]:
        queryset = queryset.filter(**{f"{prefix}kind": data["kind"]})
    if data["call"]:
        queryset = queryset.filter(**{f"{prefix}call_key": data["call"]})
    if data["q"]:
        text = data["q"].strip()
        queryset = queryset.filter(
            Q(**{f"{prefix}recipient_user__email__icontains": text})
            | Q(**{f"{prefix}recipient_user__first_name__icontains": text})
            | Q(**{f"{prefix}recipient_user__last_name__icontains": text})
            | Q(**{f"{prefix}recipient_organization__name__icontains": text})
        )
    certificate = "certificate__" if not prefix else ""
    status = data["status"]
    if status == "none" and not prefix:
        queryset = queryset.filter(certificate__isnull=True)
    elif status == CertificateStatus.REVOKED:
        queryset = queryset.filter(**{f"{certificate}revoked_at__isnull": False})
    elif status == CertificateStatus.READY:
        queryset = queryset.filter(
            **{
                f"{certificate}revoked_at__isnull": True,
                f"{certificate}generated_at__isnull": False,
            }
        )
    elif status == CertificateStatus.PREPARING:
        queryset = queryset.filter(
            **{
                f"{certificate}pk__isnull": False,
                f"{certificate}revoked_at__isnull": True,
                f"{certificate}generated_at__isnull": True,
            }
        )
    return queryset, form


def _page(request, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return {"paginator": paginator, "page_obj": page_obj, "query": query.urlencode()}


@manager_required
def award_list(request):
    """The ledger: every award, newest first, with its certificate's status."""
    awards = Award.objects.select_related(
        "recipient_user", "recipient_organization", "awarded_by", "certificate"
    )
    awards, form = _filtered(request, awards)
    context = {"filter_form": form, **_page(request, awards)}
    return TemplateResponse(request, "participation/incentives/admin/awards.html", context)


@manager_required
def certificate_list(request):
    """Every certificate, newest first."""
    certificates = Certificate.objects.select_related(
        "award", "award__recipient_user", "award__recipient_organization"
    )
    certificates, form = _filtered(request, certificates, prefix="award__")
    context = {"filter_form": form, **_page(request, certificates)}
    return TemplateResponse(request, "participation/incentives/admin/certificates.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def award_new(request):
    """Award an incentive by hand; the same form posted twice records one award."""
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _award, created, certificate = services.award_by_editor(
                data["recipient"],
                data["kind"],
                call_page=data["call_page"],
                reason=data["reason"],
                source=form.source,
                amount=data["amount"],
                points=data["points"],
                with_certificate=data["issue_certificate"],
                by=request.user,
            )
        except services.IncentiveError as error:
            form.add_error(None, error.message)
        else:
            if not created:
                messages.warning(request, _("This award was already recorded."))
            elif certificate is not None:
                messages.success(
                    request,
                    _("Award recorded; certificate %(code)s issued.")
                    % {"code": certificate.display_code},
                )
            else:
                messages.success(request, _("Award recorded."))
            return redirect("hadaf_incentives:awards")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "participation/incentives/admin/award_form.html", {"form": form}, status=status
    )


def _certificate_page(request, certificate, form, status=200):
    context = {
        "certificate": certificate,
        "award": certificate.award,
        "form": form,
        "verification_url": services.verification_url(certificate),
        "log_entries": log_registry.get_logs_for_instance(certificate).select_related("user"),
    }
    return TemplateResponse(
        request, "participation/incentives/admin/certificate.html", context, status=status
    )


@manager_required
def certificate_detail(request, pk):
    """A certificate: what it says, its status and history, and the revoke form."""
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "award", "award__recipient_user", "award__recipient_organization", "revoked_by"
        ),
        pk=pk,
    )
    return _certificate_page(request, certificate, RevokeForm())


@manager_required
@require_POST
def certificate_revoke(request, pk):
    """Revoke a certificate (POST, with a reason)."""
    certificate = get_object_or_404(Certificate.objects.select_related("award"), pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke(certificate, request.user, form.cleaned_data["reason"])
        except services.IncentiveError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request,
                _("Certificate %(code)s revoked.") % {"code": certificate.display_code},
            )
            return redirect("hadaf_incentives:certificate", certificate.pk)
    return _certificate_page(request, certificate, form, status=400)


@manager_required
@require_POST
def certificate_generate(request, pk):
    """Queue the PDF of a certificate whose generation failed or never ran."""
    certificate = get_object_or_404(Certificate, pk=pk)
    if certificate.is_revoked or certificate.is_ready:
        messages.warning(request, _("This certificate needs no new PDF."))
    else:
        services.queue_pdf(certificate)
        messages.success(request, _("The PDF will be prepared again."))
    return redirect("hadaf_incentives:certificate", certificate.pk)
