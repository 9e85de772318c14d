"""The editor's report on a survey in the Wagtail admin: activity, results, submissions.

Only people who may edit the survey page see it. Every change an editor makes to a
submission (excluding it from results or counting it again) and every export is written by
``services`` to the page's Wagtail history (``wagtail.log_actions.log``), to the
``hadaf.report`` logger and to the audit log (``participation.audit``); refusals go to the
``hadaf.security`` logger.
"""

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participation.access import call_for_editor
from participation.choices import CallKind, Role, SubmissionStatus
from participation.questions.schema import read_questions
from participation.results import aggregates, exports, quality, tally
from participation.results import views as results_views
from participation.results.charts import percent_text
from participation.security import get_or_refuse
from participation.submissions import ballot_box
from participation.submissions.models import Submission

from . import services

PER_PAGE = 50


def report_url(page):
    return reverse("hadaf_survey_report:report", args=[page.pk])


def call_counts(page):
    """Submission counts of the call, and the anonymous responses still sealed (their
    answers are in no count until their batch opens: docs/privacy.md)."""
    submitted = Q(status=SubmissionStatus.SUBMITTED)
    counts = Submission.objects.filter(call_key=page.call_key).aggregate(
        submitted=Count("id", filter=submitted),
        counted=Count("id", filter=submitted & Q(excluded_from_results=False)),
        excluded=Count("id", filter=submitted & Q(excluded_from_results=True)),
        withdrawn=Count("id", filter=Q(status=SubmissionStatus.WITHDRAWN)),
        speeders=Count("id", filter=Q(is_speeder=True)),
        straightliners=Count("id", filter=Q(is_straightliner=True)),
        mean_duration=Avg("duration_seconds", filter=submitted),
    )
    counts["sealed"] = ballot_box.waiting(page.call_key)
    return counts


def responses_per_day(page):
    """``[{"day": date, "count": n, "share": 0–100}]``, days in the site's time zone."""
    days = list(
        Submission.objects.filter(call_key=page.call_key, status=SubmissionStatus.SUBMITTED)
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    busiest = max((day["count"] for day in days), default=0)
    for day in days:
        day["share"] = f"{100 * day['count'] / busiest:.1f}" if busiest else "0"
    return days


def completion_rate(page):
    """Percentage of the people who opened the form who sent a response; ``None`` before
    anyone opened it (openings are counted once per visitor session by the survey view)."""
    openings = tally.form_openings(page.call_key)
    if not openings:
        return None
    sent = Submission.objects.filter(call_key=page.call_key).count()
    sent += ballot_box.waiting(page.call_key)
    return min(100.0, 100.0 * sent / openings)


@require_GET
def report(request, page_id):
    """The report: counts, responses per day, per-question results and cross-tabs."""
    page = call_for_editor(request, page_id, CallKind.SURVEY, "survey report")
    questionnaire = read_questions(page.questions)
    flags = quality.refresh_quality_flags(page, questionnaire)
    tallies = aggregates.load_tallies(page)
    results = aggregates.survey_results(
        page, public=False, tallies=tallies, questionnaire=questionnaire
    )
    with_universities = bool(tallies.segments(aggregates.UNIVERSITY_PREFIX))
    sections = [
        results_views.question_section(
            page, result, index, results.min_group, tallies, False, with_universities
        )
        for index, result in enumerate(results.questions, start=1)
    ]
    context = {
        "page": page,
        "counts": call_counts(page),
        "flags": flags,
        "median_duration": quality.median_duration(page.call_key),
        "speeder_percent": percent_text(100 * quality.speeder_fraction()),
        "per_day": responses_per_day(page),
        "completion_rate": completion_rate(page),
        "results": results,
        "sections": sections,
        "identity_allowed": exports.identity_allowed(page, request.user),
    }
    return TemplateResponse(request, "participation/admin/survey_report.html", context)


FLAG_FILTERS = {
    "speeder": Q(is_speeder=True),
    "straightliner": Q(is_straightliner=True),
    "flagged": Q(is_speeder=True) | Q(is_straightliner=True),
    "excluded": Q(excluded_from_results=True),
    "counted": Q(excluded_from_results=False, status=SubmissionStatus.SUBMITTED),
}


def filtered_submissions(page, params):
    """The call's submissions narrowed by the list's filters (language, role, flag)."""
    submissions = Submission.objects.filter(call_key=page.call_key).order_by("-submitted_at", "-pk")
    if params.get("language"):
        submissions = submissions.filter(language=params["language"])
    if params.get("role"):
        role = "" if params["role"] == "none" else params["role"]
        submissions = submissions.filter(respondent_role=role)
    if params.get("flag") in FLAG_FILTERS:
        submissions = submissions.filter(FLAG_FILTERS[params["flag"]])
    return submissions


@require_GET
def submission_list(request, page_id):
    """The call's submissions, filtered and paginated, each with an exclude/include button."""
    page = call_for_editor(request, page_id, CallKind.SURVEY, "survey report")
    questionnaire = read_questions(page.questions)
    quality.refresh_quality_flags(page, questionnaire)
    submissions = filtered_submissions(page, request.GET)
    paginator = Paginator(submissions, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    role_labels = dict(Role.choices)
    for submission in page_obj:
        submission.role_label = role_labels.get(submission.respondent_role, "")
    languages = (
        Submission.objects.filter(call_key=page.call_key)
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "page": page,
        "submissions": page_obj,
        "paginator": paginator,
        "query": query.urlencode(),
        "filters": {key: request.GET.get(key, "") for key in ("language", "role", "flag")},
        "languages": list(languages),
        "roles": Role.choices,
        "flag_choices": [
            ("flagged", _("Speeder or straight-liner")),
            ("speeder", _("Speeder")),
            ("straightliner", _("Straight-liner")),
            ("excluded", _("Excluded from results")),
            ("counted", _("Counted in results")),
        ],
        "full_path": request.get_full_path(),
    }
    return TemplateResponse(request, "participation/admin/survey_submissions.html", context)


@require_POST
def set_submission_counted(request, page_id, submission_uuid):
    """Exclude a submission from results (``action=exclude``) or count it again."""
    page = call_for_editor(request, page_id, CallKind.SURVEY, "survey report")
    submission = get_or_refuse(
        request,
        Submission.objects.filter(call_key=page.call_key),
        "survey submission",
        uuid=submission_uuid,
    )
    counted = request.POST.get("action") == "include"
    services.set_counted_by_editor(page, submission, counted=counted, editor=request.user)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("hadaf_survey_report:submissions", args=[page.pk])
    return redirect(next_url)


@require_GET
def export(request, page_id):
    """Download the submissions: XLSX by default, CSV with ``?format=csv``.

    ``?identity=1`` adds participants' emails, only in named calls (see
    :func:`participation.results.exports.identity_allowed`); otherwise it is ignored.
    """
    page = call_for_editor(request, page_id, CallKind.SURVEY, "survey report")
    quality.refresh_quality_flags(page)
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    identity = request.GET.get("identity") == "1" and exports.identity_allowed(page, request.user)
    services.record_export(page, request.user, file_format=file_format, identity=identity)
    if file_format == "csv":
        return exports.csv_response(page, identity=identity)
    return exports.xlsx_response(page, identity=identity)
