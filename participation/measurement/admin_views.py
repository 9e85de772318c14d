"""Population frames and the survey measurement report in the Wagtail admin.

Frames are kept by editors (:func:`.permissions.can_manage_frames`); a survey's report and
setting by those who may edit the survey. Views parse input, call :mod:`.importing` or
:mod:`.services`, and add messages.
"""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from participation.access import call_for_editor
from participation.choices import CallKind
from participation.persian import format_number, localize_digits
from participation.security import deny, get_or_refuse

from . import importing, permissions, services
from .forms import FrameForm, ImportForm, MeasurementForm
from .models import FrameVersion, PopulationFrame

CELLS_PER_PAGE = 100


def _require_manager(request):
    if not permissions.can_manage_frames(request.user):
        raise deny(request, "population frames")


@require_http_methods(["GET", "POST"])
def frame_index(request):
    """Every frame with its current version; POST creates a frame."""
    _require_manager(request)
    form = FrameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        frame = form.save()
        messages.success(request, _("Population frame “%(name)s” created.") % {"name": frame})
        return redirect(reverse("hadaf_frames:frame", args=[frame.pk]))
    frames = list(PopulationFrame.objects.prefetch_related("versions"))
    for frame in frames:
        frame.latest = max(frame.versions.all(), key=lambda v: v.number, default=None)
    context = {"frames": frames, "form": form}
    return TemplateResponse(request, "participation/measurement/frames.html", context)


@require_http_methods(["GET", "POST"])
def frame_detail(request, pk):
    """A frame's versions; POST imports a file as its next version, all or nothing."""
    _require_manager(request)
    frame = get_or_refuse(request, PopulationFrame.objects.all(), "population frame", pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = importing.import_version(
                frame,
                reference_year=form.cleaned_data["reference_year"],
                name=upload.name,
                data=upload.read(importing.MAX_FILE_BYTES + 1),
                user=request.user,
            )
        except importing.FrameImportError as refused:
            problems = refused.problems
            messages.error(
                request, _("Nothing was imported: correct the file and upload it again.")
            )
        else:
            messages.success(
                request,
                _("Version %(number)s imported: %(rows)s rows, %(people)s people.")
                % {
                    "number": localize_digits(version.number),
                    "rows": localize_digits(version.row_count),
                    "people": localize_digits(version.total),
                },
            )
            return redirect(reverse("hadaf_frames:frame", args=[frame.pk]))
    context = {
        "frame": frame,
        "versions": frame.versions.select_related("imported_by"),
        "form": form,
        "problems": problems,
        "surveys": frame.surveys.count(),
    }
    status = 400 if problems else 200
    return TemplateResponse(request, "participation/measurement/frame.html", context, status=status)


def version_detail(request, pk, number):
    """The rows of one version of a frame."""
    _require_manager(request)
    version = get_or_refuse(
        request,
        FrameVersion.objects.select_related("frame"),
        "population frame version",
        frame_id=pk,
        number=number,
    )
    cells = version.cells.select_related("university").order_by(
        "university__name", "role", "gender", "degree_level"
    )
    page_obj = Paginator(cells, CELLS_PER_PAGE).get_page(request.GET.get("p"))
    context = {"version": version, "frame": version.frame, "cells": page_obj}
    return TemplateResponse(request, "participation/measurement/version.html", context)


@require_http_methods(["GET", "POST"])
def survey_report(request, page_id):
    """The survey's representativeness, R-indicator and weighted shares; POST sets what it
    is measured against."""
    page = call_for_editor(request, page_id, CallKind.SURVEY, "measurement report")
    setting = services.setting_for(page)
    initial = {}
    if setting is not None:
        initial = {
            "frame": setting.frame,
            "dimensions": setting.dimension_list,
            "trim_cap": format_number(f"{setting.trim_cap:g}"),
        }
    form = MeasurementForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.save_setting(
                page,
                frame=form.cleaned_data["frame"],
                dimensions=form.cleaned_data["dimensions"],
                trim_cap=form.cleaned_data["trim_cap"],
                editor=request.user,
            )
            messages.success(request, _("The measurement setting was saved."))
            return redirect(reverse("hadaf_measurement:report", args=[page.pk]))
        messages.error(request, _("The setting was not saved: correct the errors below."))
    report = services.build_report(page)
    context = {
        "page": page,
        "form": form,
        "report": report,
        "fewer_than": services.fewer_than(report.threshold),
        "has_frames": PopulationFrame.objects.exists(),
        "may_manage_frames": permissions.can_manage_frames(request.user),
    }
    status = 400 if form.errors else 200
    return TemplateResponse(
        request, "participation/measurement/report.html", context, status=status
    )
