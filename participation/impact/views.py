"""The public tracker: «گفتید، انجام دادیم», every commitment and how it stands.

Thin views: the filters and the reading are in ``display``. Public to everyone; only
commitments of live calls are shown.
"""

import dataclasses

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import display, effectiveness
from .models import FigureScope

PER_PAGE = 20


@require_safe
def index(request):
    """Every commitment, newest first, filterable by status, unit, university, kind, call."""
    filters = display.Filters.from_query(request.GET)
    public = display.public_commitments()
    filtered = filters.apply(public)
    page = Paginator(filtered, PER_PAGE).get_page(request.GET.get("page"))
    commitments = display.with_sources(page.object_list)
    return TemplateResponse(
        request,
        "participation/impact/index.html",
        {
            "title": display.TRACKER_TITLE,
            "commitments": commitments,
            "page_obj": page,
            "filters": filters,
            "statuses": display.status_summary(
                dataclasses.replace(filters, status="").apply(public)
            ),
            "options": display.filter_options(public),
        },
    )


@require_safe
def detail(request, pk):
    """One commitment: its sources, milestones and dated updates."""
    commitment = get_object_or_404(display.public_commitments(), pk=pk)
    (commitment,) = display.with_sources([commitment])
    return TemplateResponse(
        request,
        "participation/impact/detail.html",
        {"commitment": commitment},
    )


@require_safe
def effectiveness_summary(request):
    """The effectiveness of participation in the live public calls, precomputed."""
    board = effectiveness.dashboard(FigureScope.PUBLIC)
    return TemplateResponse(
        request,
        "participation/impact/effectiveness/public.html",
        {
            "title": effectiveness.PUBLIC_TITLE,
            "export_url": reverse("impact:effectiveness_xlsx"),
            **effectiveness.context(board),
        },
    )


@require_safe
def effectiveness_xlsx(request):
    """The public summary's figures as a spreadsheet."""
    board = effectiveness.dashboard(FigureScope.PUBLIC)
    return effectiveness.xlsx_response(board)
