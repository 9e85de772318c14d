"""The Django side of measurement: loading counts, saving a survey's setting, the report.

The arithmetic is in :mod:`.representativeness` and :mod:`.weighting`, over plain
counts and lists; this module reads them from the database (one query for the frame's
counts, one for the respondents, one for the single-choice answers) and writes the
editor's setting with its history entry.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from participation.choices import Role, SubmissionStatus
from participation.persian import localize_digits
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.results.aggregates import min_group, suppressed_indices
from participation.submissions.models import Answer, Submission

from . import estimates, representativeness, weighting
from .choices import RESPONDENT_DIMENSIONS, DegreeLevel, Dimension, Gender
from .models import FrameCell, SurveyMeasurement

logger = logging.getLogger("hadaf.report")

SETTING_ACTION = "hadaf.measurement_set"

# Where each dimension is read: the frame's cell, and the response's snapshot.
CELL_FIELDS = {
    Dimension.UNIVERSITY: "university__name",
    Dimension.ROLE: "role",
    Dimension.GENDER: "gender",
    Dimension.DEGREE_LEVEL: "degree_level",
}
SUBMISSION_FIELDS = {
    Dimension.UNIVERSITY: "respondent_university",
    Dimension.ROLE: "respondent_role",
}


def setting_for(page):
    """The survey's :class:`SurveyMeasurement`, or ``None``."""
    return SurveyMeasurement.objects.select_related("frame").filter(call_key=page.call_key).first()


def save_setting(page, *, frame, dimensions, trim_cap, editor):
    """Measure ``page`` against ``frame`` on ``dimensions``, trimming weights at ``trim_cap``.

    Written to the page's history and the ``hadaf.report`` logger in the same transaction.
    """
    dimensions = [value for value in Dimension.values if value in set(dimensions)]
    with transaction.atomic():
        setting, _created = SurveyMeasurement.objects.update_or_create(
            call_key=page.call_key,
            defaults={
                "frame": frame,
                "dimensions": dimensions,
                "trim_cap": trim_cap,
                "updated_by": editor,
            },
        )
        data = {"frame": frame.pk, "dimensions": dimensions, "trim_cap": trim_cap}
        log(instance=page, action=SETTING_ACTION, user=editor, data=data)
    logger.info("%s page %s by user %s", SETTING_ACTION, page.pk, editor.pk)
    return setting


# ---- Loading counts --------------------------------------------------------------------------


def population_by(version, dimensions):
    """``{stratum key: N_h}`` of a frame version over ``dimensions`` (a tuple per key)."""
    fields = [CELL_FIELDS[dimension] for dimension in dimensions]
    rows = (
        FrameCell.objects.filter(version=version)
        .values(*fields)
        .annotate(people=Sum("count"))
        .values_list(*fields, "people")
    )
    return {tuple(row[:-1]): int(row[-1]) for row in rows}


def counted_respondents(page, dimensions):
    """``[(submission id, stratum key)]`` of the responses counted in results; a part of
    the key is "" where the response does not say (an anonymous response, no profile)."""
    fields = [SUBMISSION_FIELDS[dimension] for dimension in dimensions]
    return [
        (row[0], tuple(row[1:]))
        for row in Submission.objects.filter(
            call_key=page.call_key,
            status=SubmissionStatus.SUBMITTED,
            excluded_from_results=False,
        )
        .order_by("pk")
        .values_list("pk", *fields)
    ]


def measured_answers(page, question_ids):
    """``{question id: [(submission id, choice id, number)]}`` of the counted responses."""
    answers = {question_id: [] for question_id in question_ids}
    rows = Answer.objects.filter(
        submission__call_key=page.call_key,
        submission__status=SubmissionStatus.SUBMITTED,
        submission__excluded_from_results=False,
        question_id__in=question_ids,
        row_id="",
    ).values_list("question_id", "submission_id", "choice_id", "number")
    for question_id, submission_id, choice_id, number in rows:
        answers[question_id].append((submission_id, choice_id, number))
    return answers


# ---- Labels ----------------------------------------------------------------------------------


def category_label(dimension, value):
    """How the report names a category of ``dimension``."""
    if value == "":
        return _("not applicable") if dimension == Dimension.DEGREE_LEVEL else _("not stated")
    labels = {
        Dimension.ROLE: dict(Role.choices),
        Dimension.GENDER: dict(Gender.choices),
        Dimension.DEGREE_LEVEL: dict(DegreeLevel.choices),
    }.get(dimension)
    return str(labels.get(value, value)) if labels else value


def stratum_label(dimensions, key):
    return " · ".join(
        category_label(dimension, value) for dimension, value in zip(dimensions, key, strict=True)
    )


# ---- The report ------------------------------------------------------------------------------


@dataclass
class StratumRow:
    label: str
    population: int
    respondents: int | None  # None: fewer than the threshold, not shown
    response_rate: float | None  # percent
    missing: bool
    thin: bool


