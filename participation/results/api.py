"""Published survey results for the read API: the public page's numbers, as JSON.

The same numbers as the public results page (``views.survey_results``), through the same
disclosure control (:mod:`.disclosure`): nothing before
:func:`~.aggregates.results_visible_to_public` says so, then the batched public snapshot
with every segment, so that the counts hidden here are the ones the page's cross-tabs hide.
Snapshots of every listed survey come in one query.
"""

from . import aggregates


def load_public_tallies(pages):
    """{call key: Tallies} of the surveys among ``pages`` whose results are public.

    One query whatever the number of pages (when no snapshot is due); surveys not public
    yet are not read.
    """
    return aggregates.public_tallies(pages)


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
                "hidden": rank.hidden,
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
