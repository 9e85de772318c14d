"""Published survey results for the read API: the public page's numbers, as JSON.

The same rules as the public results page (``views.survey_results``): nothing before
:func:`~.aggregates.results_visible_to_public` says so, and always small-group
suppression (``public=True``). Tallies of every listed survey come in one query.
"""

from collections import defaultdict

from participation.submissions.models import AnswerTally

from . import aggregates
from .tally import ALL


def load_public_tallies(pages):
    """{call key: Tallies of everyone} of the surveys among ``pages`` whose results are public.

    One query whatever the number of pages; surveys not public yet are not read.
    """
    keys = {page.call_key for page in pages if aggregates.results_visible_to_public(page)}
    if not keys:
        return {}
    rows = defaultdict(list)
    tally_rows = (
        AnswerTally.objects.filter(call_key__in=keys, segment=ALL)
        .exclude(count=0)
        .values_list("call_key", "segment", "question_id", "row_id", "choice_id", "value", "count")
    )
    for call_key, *row in tally_rows:
        rows[call_key].append(row)
    return {key: aggregates.Tallies(rows.get(key, ())) for key in keys}


def cell_json(cell):
    return {
        "id": cell.id,
        "label": str(cell.label),
        "count": cell.count,
        "percent": None if cell.percent is None else round(cell.percent, 1),
        "suppressed": cell.suppressed,
    }


def summary_json(summary):
    if summary is None:
        return None
    return {
        name: None if value is None else round(value, 2) for name, value in vars(summary).items()
    }


def question_result_json(result):
    """One question's public result; text questions give only their respondents."""
    return {
        "id": result.question.id,
        "type": result.question.type,
        "label": result.question.label,
        "respondents": result.respondents,
        "suppressed": result.suppressed,
        "choices": [cell_json(cell) for cell in result.choices],
        "distribution": [cell_json(cell) for cell in result.distribution],
        "summary": summary_json(result.summary),
        "rows": [
            {
                "id": row.id,
                "label": row.label,
                "respondents": row.respondents,
                "suppressed": row.suppressed,
                "distribution": [cell_json(cell) for cell in row.distribution],
                "summary": summary_json(row.summary),
            }
            for row in result.rows
        ],
        "ranks": [
            {
                "id": rank.id,
                "label": rank.label,
                "count": rank.count,
                "mean_rank": None if rank.mean_rank is None else round(rank.mean_rank, 2),
                "suppressed": rank.suppressed,
            }
            for rank in result.ranks
        ],
    }


def public_results_json(page, tallies, questionnaire=None):
    """The survey's public results, or ``None`` while they are not public.

    Args:
        page: a survey page.
        tallies: {call key: Tallies} from :func:`load_public_tallies`.
        questionnaire: the page's questions, when already read.
    """
    if page.call_key not in tallies:
        return None
    results = aggregates.survey_results(
        page, public=True, tallies=tallies[page.call_key], questionnaire=questionnaire
    )
    return {
        "min_group": results.min_group,
        "responses": results.responses_shown,
        "withheld": results.withheld,
        "any_suppressed": results.any_suppressed,
        "questions": [question_result_json(result) for result in results.questions],
    }
