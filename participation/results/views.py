"""Public aggregate results of a survey campaign (editors always see them, unsuppressed)."""

from dataclasses import dataclass, field

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from common.caching import short_lived
from participation.access import is_call_editor
from participation.choices import ResultsVisibility
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions

from . import aggregates, disclosure
from .charts import cells_chart, fewer_than_text, hidden_text, number_text, percent_text

TEMPLATE = "participation/survey_results.html"


@dataclass
class Section:
    """What the template shows for one question."""

    result: object
    number: int
    chart: object = None
    summary: list = field(default_factory=list)  # (label, text) pairs: mean, median, …
    summary_withheld: bool = False  # A mean beside hidden counts would give them away.
    matrix: dict | None = None
    ranking: list = field(default_factory=list)
    crosstabs: list = field(default_factory=list)

    @property
    def question(self):
        return self.result.question


def survey_results(request, page):
    """The survey's aggregate results page.

    Visitors see it when :func:`~participation.results.aggregates.results_visible_to_public`
    says so, with small groups suppressed; before that a notice that gives no numbers, or a
    404 when the editor chose never to publish. Editors always see every number (or the
    public version with ``?as=public``).
    """
    context = page.get_context(request)
    editor = is_call_editor(request.user, page)
    visible = aggregates.results_visible_to_public(page)
    if not editor and not visible:
        if page.results_visibility == ResultsVisibility.NEVER:
            raise Http404
        response = TemplateResponse(request, TEMPLATE, {**context, "not_public_yet": True})
        return short_lived(response)
    public = not editor or request.GET.get("as") == "public"
    questionnaire = read_questions(page.questions)
    # The page's only query for results: the public read the batched snapshot.
    if public:
        tallies = aggregates.public_tallies([page]).get(page.call_key, aggregates.Tallies())
    else:
        tallies = aggregates.load_tallies(page)
    results = aggregates.survey_results(
        page, public=public, tallies=tallies, questionnaire=questionnaire
    )
    sections = []
    if not results.withheld:
        with_universities = bool(tallies.segments(aggregates.UNIVERSITY_PREFIX))
        sections = [
            question_section(
                page, result, index, results.min_group, tallies, public, with_universities
            )
            for index, result in enumerate(results.questions, start=1)
        ]
    context.update(
        {
            "results": results,
            "sections": sections,
            "is_editor": editor,
            "public_view": public,
            "results_public": visible,
            "fewer_than": fewer_than_text(results.min_group),
            "batch": disclosure.batch_size(results.min_group),
        }
    )
    return short_lived(TemplateResponse(request, TEMPLATE, context))


def question_section(page, result, number, threshold, tallies, public, with_universities):
    """Everything one question's part of a results page shows (also used by the editor report)."""
    question = result.question
    section = Section(result=result, number=number)
    if result.suppressed:
        return section
    chart_id = f"chart-{question.id}"
    if result.choices:
        section.chart = cells_chart(chart_id, question.label, result.choices, threshold)
    elif result.distribution:
        section.chart = cells_chart(chart_id, question.label, result.distribution, threshold)
    if result.summary:
        section.summary = _summary_texts(result.summary)
    elif public and result.distribution:
        section.summary_withheld = True
    if public and any(not row.suppressed and row.summary is None for row in result.rows):
        section.summary_withheld = True  # A statement's mean beside its hidden counts.
    if question.type == QuestionType.MATRIX:
        section.matrix = _matrix(question, result.rows, threshold)
    if question.type == QuestionType.RANKING:
        section.ranking = [_rank_view(rank, threshold) for rank in result.ranks]
    if aggregates.crosstab_options(question):
        bys = ["role", "university"] if with_universities else ["role"]
        for by in bys:
            table = aggregates.crosstab(page, question, by, public=public, tallies=tallies)
            if table.columns:
                section.crosstabs.append(_crosstab_view(table, threshold))
    return section


def _rank_view(rank, threshold):
    if rank.hidden:
        return {"label": rank.label, "mean_rank": hidden_text(), "count": hidden_text()}
    if rank.suppressed:
        few = fewer_than_text(threshold)
        return {"label": rank.label, "mean_rank": few, "count": few}
    return {
        "label": rank.label,
        "mean_rank": number_text(rank.mean_rank, 2),
        "count": number_text(rank.count),
    }


def _summary_texts(summary):
    texts = []
    if summary.mean is not None:
        texts.append((gettext("Mean"), number_text(summary.mean, 2)))
        texts.append((gettext("Median"), number_text(summary.median, 1)))
    if summary.reverse_mean is not None:
        texts.append((gettext("Mean, reverse-scored"), number_text(summary.reverse_mean, 2)))
        texts.append((gettext("Median, reverse-scored"), number_text(summary.reverse_median, 1)))
    return texts


def _cell_text(cell, threshold):
    if cell is None:
        return fewer_than_text(threshold)  # A whole column of too few respondents.
    if cell.suppressed:
        return hidden_text()  # Maybe a large count, hidden so a small one stays hidden.
    if cell.percent is None:
        return number_text(cell.count or 0)
    return f"{percent_text(cell.percent)} ({number_text(cell.count or 0)})"


def _matrix(question, rows, threshold):
    return {
        "scale": [label for _value, label in question.scale],
        "reverse_coded": question.reverse_coded,
        "rows": [
            {
                "label": row.label,
                "suppressed": row.suppressed,
                "respondents": fewer_than_text(threshold)
                if row.suppressed
                else number_text(row.respondents or 0),
                "cells": [_cell_text(cell, threshold) for cell in row.distribution],
                "summary": _summary_texts(row.summary) if row.summary else [],
            }
            for row in rows
        ],
    }


def _crosstab_view(table, threshold):
    return {
        "by": table.by,
        "columns": [
            {
                "label": column.label,
                "respondents": fewer_than_text(threshold)
                if column.suppressed
                else hidden_text()
                if column.respondents is None
                else number_text(column.respondents),
            }
            for column in table.columns
        ],
        "rows": [
            {"label": label, "cells": [_cell_text(cell, threshold) for cell in cells]}
            for (_id, label), cells in table.rows
        ],
    }
