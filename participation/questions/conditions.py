"""Conditions between questions: which earlier answers show a question.

A condition names the earlier question by its block id and the triggering answers by
their keys: choice ids for choice questions, points ("1"…"7", "0"…"10") for Likert and
rating, "1" for consent. Editors pick them in the admin; nothing is typed, so labels can
be corrected or translated without breaking a condition.

Pages saved before this kept a question code and typed labels (``question_code``,
``answer_in``, separated by «,» or «،»); :func:`resolve_legacy_conditions` turns them into
ids when the questions are loaded, so they keep working and show in the picker.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from participation.persian import normalize_for_search, to_latin_digits

from .blocks import CONDITION_SOURCE_TYPES, likert_default_labels, split_ids, split_legacy_answers
from .choices import QuestionType

STEP = "step"


def _fold(text):
    return normalize_for_search(to_latin_digits(str(text)).strip())


def answer_keys(child):
    """The (key, label) pairs a condition may pick from the bound question block ``child``."""
    value = child.value
    kind = child.block_type
    if kind in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        return [(str(item.id), item.value["label"]) for item in value["choices"].bound_blocks]
    if kind == QuestionType.LIKERT:
        points = int(value["points"])
        labels = [label for label in value.get("scale_labels") or [] if label]
        labels = labels or likert_default_labels(points)
        return [
            (str(point), str(label))
            for point, label in zip(range(1, points + 1), labels, strict=False)
        ]
    if kind == QuestionType.RATING:
        return [(str(point), str(point)) for point in range(0, 11)]
    if kind == QuestionType.CONSENT:
        return [("1", value["label"])]
    return []


def _legacy_keys(source, texts):
    """Map typed labels or numbers of a legacy condition to answer keys of ``source``.

    Returns the keys found and the texts that matched none.
    """
    keys = answer_keys(source)
    by_label = {}
    for key, label in keys:
        by_label.setdefault(_fold(label), key)
        by_label.setdefault(_fold(key), key)
    found, unmatched = [], []
    for text in texts:
        key = by_label.get(_fold(text))
        if key is None:
            unmatched.append(text)
        elif key not in found:
            found.append(key)
    return found, unmatched


def resolve_legacy_conditions(stream_value):
    """Turn legacy label conditions of a ``QuestionStreamBlock`` value into id conditions.

    A condition whose question code or labels cannot all be resolved (e.g. on a number
    question) keeps its legacy part, which :mod:`.schema` still reads.
    """
    children = [child for child in stream_value if child.block_type != STEP]
    by_code = {child.value.get("code"): child for child in children if child.value.get("code")}
    for child in children:
        show_if = child.value.get("show_if")
        legacy = getattr(show_if, "legacy", None)
        if not legacy:
            continue
        source = by_code.get((legacy.get("question_code") or "").strip())
        if source is None or source.block_type not in CONDITION_SOURCE_TYPES:
            continue
        found, unmatched = _legacy_keys(source, split_legacy_answers(legacy.get("answer_in")))
        if found and not unmatched:
            show_if["question"] = str(source.id)
            show_if["answers"] = " ".join(found)
            show_if.legacy = None
    return stream_value


def _error_for(index, message):
    field = "question" if message[0] == "question" else "answers"
    return StructBlockValidationError(
        block_errors={
            "show_if": StructBlockValidationError(
                block_errors={field: ValidationError(message[1], code="condition")}
            )
        }
    )


def condition_problem(child, earlier):
    """What is wrong with ``child``'s condition, as (field, message), or ``None``.

    Args:
        child: a bound question block.
        earlier: the bound question blocks before it, by block id.
    """
    show_if = child.value.get("show_if") or {}
    question_id = (show_if.get("question") or "").strip()
    picked = split_ids(show_if.get("answers"))
    if not question_id:
        if picked:
            return ("question", _("Choose the earlier question these answers belong to."))
        return None
    source = earlier.get(question_id)
    if source is None:
        return (
            "question",
            _("The question this condition refers to does not exist before this question."),
        )
    if source.block_type not in CONDITION_SOURCE_TYPES:
        return ("question", _("A condition can only refer to a question with choices."))
    if not picked:
        return ("answers", _("Pick at least one answer of the earlier question."))
    keys = {key for key, _label in answer_keys(source)}
    if any(key not in keys for key in picked):
        return (
            "answers",
            _("This condition refers to an answer the earlier question does not have."),
        )
    return None


def condition_errors(stream_value):
    """A ``StreamBlockValidationError`` for conditions pointing at a question or answer that
    does not exist (or at a later question), or ``None`` when all are sound."""
    errors = {}
    earlier = {}
    for index, child in enumerate(stream_value):
        if child.block_type == STEP:
            continue
        problem = condition_problem(child, earlier)
        if problem is not None:
            errors[index] = _error_for(index, problem)
        earlier[str(child.id)] = child
    if not errors:
        return None
    return StreamBlockValidationError(block_errors=errors)