@dataclass
class EstimateRow:
    """One proportion (percent) or mean, unweighted and weighted, ready to show.

    ``hidden``: fewer than the threshold answered it (or its complement), and every figure
    is ``None``. The weighted figures are ``None`` too when there are no weights.
    """

    label: str
    hidden: bool = False
    count: int | None = None  # proportions: respondents who chose it
    unweighted: float | None = None
    unweighted_low: float | None = None
    unweighted_high: float | None = None
    weighted: float | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None
    deff: float | None = None
    effective_size: float | None = None


@dataclass
class QuestionEstimates:
    label: str
    type: str
    respondents: int | None  # None: fewer than the threshold
    weighted_respondents: int | None
    kish_effective_size: float | None = None
    rows: list = field(default_factory=list)  # proportions: choices or scale points
    mean: EstimateRow | None = None  # Likert, rating, number
    multiple: bool = False  # shares of respondents that need not add up to 100%


@dataclass
class MeasurementReport:
    setting: SurveyMeasurement | None
    version: object = None
    dimensions: list = field(default_factory=list)
    threshold: int = 0
    problem: str = ""  # why nothing could be measured
    strata: list = field(default_factory=list)
    measure: representativeness.Representativeness | None = None
    outside_frame: int = 0  # counted respondents in no stratum of the frame
    refusal: list = field(default_factory=list)  # Persian sentences: why no weights
    rake: weighting.RakeResult | None = None
    margin_rows: list = field(default_factory=list)
    questions: list = field(default_factory=list)


def _stratum_rows(measure, dimensions, threshold):
    rows = []
    for stratum in measure.strata:
        hidden = 0 < stratum.respondents < threshold
        rate = stratum.response_rate
        rows.append(
            StratumRow(
                label=stratum_label(dimensions, stratum.key),
                population=stratum.population,
                respondents=None if hidden else stratum.respondents,
                response_rate=None if hidden or rate is None else 100 * rate,
                missing=stratum.missing,
                thin=stratum.thin or hidden,
            )
        )
    return rows


def _margins(population, dimensions):
    """``{dimension: {category: N}}``: the frame's margin on each dimension."""
    margins = {dimension: Counter() for dimension in dimensions}
    for key, size in population.items():
        for dimension, value in zip(dimensions, key, strict=True):
            margins[dimension][value] += size
    return {dimension: dict(counts) for dimension, counts in margins.items()}


def _refusal(empty):
    return [
        _(
            "No respondent is in “%(category)s” (%(dimension)s), which has people in the "
            "population: weights cannot be made up for it. Choose fewer dimensions, or wait "
            "for responses from it."
        )
        % {
            "category": category_label(dimension, category),
            "dimension": Dimension(dimension).label,
        }
        for dimension, category in empty
    ]


def build_report(page):
    """Everything the measurement report shows for ``page``.

    Returns:
        MeasurementReport: with ``problem`` set when there is no setting, no version or no
        dimension; with ``refusal`` set when weights cannot be made.
    """
    setting = setting_for(page)
    report = MeasurementReport(setting=setting, threshold=min_group())
    if setting is None:
        report.problem = _("Choose the population frame this survey is measured against.")
        return report
    report.version = setting.frame.current_version
    report.dimensions = [d for d in setting.dimension_list if d in RESPONDENT_DIMENSIONS]
    if report.version is None:
        report.problem = _("The population frame has no counts yet: import a version first.")
        return report
    if not report.dimensions:
        report.problem = _("Choose at least one dimension to measure the survey against.")
        return report
    dimensions = report.dimensions
    population = population_by(report.version, dimensions)
    respondents = counted_respondents(page, dimensions)
    in_frame = [(pk, key) for pk, key in respondents if population.get(key, 0) > 0]
    report.outside_frame = len(respondents) - len(in_frame)
    report.measure = representativeness.measure(population, Counter(key for _pk, key in in_frame))
    report.strata = _stratum_rows(report.measure, dimensions, report.threshold)
    weights = {}
    margins = _margins({k: v for k, v in population.items() if v > 0}, dimensions)
    columns = {
        dimension: [key[index] for _pk, key in in_frame]
        for index, dimension in enumerate(dimensions)
    }
    try:
        if not in_frame:
            raise weighting.EmptyMarginCategory(
                [(d, c) for d in dimensions for c, n in margins[d].items() if n > 0]
            )
        report.rake = weighting.rake(columns, margins, cap=setting.trim_cap)
    except weighting.EmptyMarginCategory as refused:
        report.refusal = _refusal(refused.empty)
    else:
        weights = dict(zip((pk for pk, _key in in_frame), report.rake.weights, strict=True))
        report.margin_rows = [
            {
                "dimension": Dimension(dimension).label,
                "category": category_label(dimension, category),
                "error": error,
            }
            for dimension, errors in report.rake.margin_errors.items()
            for category, error in errors.items()
        ]
    report.questions = _question_estimates_all(
        page, [pk for pk, _key in respondents], weights, columns
    )
    return report


