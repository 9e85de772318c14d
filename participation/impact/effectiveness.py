"""The effectiveness of participation (issue 21 item 5), precomputed for the dashboard.

:func:`refresh` counts, with database aggregates, who took part in every call and what
became of it — the survey submissions here (a shared app), clause comments and ideas
through their apps' ``figures`` (``participation.sources``, ``participation.effectiveness``),
commitments here — into :class:`~.models.ContributionFigure` rows (call × Jalali month ×
university × role), then rolls them up by kind, call, university, role and month into
:class:`~.models.EffectivenessFigure`, for the editors (every call) and the public (live,
unrestricted calls). It runs in a task (``tasks.refresh_effectiveness``): the counts cost
seconds at a million submissions, reading them one query.

:func:`dashboard` reads one scope's rows in one query, whatever the data's size.
"""

import datetime
import hashlib
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import jdatetime
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Mod, RowNumber
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from participation import sources
from participation.calls import call_page_model
from participation.choices import CallKind, Role, SourceKind, SubmissionStatus
from participation.effectiveness import (
    FIGURE_FIELDS,
    GROUP_FIELDS,
    ORGANIZATION_ROLE,
    FigureQuery,
    jalali_months,
    month_expression,
    month_label,
    month_text,
)
from participation.results.aggregates import min_group
from participation.results.charts import (
    Bar,
    BarChart,
    fewer_than_text,
    hidden_text,
    number_text,
    percent_text,
)
from participation.results.disclosure import suppress
from participation.results.exports import sheets_xlsx_response
from participation.submissions.models import Submission

from .choices import CommitmentStatus
from .models import (
    Commitment,
    CommitmentSource,
    CommitmentUpdate,
    ContributionFigure,
    EffectivenessFigure,
    FigureDimension,
    FigureScope,
    HeardAnswer,
)

BATCH = 2000
PUBLIC_TITLE = _("How effective participation is")
EDITORS_TITLE = _("Effectiveness of participation")
# The kind of call a provider's contributions belong to, for a call whose page is gone.
KIND_OF_SOURCE = {SourceKind.CLAUSE_COMMENT: CallKind.DRAFT, SourceKind.IDEA: CallKind.IDEA}
SUMMED = (*FIGURE_FIELDS,)
DAY = datetime.timedelta(days=1)


@dataclass
class CallInfo:
    kind: str
    title: str = ""
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    outcome_at: datetime.datetime | None = None
    language: str = ""

    @property
    def days_to_outcome(self):
        """Days from closing to the published outcome, or ``None`` while either is missing."""
        if self.closes_at is None or self.outcome_at is None:
            return None
        return max(0.0, (self.outcome_at - self.closes_at) / DAY)


def _calls():
    """``{call_key: CallInfo}`` of every call page (the site's language's title first):
    one query per kind of call."""
    calls = {}
    for kind in CallKind:
        try:
            model = call_page_model(kind)
        except LookupError:
            continue
        rows = model.objects.values(
            "translation_key",
            "title",
            "opens_at",
            "closes_at",
            "outcome_published_at",
            "locale__language_code",
        )
        for row in rows:
            key = row["translation_key"]
            known = calls.get(key)
            if known is not None and known.language == settings.LANGUAGE_CODE:
                continue
            calls[key] = CallInfo(
                kind=kind,
                title=row["title"],
                opens_at=row["opens_at"],
                closes_at=row["closes_at"],
                outcome_at=row["outcome_published_at"],
                language=row["locale__language_code"],
            )
    return calls


def _cited(kinds, done_only):
    """The object ids commitments cite of ``kinds`` (done commitments only with ``done_only``)."""
    cited = CommitmentSource.objects.filter(kind__in=list(kinds), object_id__isnull=False)
    if done_only:
        cited = cited.filter(commitment__status=CommitmentStatus.DONE)
    return cited.values("object_id")


