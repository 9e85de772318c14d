"""The answers to a call's own questions as readable text, for authors, jurors and editors."""

from participation.jalali import jalali_text
from participation.persian import join_list, localize_digits
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions


def _number(value):
    return localize_digits(f"{value:g}")


def answer_text(question, rows):
    """One question's answer rows (``AnswerValue``) as one line of text."""
    kind = question.type
    if kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
        return rows[0].text
    if kind in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        labels = []
        for row in rows:
            option = question.choice(row.choice_id)
            labels.append(option.label if option else row.choice_id)
        return join_list(labels)
    if kind in {QuestionType.LIKERT, QuestionType.RATING}:
        point = int(rows[0].number)
        label = dict(question.scale).get(point, "")
        return f"{_number(point)} ({label})" if label else _number(point)
    if kind == QuestionType.NUMBER:
        return _number(rows[0].number)
    if kind == QuestionType.DATE:
        return jalali_text(rows[0].date)
    if kind == QuestionType.RANKING:
        ordered = sorted(rows, key=lambda row: row.number)
        return "، ".join(
            f"{_number(row.number)}. {getattr(question.choice(row.choice_id), 'label', '')}"
            for row in ordered
        )
    if kind == QuestionType.MATRIX:
        labels = {row.id: row.label for row in question.rows}
        scale = dict(question.scale)
        return "؛ ".join(
            f"{labels.get(row.row_id, '')}: {scale.get(int(row.number), _number(row.number))}"
            for row in rows
        )
    if kind == QuestionType.CONSENT:
        return "✓"
    return ""


def answer_rows(page, answers):
    """(question label, answer text) for each answered question, in the call's order."""
    by_question = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    rows = []
    for question in read_questions(page.questions).questions:
        if question.id in by_question:
            rows.append((question.label, answer_text(question, by_question[question.id])))
    return rows