ESTIMATED_TYPES = {
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.LIKERT,
    QuestionType.RATING,
    QuestionType.NUMBER,
}
SCALE_POINT_TYPES = {QuestionType.LIKERT, QuestionType.RATING}


def _row(label, estimate, scale):
    """An :class:`EstimateRow` of ``estimate``, proportions times ``scale`` (100 or 1)."""

    def scaled(value):
        return None if value is None or value != value else scale * value

    return EstimateRow(
        label=label,
        count=estimate.count,
        unweighted=scaled(estimate.unweighted),
        unweighted_low=scaled(estimate.unweighted_low),
        unweighted_high=scaled(estimate.unweighted_high),
        weighted=scaled(estimate.weighted),
        se=scaled(estimate.se),
        low=scaled(estimate.low),
        high=scaled(estimate.high),
        deff=estimate.deff,
        effective_size=estimate.effective_size,
    )


def _question_columns(question, rows, position):
    """(answered, indicator matrix, labels, numbers) of one question over the respondents."""
    answered = np.zeros(len(position), dtype=bool)
    if question.type in SCALE_POINT_TYPES:
        options = [(str(value), label) for value, label in question.scale]
    else:
        options = [(option.id, option.label) for option in question.choices]
    column = {key: index for index, (key, _label) in enumerate(options)}
    indicators = np.zeros((len(position), len(options)))
    numbers = np.full(len(position), np.nan)
    for submission_id, choice_id, number in rows:
        index = position.get(submission_id)
        if index is None:
            continue
        if question.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
            if choice_id in column:
                indicators[index, column[choice_id]] = 1.0
                answered[index] = True
        elif number is not None:
            numbers[index] = number
            answered[index] = True
            key = f"{number:g}"
            if key in column:
                indicators[index, column[key]] = 1.0
    return answered, indicators, [label for _key, label in options], numbers


def _question_estimates(question, answered, indicators, labels, numbers, weighted, calibration):
    threshold = min_group()
    n = int(answered.sum())
    m = int((answered & weighted).sum())
    if 0 < n < threshold:
        return QuestionEstimates(
            label=question.label, type=question.type, respondents=None, weighted_respondents=None
        )
    few_weighted = 0 < m < threshold
    usable = None if few_weighted else calibration
    result = QuestionEstimates(
        label=question.label,
        type=question.type,
        respondents=n,
        weighted_respondents=None if few_weighted else m,
        multiple=question.type == QuestionType.MULTIPLE_CHOICE,
    )
    if usable is not None and m:
        result.kish_effective_size = estimates.kish_effective_size(
            usable.weights[answered[weighted]]
        )
    if question.type != QuestionType.NUMBER:
        found = estimates.estimate_columns(indicators, answered, weighted, usable, proportion=True)
        partition = question.type != QuestionType.MULTIPLE_CHOICE
        counts = [int(column.sum()) for column in indicators[answered].T]
        weighted_counts = [int(column.sum()) for column in indicators[answered & weighted].T]
        hidden = suppressed_indices(counts, threshold, partition=partition, scope=question.id)
        hidden |= suppressed_indices(
            weighted_counts, threshold, partition=partition, scope=question.id
        )
        result.rows = [
            EstimateRow(label=label, hidden=True)
            if index in hidden
            else _row(label, estimate, 100.0)
            for index, (label, estimate) in enumerate(zip(labels, found, strict=True))
        ]
    if question.type in SCALE_POINT_TYPES | {QuestionType.NUMBER} and n:
        (mean,) = estimates.estimate_columns(
            numbers[:, None], answered, weighted, usable, proportion=False
        )
        result.mean = _row(_("Mean"), mean, 1.0)
    return result


def _question_estimates_all(page, submission_ids, weights, columns):
    """:class:`QuestionEstimates` of every choice, scale and number question.

    ``weights``: ``{submission id: weight}`` of the weighted respondents, in the order of
    ``columns`` (the raking margins' variables), which the variance needs.
    """
    questions = [
        question
        for question in read_questions(page.questions).questions
        if question.type in ESTIMATED_TYPES
    ]
    answers = measured_answers(page, [question.id for question in questions])
    position = {pk: index for index, pk in enumerate(submission_ids)}
    weighted = np.array([pk in weights for pk in submission_ids], dtype=bool)
    calibration = None
    if weights:
        calibration = estimates.Calibration(np.fromiter(weights.values(), dtype=float), columns)
    results = []
    for question in questions:
        answered, indicators, labels, numbers = _question_columns(
            question, answers[question.id], position
        )
        results.append(
            _question_estimates(
                question, answered, indicators, labels, numbers, weighted, calibration
            )
        )
    return results


def fewer_than(threshold):
    """ "fewer than k", with k in the reader's digits."""
    return _("fewer than %(k)s") % {"k": localize_digits(threshold)}