def _submission_figures(query):
    """Survey submissions grouped and counted by the database (a role and university as
    snapshotted when submitting). Every stored submission was started; abandoned forms
    are kept in the browser's session only, so they are not counted anywhere."""
    submitted = Q(status=SubmissionStatus.SUBMITTED)
    return (
        Submission.objects.annotate(
            month=query.month("submitted_at"),
            university=F("respondent_university"),
            role=F("respondent_role"),
        )
        .values(*GROUP_FIELDS)
        .annotate(
            people=Count("pk", filter=submitted),
            started=Count("pk"),
            contributions=Count("pk", filter=submitted),
            withdrawn=Count("pk", filter=Q(status=SubmissionStatus.WITHDRAWN)),
        )
    )


def _grain_rows(calls, public_keys, query):
    """The :class:`ContributionFigure` rows of every source, from its aggregate query."""
    groups = [(CallKind.SURVEY, _submission_figures(query))]
    for provider in sources.figure_providers():
        groups.append((KIND_OF_SOURCE.get(provider.kind, ""), provider.figures(query)))
    for fallback_kind, rows in groups:
        for row in rows:
            key = row["call_key"]
            call = calls.get(key)
            yield ContributionFigure(
                call_key=key,
                call_kind=call.kind if call else fallback_kind,
                public=key in public_keys,
                month=row["month"] or "",
                university=row["university"] or "",
                role=row["role"] or "",
                **{name: row.get(name) or 0 for name in FIGURE_FIELDS},
            )


def _sums():
    return {name: Sum(name) for name in SUMMED}


# The column of the grain rows each dimension groups by.
DIMENSION_COLUMNS = {
    FigureDimension.KIND: "call_kind",
    FigureDimension.CALL: "call_key",
    FigureDimension.UNIVERSITY: "university",
    FigureDimension.ROLE: "role",
    FigureDimension.MONTH: "month",
}
# The same for commitments: the call's kind and key, the university carrying it out,
# the month it was made.
COMMITMENT_COLUMNS = {
    FigureDimension.KIND: "call_kind",
    FigureDimension.CALL: "call_key",
    FigureDimension.UNIVERSITY: "university__name",
}


def _median(values):
    values = [value for value in values if value is not None]
    return round(statistics.median(values), 1) if values else None


