"""A questionnaire as JSON for API consumers, from :func:`~.schema.read_questions`.

Another site renders the same form from it and validates the same way: every question
with its block id (the answer's key), type, label, choices and validation rules.
"""

from .schema import Questionnaire, read_questions


def option_json(option):
    return {"id": option.id, "label": str(option.label)}


def validation_json(question):
    """The limits an answer must respect, only those that apply to the question's type."""
    rules = {
        "min_value": question.min_value,
        "max_value": question.max_value,
        "whole_numbers": question.whole_numbers or None,
        "min_selected": question.min_selected,
        "max_selected": question.max_selected,
        "max_length": question.max_length,
    }
    return {name: value for name, value in rules.items() if value is not None}


def question_json(question):
    """One :class:`~.schema.Question` as a plain dict."""
    condition = None
    if question.condition is not None:
        # ``answers`` are the earlier question's choice ids (points for Likert and rating),
        # as its answers are sent; ``labels`` say the same for people.
        condition = {
            "question_id": question.condition.question_id,
            "question_code": question.condition.question_code,
            "answers": list(question.condition.answers),
            "labels": [str(label) for label in question.condition.labels],
        }
    return {
        "id": question.id,
        "field_name": question.field_name,
        "type": question.type,
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "code": question.code,
        "step": question.step,
        "show_if": condition,
        "choices": [option_json(option) for option in question.choices],
        "rows": [option_json(option) for option in question.rows],
        "scale": [{"value": value, "label": str(label)} for value, label in question.scale],
        "reverse_coded": question.reverse_coded,
        "display": question.display,
        "validation": validation_json(question),
    }


def questionnaire_json(questionnaire):
    """The steps and questions of a :class:`~.schema.Questionnaire` (or of a
    ``QuestionStreamBlock`` value, read with :func:`~.schema.read_questions`)."""
    if not isinstance(questionnaire, Questionnaire):
        questionnaire = read_questions(questionnaire)
    return {
        "steps": list(questionnaire.step_titles),
        "questions": [question_json(question) for question in questionnaire.questions],
    }
