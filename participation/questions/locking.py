"""Questionnaire locking: once a call has responses, its questions keep what answers point at.

Answers are keyed by question block ids, choice and statement (matrix row) ids, and Likert
points. An edit that removes one of these, or changes a question's type or its number of
points, would orphan answers, so it is refused — for the questions and choices that have
answers only: one added by mistake and never answered can still be removed. Adding
questions or choices, reordering and correcting labels or help texts change none of them and
stay possible.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from participation.persian import localize_digits
from participation.submissions.models import Answer, Submission

from .choices import QuestionType

STEP = "step"
CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING}
SCALE_TYPES = {QuestionType.LIKERT, QuestionType.MATRIX}


@dataclass(frozen=True)
class QuestionShape:
    """What answers to a question depend on: its id, type, choice or row ids and points."""

    id: str
    type: str
    label: str
    options: tuple = ()  # (id, label) of choices, or of matrix statements
    points: int | None = None


@dataclass(frozen=True)
class Conflict:
    """One change that would orphan answers.

    ``reason`` is "removed", "type_changed", "choice_removed", "row_removed" or
    "points_changed"; ``before`` and ``after`` say what changed (a type, a choice or
    statement label, a number of points).
    """

    question_id: str
    label: str
    reason: str
    before: object = None
    after: object = None

    @property
    def message(self):
        """The editor's explanation, in the active language."""
        values = {"label": self.label}
        if self.reason == "removed":
            return _("«%(label)s» has responses: it cannot be removed.") % values
        if self.reason == "type_changed":
            values.update(before=_type_label(self.before), after=_type_label(self.after))
            return (
                _("«%(label)s» has responses: its type cannot change from %(before)s to %(after)s.")
                % values
            )
        if self.reason == "choice_removed":
            values["option"] = self.before
            return (
                _("«%(label)s» has responses: its choice «%(option)s» cannot be removed.") % values
            )
        if self.reason == "row_removed":
            values["option"] = self.before
            return (
                _("«%(label)s» has responses: its statement «%(option)s» cannot be removed.")
                % values
            )
        values.update(before=localize_digits(self.before), after=localize_digits(self.after))
        return (
            _("«%(label)s» has responses: its points cannot change from %(before)s to %(after)s.")
            % values
        )


def _type_label(question_type):
    try:
        return str(QuestionType(question_type).label)
    except ValueError:
        return question_type


def _options(list_value):
    return tuple((str(item.id), item.value["label"]) for item in list_value.bound_blocks)


def question_shapes(stream_value):
    """The :class:`QuestionShape` of every question (steps left out), keyed by block id.

    Args:
        stream_value: a ``QuestionStreamBlock`` value (saved or just submitted).
    """
    shapes = {}
    for child in stream_value or ():
        if child.block_type == STEP:
            continue
        value = child.value
        options = ()
        if child.block_type in CHOICE_TYPES:
            options = _options(value["choices"])
        elif child.block_type == QuestionType.MATRIX:
            options = _options(value["rows"])
        points = int(value["points"]) if child.block_type in SCALE_TYPES else None
        shapes[str(child.id)] = QuestionShape(
            id=str(child.id),
            type=child.block_type,
            label=value["label"],
            options=options,
            points=points,
        )
    return shapes


@dataclass(frozen=True)
class Answered:
    """What a call's answers point at: question ids and (question id, choice or row id) pairs."""

    questions: frozenset
    options: frozenset


def answered_keys(call):
    """The :class:`Answered` of ``call`` (in any of its languages)."""
    rows = (
        Answer.objects.filter(submission__call_key=call.call_key)
        .values_list("question_id", "choice_id", "row_id")
        .distinct()
    )
    questions, options = set(), set()
    for question_id, choice_id, row_id in rows:
        questions.add(question_id)
        options.update((question_id, option) for option in (choice_id, row_id) if option)
    return Answered(frozenset(questions), frozenset(options))


def find_conflicts(saved, submitted, answered=None):
    """The changes from ``saved`` to ``submitted`` questions that would orphan answers.

    Args:
        saved: the questions answers were given to (a ``QuestionStreamBlock`` value).
        submitted: the questions an editor wants to save instead.
        answered: the call's :class:`Answered`; only what it names is locked. ``None``
            treats every question and choice as answered.

    Returns:
        list[Conflict]: in the order of the saved questions; empty when the edit is safe.
    """
    after = question_shapes(submitted)
    conflicts = []
    for question_id, old in question_shapes(saved).items():
        if answered is not None and question_id not in answered.questions:
            continue  # Never answered (e.g. added by mistake): free to change or remove.
        new = after.get(question_id)
        if new is None:
            conflicts.append(Conflict(question_id, old.label, "removed"))
            continue
        if new.type != old.type:
            conflicts.append(Conflict(question_id, new.label, "type_changed", old.type, new.type))
            continue
        kept = {option_id for option_id, _label in new.options}
        reason = "row_removed" if old.type == QuestionType.MATRIX else "choice_removed"
        conflicts.extend(
            Conflict(question_id, new.label, reason, label)
            for option_id, label in old.options
            if option_id not in kept
            and (answered is None or (question_id, option_id) in answered.options)
        )
        if old.points != new.points:
            conflicts.append(
                Conflict(question_id, new.label, "points_changed", old.points, new.points)
            )
    return conflicts


def has_responses(call):
    """Whether anyone responded to ``call`` (in any of its languages)."""
    if call.pk is None:
        return False
    return Submission.objects.filter(call_key=call.call_key).exists()


def saved_versions(call):
    """The questions answers may point at: the page as stored (live) and as last edited."""
    versions = [call.questions]
    if call.pk is not None:
        stored = type(call).objects.filter(pk=call.pk).only("questions").first()
        if stored is not None:
            versions.append(stored.questions)
    return versions


def locking_conflicts(call, submitted):
    """The conflicts of saving ``submitted`` questions on ``call``; none while it has no
    responses.

    Args:
        call: the call page being edited (its latest revision, as the page editor holds it).
        submitted: the questions from the editor's form.
    """
    if not has_responses(call):
        return []
    answered = answered_keys(call)
    conflicts, seen = [], set()
    for version in saved_versions(call):
        for conflict in find_conflicts(version, submitted, answered):
            key = (conflict.question_id, conflict.reason, conflict.before)
            if key not in seen:
                seen.add(key)
                conflicts.append(conflict)
    return conflicts


def locking_error(conflicts, submitted):
    """A ``StreamBlockValidationError`` for the questions field: every conflict on top,
    and each still-present question's own conflicts on its block."""
    by_question = {}
    for conflict in conflicts:
        by_question.setdefault(conflict.question_id, []).append(conflict.message)
    block_errors = {
        index: StructBlockValidationError(non_block_errors=by_question[str(child.id)])
        for index, child in enumerate(submitted)
        if str(child.id) in by_question
    }
    messages = [ValidationError(conflict.message, code="locked") for conflict in conflicts]
    return StreamBlockValidationError(block_errors=block_errors, non_block_errors=messages)
