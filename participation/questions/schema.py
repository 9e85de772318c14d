"""A plain description of a questionnaire, read from the page's question StreamField.

The form builder, the submission service, results, exports and the API all read
questions through :func:`read_questions`, never from block values directly.
"""

from dataclasses import dataclass, field

from django.utils.functional import lazy

from participation.persian import localize_digits

from .blocks import likert_default_labels, split_ids, split_legacy_answers
from .choices import QuestionType
from .conditions import STEP, answer_keys, resolve_legacy_conditions

RATING_POINTS = list(range(0, 11))

# A scale point's number as the reader's language writes it («۷» on Persian pages).
point_label = lazy(localize_digits, str)


@dataclass(frozen=True)
class Option:
    """A choice of a choice question, or a statement (row) of a matrix."""

    id: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show a question only when the question with block id ``question_id`` was answered
    with one of ``answers``: choice ids, or points for Likert and rating, "1" for consent.

    ``labels`` are the picked answers' labels, for people; a legacy condition the ids could
    not be found for keeps its typed labels or numbers in ``answers`` (compared by text).
    """

    question_id: str
    answers: tuple
    question_code: str = ""
    labels: tuple = ()


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    help_text: str = ""
    required: bool = True
    code: str = ""
    step: int = 0
    condition: Condition | None = None
    choices: tuple = ()
    rows: tuple = ()
    scale: tuple = ()  # (value, label) pairs for Likert, matrix and rating
    reverse_coded: bool = False
    min_value: float | None = None
    max_value: float | None = None
    whole_numbers: bool = False
    min_selected: int | None = None
    max_selected: int | None = None
    max_length: int | None = None
    display: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def field_name(self):
        """The form field name: from the block id, never from the label."""
        return f"q_{self.id}"

    @property
    def is_numeric(self):
        """Whether answers have a mean and median."""
        return self.type in {QuestionType.LIKERT, QuestionType.RATING, QuestionType.NUMBER}

    def choice(self, choice_id):
        """The choice (or row) with ``choice_id``, or ``None``."""
        for option in (*self.choices, *self.rows):
            if option.id == choice_id:
                return option
        return None


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple
    step_titles: tuple = ("",)

    @property
    def step_count(self):
        return len(self.step_titles)

    def by_id(self):
        return {question.id: question for question in self.questions}

    def by_code(self):
        return {question.code: question for question in self.questions if question.code}

    def in_step(self, step):
        return [question for question in self.questions if question.step == step]


def _options(items):
    return tuple(Option(id=str(item.id), label=item.value["label"]) for item in items.bound_blocks)


def _scale(points, labels):
    labels = [label for label in labels if label] or likert_default_labels(points)
    return tuple(
        (value, str(label)) for value, label in zip(range(1, points + 1), labels, strict=True)
    )


def read_condition(child, earlier):
    """The :class:`Condition` of a bound question block, or ``None``.

    Args:
        child: the bound question block.
        earlier: the bound question blocks before it.
    """
    show_if = child.value.get("show_if") or {}
    question_id = (show_if.get("question") or "").strip()
    source = next((c for c in earlier if question_id and str(c.id) == question_id), None)
    if source is not None:
        labels = dict(answer_keys(source))
        answers = tuple(key for key in split_ids(show_if.get("answers")) if key in labels)
        if not answers:
            return None
        return Condition(
            question_id=str(source.id),
            answers=answers,
            question_code=source.value.get("code") or "",
            labels=tuple(labels[key] for key in answers),
        )
    legacy = getattr(show_if, "legacy", None) or {}
    code = (legacy.get("question_code") or "").strip()
    answers = split_legacy_answers(legacy.get("answer_in"))
    source = next((c for c in earlier if code and c.value.get("code") == code), None)
    if source is None or not answers:
        return None
    return Condition(
        question_id=str(source.id), answers=answers, question_code=code, labels=answers
    )


def read_question(child, step, condition=None):
    """A :class:`Question` from one bound block of ``QuestionStreamBlock``."""
    value = child.value
    question_type = child.block_type
    kwargs = {
        "id": str(child.id),
        "type": question_type,
        "label": value["label"],
        "help_text": value.get("help_text") or "",
        "required": bool(value.get("required")),
        "code": value.get("code") or "",
        "step": step,
        "condition": condition,
    }
    if question_type in {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.RANKING,
    }:
        kwargs["choices"] = _options(value["choices"])
    if question_type in {QuestionType.LIKERT, QuestionType.MATRIX}:
        kwargs["scale"] = _scale(int(value["points"]), value.get("scale_labels") or [])
        kwargs["reverse_coded"] = bool(value.get("reverse_coded"))
    if question_type == QuestionType.MATRIX:
        kwargs["rows"] = _options(value["rows"])
    if question_type == QuestionType.RATING:
        low, high = value.get("low_label") or "", value.get("high_label") or ""
        kwargs["scale"] = tuple(
            (
                point,
                low if point == 0 and low else high if point == 10 and high else point_label(point),
            )
            for point in RATING_POINTS
        )
    if question_type == QuestionType.NUMBER:
        kwargs["min_value"] = value.get("min_value")
        kwargs["max_value"] = value.get("max_value")
        kwargs["whole_numbers"] = bool(value.get("whole_numbers"))
    if question_type == QuestionType.MULTIPLE_CHOICE:
        kwargs["min_selected"] = value.get("min_selected")
        kwargs["max_selected"] = value.get("max_selected")
    if question_type in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
        kwargs["max_length"] = value.get("max_length")
    if question_type == QuestionType.SINGLE_CHOICE:
        kwargs["display"] = value.get("display") or "radio"
    return Question(**kwargs)


def read_questions(stream_value):
    """The :class:`Questionnaire` of a ``QuestionStreamBlock`` value, steps numbered from 0."""
    questions = []
    step_titles = [""]
    step = 0
    earlier = []
    for child in resolve_legacy_conditions(stream_value):
        if child.block_type == STEP:
            if questions or step_titles[0]:
                step += 1
                step_titles.append(child.value["title"])
            else:
                step_titles[0] = child.value["title"]
            continue
        questions.append(read_question(child, step, read_condition(child, earlier)))
        earlier.append(child)
    return Questionnaire(questions=tuple(questions), step_titles=tuple(step_titles))