def _weighted_median(pairs):
    """The median of ``[(value, count)]``: a histogram the database grouped."""
    pairs = sorted((value, count) for value, count in pairs if value is not None and count)
    total = sum(count for _value, count in pairs)
    if not total:
        return None
    expanded = []
    for middle in ((total - 1) // 2, total // 2):
        seen = 0
        for value, count in pairs:
            seen += count
            if seen > middle:
                expanded.append(value)
                break
    return round(sum(expanded) / 2, 1)


def _commitment_rows(scope, months, calls):
    """``{(dimension, key): {figure: value}}`` of commitments, by database aggregates, and
    the median days from the outcome to completion (from a histogram the database groups)."""
    commitments = Commitment.objects.all()
    if scope == FigureScope.PUBLIC:
        commitments = commitments.public()
    commitments = commitments.annotate(month=month_expression("created_at", months))
    counts = {
        "commitments": Count("pk"),
        "commitments_done": Count("pk", filter=Q(status=CommitmentStatus.DONE)),
        "commitments_dropped": Count("pk", filter=Q(status=CommitmentStatus.DROPPED)),
    }
    found = defaultdict(dict)
    found[(FigureDimension.TOTAL, "")].update(commitments.aggregate(**counts))
    columns = {**COMMITMENT_COLUMNS, FigureDimension.MONTH: "month"}
    for dimension, column in columns.items():
        for row in commitments.values(column).annotate(**counts):
            key = str(row.pop(column) or "")
            found[(dimension, key)].update(row)
    # The day each done commitment was marked done (its first "done" update).
    done_on = (
        CommitmentUpdate.objects.filter(commitment=OuterRef("pk"), status=CommitmentStatus.DONE)
        .order_by()
        .values("commitment")
        .annotate(first=Min("date"))
        .values("first")
    )
    histogram = (
        commitments.filter(status=CommitmentStatus.DONE)
        .annotate(done_on=Subquery(done_on))
        .values("call_key", "call_kind", "university__name", "done_on")
        .annotate(number=Count("pk"))
    )
    days = defaultdict(list)
    for row in histogram:
        call = calls.get(row["call_key"])
        if call is None or call.outcome_at is None or row["done_on"] is None:
            continue
        outcome_day = timezone.localtime(call.outcome_at).date()
        value = max(0, (row["done_on"] - outcome_day).days)
        pair = (value, row["number"])
        days[(FigureDimension.TOTAL, "")].append(pair)
        days[(FigureDimension.KIND, row["call_kind"])].append(pair)
        days[(FigureDimension.CALL, str(row["call_key"]))].append(pair)
        days[(FigureDimension.UNIVERSITY, row["university__name"] or "")].append(pair)
        days[(FigureDimension.MONTH, month_label(row["done_on"]))].append(pair)
    for key, pairs in days.items():
        found[key]["days_to_done"] = _weighted_median(pairs)
    return found


def _outcome_days(calls, keys):
    """``{(dimension, key): median days from closing to outcome}`` over the calls ``keys``."""
    grouped = defaultdict(list)
    for key in keys:
        call = calls.get(key)
        if call is None or call.days_to_outcome is None:
            continue
        value = call.days_to_outcome
        grouped[(FigureDimension.TOTAL, "")].append(value)
        grouped[(FigureDimension.KIND, call.kind)].append(value)
        grouped[(FigureDimension.CALL, str(key))].append(value)
        closing = timezone.localtime(call.closes_at).date()
        grouped[(FigureDimension.MONTH, month_label(closing))].append(value)
    return {key: _median(values) for key, values in grouped.items()}


def _heard_per_call(scope):
    """``{call_key: (answers, sum of scores)}`` of "did we hear you?", by the database.

    Editors get every answer; the public the first whole batches of :func:`min_group`
    answers of each call (as ``hearing.public_summary``), so the public figures move a
    batch at a time and comparing two recounts never tells one answer's score: a window
    numbers each call's answers and keeps a running sum, read at the last batched answer.
    """
    answers = HeardAnswer.objects.order_by()
    if scope == FigureScope.EDITORS:
        rows = answers.values("call_key").annotate(answers=Count("pk"), total=Sum("score"))
        return {row["call_key"]: (row["answers"], row["total"] or 0) for row in rows}
    threshold = min_group()
    per_call = {"partition_by": [F("call_key")]}
    rows = (
        answers.annotate(
            position=Window(RowNumber(), order_by=F("pk").asc(), **per_call),
            size=Window(Count("pk"), **per_call),
            running=Window(Sum("score"), order_by=F("pk").asc(), **per_call),
        )
        .filter(position=F("size") - Mod(F("size"), threshold))
        .values("call_key", "position", "running")
    )
    return {row["call_key"]: (row["position"], row["running"] or 0) for row in rows}


def _heard_rows(scope, calls, keys):
    """``{(dimension, key): {"heard": answers, "heard_score_sum": sum}}`` per call of the
    scope, its kind and the total (a few hundred calls added up here, not answers)."""
    found = defaultdict(lambda: {"heard": 0, "heard_score_sum": 0})
    for call_key, (answers, total) in _heard_per_call(scope).items():
        call = calls.get(call_key)
        if call is None or call_key not in keys:
            continue
        for group in (
            (FigureDimension.TOTAL, ""),
            (FigureDimension.KIND, call.kind),
            (FigureDimension.CALL, str(call_key)),
        ):
            found[group]["heard"] += answers
            found[group]["heard_score_sum"] += total
    return found


def _scope_figures(scope, calls, public_keys, months, now):
    """The :class:`EffectivenessFigure` rows of ``scope``."""
    grain = ContributionFigure.objects.all()
    keys = set(calls)
    if scope == FigureScope.PUBLIC:
        grain = grain.filter(public=True)
        keys &= public_keys
    extra = {
        "calls": Count("call_key", distinct=True),
        "organization_contributions": Sum("contributions", filter=Q(role=ORGANIZATION_ROLE)),
    }
    rows = defaultdict(dict)
    rows[(FigureDimension.TOTAL, "")].update(grain.aggregate(**extra, **_sums()))
    for dimension, column in DIMENSION_COLUMNS.items():
        for row in grain.values(column).annotate(**extra, **_sums()):
            key = str(row.pop(column) or "")
            rows[(dimension, key)].update(row)
    for key, values in _commitment_rows(scope, months, calls).items():
        rows[key].update(values)
    for key, value in _outcome_days(calls, keys).items():
        rows[key]["days_to_outcome"] = value
    for key, values in _heard_rows(scope, calls, keys).items():
        rows[key].update(values)
    # Every call of the scope has its row, even with no contributions yet.
    for key in keys:
        rows.setdefault((FigureDimension.CALL, str(key)), {})
    figures = []
    for (dimension, key), values in rows.items():
        call = calls.get(_uuid_or_none(key)) if dimension == FigureDimension.CALL else None
        if dimension == FigureDimension.CALL and call is None:
            continue  # the page is gone (or, for the public, not public)
        if (
            dimension == FigureDimension.CALL
            and scope == FigureScope.PUBLIC
            and _uuid_or_none(key) not in public_keys
        ):
            continue
        figures.append(
            EffectivenessFigure(
                scope=scope,
                dimension=dimension,
                key=key,
                label=call.title if call else "",
                call_kind=call.kind if call else "",
                refreshed_at=now,
                **{name: value or 0 for name, value in values.items() if "days" not in name},
                days_to_outcome=values.get("days_to_outcome"),
                days_to_done=values.get("days_to_done"),
            )
        )
    return figures


def _uuid_or_none(text):
    try:
        return uuid.UUID(text)
    except (TypeError, ValueError):
        return None


def refresh(now=None):
    """Recount everything the dashboard shows; returns the number of grain rows written."""
    now = now or timezone.now()
    calls = _calls()
    public_keys = set(Page.objects.live().public().values_list("translation_key", flat=True))
    first = Submission.objects.aggregate(first=Min("submitted_at"))["first"]
    opened = [call.opens_at for call in calls.values() if call.opens_at]
    starts = [moment for moment in (first, *opened) if moment is not None]
    months = jalali_months(min(starts) if starts else now, now)
    query = FigureQuery(months=months, cited=_cited)
    with transaction.atomic():
        ContributionFigure.objects.all().delete()
        written = 0
        batch = []
        for row in _grain_rows(calls, public_keys, query):
            batch.append(row)
            if len(batch) == BATCH:
                ContributionFigure.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        ContributionFigure.objects.bulk_create(batch)
        written += len(batch)
        figures = []
        for scope in FigureScope:
            figures.extend(_scope_figures(scope, calls, public_keys, months, now))
        EffectivenessFigure.objects.all().delete()
        EffectivenessFigure.objects.bulk_create(figures, batch_size=BATCH)
    return written


# --- Reading ------------------------------------------------------------------------------


def role_label(role):
    """A role of the grain rows as a reader sees it."""
    if role == ORGANIZATION_ROLE:
        return str(_("Organizations (on their own behalf)"))
    if role in Role.values:
        return str(Role(role).label)
    return str(_("Not stated"))


def kind_label(kind):
    return str(CallKind(kind).label) if kind in CallKind.values else str(_("Unknown"))


# What a hidden participant count hides with it: every figure about the row's people.
PERSON_FIELDS = frozenset(
    {
        "people",
        "started",
        "contributions",
        "withdrawn",
        "answerable",
        "decided",
        "accepted",
        "acceptance_share",
        "committed",
        "done",
        "told",
        "told_share",
        "organization_contributions",
    }
)
HEARD_FIELDS = frozenset({"heard", "heard_mean"})
# The groupings "did we hear you?" is counted for (it is asked per call).
HEARD_DIMENSIONS = frozenset({FigureDimension.TOTAL, FigureDimension.KIND, FigureDimension.CALL})
# Below the threshold ("fewer than ۵"), or hidden so that one below it cannot be worked out.
SMALL = "small"
HIDDEN = "hidden"
# The per-call table shows the calls with the most contributions; the XLSX has every call.
CALLS_SHOWN = 50


@dataclass
class Dashboard:
    """One scope's figures, read in one query, sorted for display.

    Every row carries ``protected``: ``{"people": state, "heard": state}``, each ``None``
    (shown), :data:`SMALL` or :data:`HIDDEN`. The public's participant counts, and
    everyone's "did we hear you?" answers, below :func:`min_group` are not shown, nor any
    count they could be worked out from by subtracting shown ones from a shown total.
    """

    scope: str
    threshold: int = 0
    total: EffectivenessFigure | None = None
    kinds: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    universities: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    months: list = field(default_factory=list)

    @property
    def refreshed_at(self):
        return self.total.refreshed_at if self.total else None

    @property
    def empty(self):
        return self.total is None

    @property
    def calls_shown(self):
        return self.calls[:CALLS_SHOWN]

    @property
    def calls_left_out(self):
        return max(0, len(self.calls) - CALLS_SHOWN)


def _protect(board, by_dimension, field_name, dimensions):
    """Mark which rows' ``field_name`` counts are hidden, by the results' disclosure rule:
    every count above 0 and below the threshold, and with it the smallest others of each
    sum a reader could subtract from (the total over each grouping, and a kind over its
    calls), until the hidden counts of every sum but the largest add up to the threshold."""
    total = board.total
    values = {"total": getattr(total, field_name)}
    rows = {"total": total}
    lines = []
    for dimension in dimensions:
        if dimension == FigureDimension.TOTAL:
            continue
        members = []
        for row in by_dimension[dimension]:
            key = f"{dimension}:{row.key}"
            values[key], rows[key] = getattr(row, field_name), row
            members.append(key)
        lines.append(("total", members))
    if FigureDimension.CALL in dimensions:
        per_kind = defaultdict(list)
        for row in by_dimension[FigureDimension.CALL]:
            per_kind[f"{FigureDimension.KIND}:{row.call_kind}"].append(
                f"{FigureDimension.CALL}:{row.key}"
            )
        lines.extend((kind, members) for kind, members in per_kind.items() if kind in values)
    hidden = suppress(values, lines, board.threshold)
    for key, row in rows.items():
        small = 0 < values[key] < board.threshold
        row.protected[field_name] = SMALL if small else HIDDEN if key in hidden else None


def _hidden_last(rows, order):
    """``rows`` by ``order``, those whose participants are hidden after the others, by
    name: their place among the counts would tell their size."""
    rows = list(rows)
    shown = sorted((row for row in rows if not row.protected.get("people")), key=order)
    hidden = sorted(
        (row for row in rows if row.protected.get("people")), key=lambda row: (row.label, row.key)
    )
    return shown + hidden


def dashboard(scope=FigureScope.EDITORS):
    """The :class:`Dashboard` of ``scope``: one query."""
    board = Dashboard(scope=scope, threshold=min_group())
    by_dimension = defaultdict(list)
    for figure in EffectivenessFigure.objects.filter(scope=scope):
        figure.protected = {"people": None, "heard": None}
        by_dimension[figure.dimension].append(figure)
    totals = by_dimension[FigureDimension.TOTAL]
    board.total = totals[0] if totals else None
    if board.total is not None:
        if scope == FigureScope.PUBLIC:
            _protect(board, by_dimension, "people", list(DIMENSION_COLUMNS))
        _protect(board, by_dimension, "heard", HEARD_DIMENSIONS)
    board.kinds = sorted(by_dimension[FigureDimension.KIND], key=lambda row: row.key)
    board.calls = _hidden_last(
        by_dimension[FigureDimension.CALL], lambda row: (-row.contributions, row.label)
    )
    board.universities = _hidden_last(
        (row for row in by_dimension[FigureDimension.UNIVERSITY] if row.key),
        lambda row: (-row.contributions, row.key),
    ) + [row for row in by_dimension[FigureDimension.UNIVERSITY] if not row.key]
    board.roles = _hidden_last(
        by_dimension[FigureDimension.ROLE], lambda row: (-row.contributions, row.key)
    )
    board.months = sorted(
        (row for row in by_dimension[FigureDimension.MONTH] if row.key), key=lambda row: row.key
    )
    return board


def _state(row, name):
    """Whether ``row``'s figure ``name`` is hidden: :data:`SMALL`, :data:`HIDDEN` or ``None``."""
    if name in PERSON_FIELDS:
        return row.protected.get("people")
    if name in HEARD_FIELDS:
        return row.protected.get("heard")
    return None


def _hidden_text(state, board):
    return fewer_than_text(board.threshold) if state == SMALL else hidden_text()


# --- Charts and tables ---------------------------------------------------------------------


@dataclass
class FigureChart(BarChart):
    """A bar chart of counts whose table heads its numbers with ``value_heading``."""

    value_heading: str = ""


def _bars(items, board, whole=None):
    """Bars of ``[(label, count, hidden state)]``, each as a share of ``whole`` (the largest
    shown by default); a hidden count is a bar of nothing that says why."""
    items = list(items)
    shown = [count for _label, count, state in items if not state]
    largest = whole if whole is not None else max(shown, default=0)
    bars = []
    for label, count, state in items:
        if state:
            bars.append(
                Bar(
                    label=label,
                    share=0,
                    count_text=_hidden_text(state, board),
                    percent_text="",
                    suppressed=True,
                )
            )
            continue
        bars.append(
            Bar(
                label=label,
                share=100 * count / largest if largest else 0,
                count_text=number_text(count),
                percent_text=percent_text(100 * count / whole) if whole else "",
            )
        )
    return bars


def _contribution_bars(board, items):
    return _bars(
        ((label, row.contributions, _state(row, "contributions")) for label, row in items), board
    )


def charts(board):
    """The dashboard's charts: the loop's funnel, and contributions by kind, university,
    role and month (each beside its data table, see the template)."""
    total = board.total
    if total is None:
        return {}
    contributions = gettext("Contributions")
    hidden = _state(total, "answerable")
    funnel = [
        (gettext("Contributions with an answer of their own"), total.answerable, hidden),
        (gettext("Decided"), total.decided, hidden),
        (gettext("Accepted"), total.accepted, hidden),
        (gettext("Led to a commitment"), total.committed, hidden),
        (gettext("Its commitment done"), total.done, hidden),
        (gettext("Authors told the outcome"), total.told, hidden),
    ]
    return {
        "funnel": FigureChart(
            id="effectiveness-funnel",
            title=gettext("From contribution to completion"),
            bars=_bars(funnel, board, whole=total.answerable),
            label_heading=gettext("Step"),
            value_heading=contributions,
        ),
        **{
            name: FigureChart(
                id=f"effectiveness-{name}",
                title=title,
                bars=_contribution_bars(board, rows),
                label_heading=heading,
                value_heading=contributions,
            )
            for name, title, heading, rows in (
                (
                    "kinds",
                    gettext("Contributions by kind of call"),
                    gettext("Kind of call"),
                    ((kind_label(row.key), row) for row in board.kinds),
                ),
                (
                    "universities",
                    gettext("Contributions by university"),
                    gettext("University"),
                    ((row.key or gettext("Not stated"), row) for row in board.universities),
                ),
                (
                    "roles",
                    gettext("Contributions by role"),
                    gettext("Role"),
                    ((role_label(row.key), row) for row in board.roles),
                ),
                (
                    "months",
                    gettext("Contributions by month"),
                    gettext("Month"),
                    ((month_text(row.key), row) for row in board.months),
                ),
            )
        },
    }


FIGURE_COLUMNS = (
    (_("Calls"), "calls"),
    (_("Participants"), "people"),
    (_("Started"), "started"),
    (_("Contributions"), "contributions"),
    (_("Withdrawn"), "withdrawn"),
    (_("With an answer of their own"), "answerable"),
    (_("Decided"), "decided"),
    (_("Accepted"), "accepted"),
    (_("Acceptance (percent)"), "acceptance_share"),
    (_("Led to a commitment"), "committed"),
    (_("Its commitment done"), "done"),
    (_("Authors told (percent)"), "told_share"),
    (_("On behalf of organizations"), "organization_contributions"),
    (_("Commitments"), "commitments"),
    (_("Commitments done"), "commitments_done"),
    (_("Commitments dropped"), "commitments_dropped"),
    (_("Median days, closing to outcome"), "days_to_outcome"),
    (_("Median days, outcome to completion"), "days_to_done"),
    (_("“Did we hear you?” answers"), "heard"),
    (_("“Did we hear you?” mean (1–5)"), "heard_mean"),
)


def _cells(row, board):
    """A row's figures for the spreadsheet: numbers, or the text saying why one is hidden."""
    values = []
    for _label, name in FIGURE_COLUMNS:
        state = _state(row, name)
        if name in HEARD_FIELDS and row.dimension not in HEARD_DIMENSIONS:
            values.append("")
        elif state:
            values.append(_hidden_text(state, board))
        else:
            value = getattr(row, name)
            values.append("" if value is None else value)
    return values


def sheets(board):
    """``[(title, rows)]`` for the XLSX export: numbers as numbers, months in Jalali."""
    header = [str(label) for label, _name in FIGURE_COLUMNS]

    def sheet(title, first, items):
        return (str(title), [[str(first), *header], *items])

    def cells(row):
        return _cells(row, board)

    total = [board.total] if board.total else []
    return [
        sheet(_("Summary"), _("All calls"), [[str(_("All calls")), *cells(r)] for r in total]),
        sheet(_("Calls"), _("Call"), [[row.label, *cells(row)] for row in board.calls]),
        sheet(
            _("Kinds"),
            _("Kind of call"),
            [[kind_label(row.key), *cells(row)] for row in board.kinds],
        ),
        sheet(
            _("Universities"),
            _("University"),
            [[row.key or str(_("Not stated")), *cells(row)] for row in board.universities],
        ),
        sheet(_("Roles"), _("Role"), [[role_label(row.key), *cells(row)] for row in board.roles]),
        sheet(
            _("Months"), _("Month"), [[month_text(row.key), *cells(row)] for row in board.months]
        ),
    ]


# Which columns each table shows (names of FIGURE_COLUMNS), so the tables stay readable.
TABLE_COLUMNS = {
    "kinds": (
        "calls",
        "people",
        "started",
        "contributions",
        "withdrawn",
        "decided",
        "accepted",
        "acceptance_share",
        "committed",
        "done",
        "told_share",
        "commitments",
        "commitments_done",
        "days_to_outcome",
        "days_to_done",
        "heard",
        "heard_mean",
    ),
    "calls": (
        "people",
        "contributions",
        "decided",
        "acceptance_share",
        "committed",
        "done",
        "told_share",
        "commitments",
        "commitments_done",
        "days_to_outcome",
        "days_to_done",
        "heard",
        "heard_mean",
    ),
    "universities": (
        "calls",
        "people",
        "contributions",
        "decided",
        "accepted",
        "acceptance_share",
        "organization_contributions",
        "commitments",
        "commitments_done",
    ),
    "roles": ("people", "contributions", "decided", "accepted", "acceptance_share"),
    "months": (
        "people",
        "started",
        "contributions",
        "decided",
        "accepted",
        "commitments",
        "commitments_done",
        "days_to_outcome",
        "days_to_done",
    ),
}
PERCENT_COLUMNS = {"acceptance_share", "told_share"}


@dataclass
class Table:
    id: str
    title: str
    label_heading: str
    headings: list
    rows: list  # (label, [cell text])
    note: str = ""


def _number_text(name, value):
    if value is None:
        return "—"
    if name in PERCENT_COLUMNS:
        return percent_text(value)
    return number_text(value)


def _cell_text(name, row, board):
    state = _state(row, name)
    if state:
        return _hidden_text(state, board)
    return _number_text(name, getattr(row, name))


def _table(table_id, title, label_heading, items, board, note=""):
    labels = {name: label for label, name in FIGURE_COLUMNS}
    names = TABLE_COLUMNS[table_id]
    return Table(
        id=f"effectiveness-table-{table_id}",
        title=str(title),
        label_heading=str(label_heading),
        headings=[str(labels[name]) for name in names],
        rows=[(label, [_cell_text(name, row, board) for name in names]) for label, row in items],
        note=note,
    )


def tables(board):
    """The dashboard's data tables, their numbers written in the active language; the
    calls' table holds the :data:`CALLS_SHOWN` with the most contributions."""
    note = ""
    if board.calls_left_out:
        note = gettext(
            "The %(shown)s calls with the most contributions; the other %(rest)s are in the "
            "spreadsheet."
        ) % {"shown": number_text(CALLS_SHOWN), "rest": number_text(board.calls_left_out)}
    return [
        _table(
            "kinds",
            _("By kind of call"),
            _("Kind of call"),
            [(kind_label(row.key), row) for row in board.kinds],
            board,
        ),
        _table(
            "calls",
            _("By call"),
            _("Call"),
            [(row.label, row) for row in board.calls_shown],
            board,
            note=note,
        ),
        _table(
            "universities",
            _("By university: its academics, and its organizations on their own behalf"),
            _("University"),
            [(row.key or gettext("Not stated"), row) for row in board.universities],
            board,
        ),
        _table(
            "roles",
            _("By role"),
            _("Role"),
            [(role_label(row.key), row) for row in board.roles],
            board,
        ),
        _table(
            "months",
            _("By month"),
            _("Month"),
            [(month_text(row.key), row) for row in board.months],
            board,
        ),
    ]


def _heard_text(row, board):
    """The mean "did we hear you?" score and how many answered, or why it is not shown."""
    state = _state(row, "heard")
    if state:
        return _hidden_text(state, board)
    if not row.heard:
        return "—"
    return gettext("%(mean)s of 5 (%(answers)s answers)") % {
        "mean": number_text(row.heard_mean),
        "answers": number_text(row.heard),
    }


def key_figures(board):
    """``[(label, text)]``: the headline numbers."""
    total = board.total
    if total is None:
        return []
    return [
        (gettext("Contributions"), _cell_text("contributions", total, board)),
        (gettext("Participants (summed over calls)"), _cell_text("people", total, board)),
        (gettext("Accepted of those decided"), _cell_text("acceptance_share", total, board)),
        (gettext("Authors told the outcome"), _cell_text("told_share", total, board)),
        (
            gettext("Commitments done"),
            gettext("%(done)s of %(all)s")
            % {"done": number_text(total.commitments_done), "all": number_text(total.commitments)},
        ),
        (
            gettext("Median days, closing to outcome"),
            _number_text("days_to_outcome", total.days_to_outcome),
        ),
        (
            gettext("Median days, outcome to completion"),
            _number_text("days_to_done", total.days_to_done),
        ),
        (gettext("Did we hear you?"), _heard_text(total, board)),
    ]


def context(board):
    """What the dashboard's templates show (the same for editors and the public)."""
    return {
        "board": board,
        "key_figures": key_figures(board),
        "charts": charts(board),
        "tables": tables(board),
    }


BODY_TEMPLATE = "participation/impact/effectiveness/body.html"
# Bump when the body's template or its figures change, so cached bodies are not reused.
BODY_VERSION = "2"
BODY_CACHE_SECONDS = 24 * 60 * 60


def body_key(scope, refreshed_at, export_url):
    """The cache key of a rendered body: its scope, language, small-group threshold, the
    time of the last recount (a recount makes a new key) and where its XLSX is."""
    parts = [
        BODY_VERSION,
        scope,
        get_language() or "",
        str(min_group()),
        refreshed_at.isoformat() if refreshed_at else "-",
        export_url,
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"hadaf:effectiveness-body:{digest}"


def body(scope, export_url):
    """The dashboard's figures as HTML (``BODY_TEMPLATE``), from the cache when the figures
    have not been recounted since: a hit reads only the time of the last recount (one
    query), a miss reads the figures too (two) and renders them once for everyone."""
    refreshed_at = (
        EffectivenessFigure.objects.filter(scope=scope, dimension=FigureDimension.TOTAL)
        .values_list("refreshed_at", flat=True)
        .first()
    )
    key = body_key(scope, refreshed_at, export_url)
    html = cache.get(key)
    if html is None:
        board = dashboard(scope)
        html = render_to_string(BODY_TEMPLATE, {**context(board), "export_url": export_url})
        cache.set(key, html, BODY_CACHE_SECONDS)
    # Our own template's output, escaped when it was rendered.
    return mark_safe(html)  # noqa: S308


def xlsx_response(board):
    """The figures of ``board`` as a right-to-left workbook, one sheet per grouping."""
    stamp = timezone.localtime(board.refreshed_at or timezone.now()).date()
    jalali = jdatetime.date.fromgregorian(date=stamp).strftime("%Y-%m-%d")
    return sheets_xlsx_response(f"effectiveness-{jalali}.xlsx", sheets(board))
