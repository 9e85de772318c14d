"""The public tracker: «گفتید، انجام دادیم», every commitment and how it stands.

Thin views: the filters and the reading are in ``display``. Public to everyone; only
commitments of live calls are shown.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from participation.errors import Refused
from participation.my_impact import HeardQuestion

from . import display, effectiveness, hearing
from .forms import HeardForm, score_choices
from .models import FigureScope, HeardAnswer

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
            "heard": hearing.public_summary(filters.call) if filters.call else None,
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


def _next_url(request):
    """Where to go back to after answering: a path on this site, or empty."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def heard(request, call_key):
    """«آیا صدای شما را شنیدیم؟»: a contributor answers once after the call's outcome.

    A refusal (the outcome is not out, they did not take part) is shown with status 403; a
    second answer changes nothing and says so.
    """
    page = hearing.call_page(call_key)
    if page is None:
        raise Http404
    back = _next_url(request)
    refusal = answered = None
    try:
        hearing.check(request.user, page)
    except hearing.AlreadyAnswered as already:
        answered = already.message
    except Refused as refused:
        refusal = refused.message
    form = HeardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None:
        if answered is not None:
            messages.warning(request, answered)
            return redirect(back or request.path)
        if form.is_valid():
            try:
                hearing.answer(
                    request.user, page, form.cleaned_data["score"], form.cleaned_data["text"]
                )
            except Refused as refused:
                messages.warning(request, refused.message)
            else:
                messages.success(request, _("Thank you: your answer is recorded."))
            return redirect(back or request.path)
    mine = HeardAnswer.objects.filter(call_key=page.translation_key, person=request.user).first()
    return TemplateResponse(
        request,
        "participation/impact/heard.html",
        {
            "page": page,
            "form": form,
            "refusal": refusal,
            "answer": mine,
            "question": HeardQuestion(
                url=request.path, score=mine.score if mine else None, choices=tuple(score_choices())
            ),
            "next": back,
        },
        status=403 if refusal is not None else 200,
    )


@require_safe
def effectiveness_summary(request):
    """The effectiveness of participation in the live public calls, precomputed."""
    return TemplateResponse(
        request,
        "participation/impact/effectiveness/public.html",
        {
            "title": effectiveness.PUBLIC_TITLE,
            "body": effectiveness.body(FigureScope.PUBLIC, reverse("impact:effectiveness_xlsx")),
        },
    )


@require_safe
def effectiveness_xlsx(request):
    """The public summary's figures as a spreadsheet."""
    board = effectiveness.dashboard(FigureScope.PUBLIC)
    return effectiveness.xlsx_response(board)
