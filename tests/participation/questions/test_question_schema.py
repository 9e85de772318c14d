import uuid

from wagtail.blocks import StreamValue

from participation.questions.blocks import QuestionStreamBlock
from participation.questions.schema import read_questions

BLOCK = QuestionStreamBlock()


def stream(*children):
    return StreamValue(
        BLOCK,
        [
            (kind, BLOCK.child_blocks[kind].to_python(value), str(uuid.uuid4()))
            for kind, value in children
        ],
    )


def test_questions_are_read_with_stable_ids_steps_and_conditions():
    value = stream(
        (
            "single_choice",
            {"label": "؟", "code": "role", "choices": [{"label": "الف"}, {"label": "ب"}]},
        ),
        ("step", {"title": "گام دوم"}),
        ("likert", {"label": "🙂", "points": "7", "reverse_coded": True}),
        (
            "short_text",
            {"label": "«»", "show_if": {"question_code": "role", "answer_in": "الف, ب"}},
        ),
    )
    questionnaire = read_questions(value)
    first, likert, text = questionnaire.questions
    assert first.field_name == f"q_{value[0].id}"
    assert [choice.label for choice in first.choices] == ["الف", "ب"]
    assert all(len(choice.id) == 36 for choice in first.choices)
    assert (first.step, likert.step, text.step) == (0, 1, 1)
    assert questionnaire.step_titles == ("", "گام دوم")
    assert len(likert.scale) == 7 and likert.reverse_coded
    # A legacy condition (code and typed labels) is read as the question's and choices' ids.
    assert text.condition.question_id == str(value[0].id)
    assert text.condition.question_code == "role"
    assert text.condition.answers == tuple(choice.id for choice in first.choices)
    assert text.condition.labels == ("الف", "ب")


def test_duplicate_codes_are_refused():
    import pytest
    from django.core.exceptions import ValidationError

    value = stream(
        ("short_text", {"label": "یک", "code": "q1"}),
        ("long_text", {"label": "دو", "code": "q1"}),
    )
    with pytest.raises(ValidationError):
        BLOCK.clean(value)
