"""What a template needs to draw a questionnaire's form, and the form class of a page.

Surveys and idea calls show their questions with these (the partner API builds the same
form class); the form itself is :mod:`participation.questions.forms`.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from participation.persian import join_list, localize_digits

from .choices import QuestionType
from .forms import FormBuilder, field_names_of
from .schema import read_questions

SINGLE_INPUT_KINDS = {"text", "select", QuestionType.CONSENT, QuestionType.RANKING}
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@dataclass
class QuestionView:
    """What the form template needs to draw one question."""

    question: object
    kind: str
    fields: list
    errors: list = field(default_factory=list)
    anchor: str = ""
    help_text: str = ""
    help_id: str = ""
    error_id: str = ""
    condition_hint: str = ""

    @property
    def field(self):
        return self.fields[0]


def question_kind(question, bound_field):
    """How a question is drawn: text, select, choices, consent, matrix or ranking."""
    if question.type in {QuestionType.MATRIX, QuestionType.RANKING, QuestionType.CONSENT}:
        return question.type
    if isinstance(bound_field.field.widget, CHOICE_WIDGETS):
        return "choices"
    if isinstance(bound_field.field.widget, forms.Select):
        return "select"
    return "text"


def condition_hint(question, questionnaire):
    """A sentence saying when a conditional question applies (shown without JavaScript)."""
    if not question.condition:
        return ""
    earlier = questionnaire.by_id().get(question.condition.question_id)
    if earlier is None:
        return ""
    return _("Answer only if your answer to “%(question)s” was: %(answers)s") % {
        "question": earlier.label,
        "answers": join_list(localize_digits(label) for label in question.condition.labels),
    }


def question_views(form, questions):
    """:class:`QuestionView` objects for ``questions``, with ARIA links to help and errors."""
    views = []
    for question in questions:
        names = [name for name in field_names_of(question) if name in form.fields]
        if not names:
            continue
        bound = [form[name] for name in names]
        errors = []
        for name in names:
            for error in form.errors.get(name, []):
                if error not in errors:
                    errors.append(error)
        base = f"{question.field_name}-"
        help_text = question.help_text or bound[0].help_text
        view = QuestionView(
            question=question,
            kind=question_kind(question, bound[0]),
            fields=bound,
            errors=errors,
            help_text=help_text,
            help_id=base + "help" if help_text else "",
            error_id=base + "error" if errors else "",
            condition_hint=condition_hint(question, form.questionnaire),
        )
        # Grouped inputs are described by their fieldset; single inputs by themselves.
        described_by = " ".join(part for part in (view.error_id, view.help_id) if part)
        if view.kind in SINGLE_INPUT_KINDS:
            for bound_field in bound:
                if described_by:
                    bound_field.field.widget.attrs["aria-describedby"] = described_by
                else:
                    bound_field.field.widget.attrs.pop("aria-describedby", None)
        first = bound[0]
        view.anchor = (
            f"{first.auto_id}_0"
            if isinstance(first.field.widget, CHOICE_WIDGETS)
            else first.auto_id
        )
        views.append(view)
    return views


# Reading the questions from the StreamField and building the form class cost more than
# storing a response, so both are kept per published revision and language.
_FORM_SETUPS = {}
_FORM_SETUPS_MAX = 256


def questionnaire_and_form_class(page, request):
    """The page's questionnaire and form class, reused while its live revision is the same."""
    if getattr(request, "is_preview", False) or page.live_revision_id is None:
        questionnaire = read_questions(page.questions)
        return questionnaire, FormBuilder(questionnaire).get_form_class()
    key = (page.pk, page.live_revision_id, translation.get_language())
    setup = _FORM_SETUPS.get(key)
    if setup is None:
        if len(_FORM_SETUPS) >= _FORM_SETUPS_MAX:
            _FORM_SETUPS.clear()
        questionnaire = read_questions(page.questions)
        setup = _FORM_SETUPS[key] = (questionnaire, FormBuilder(questionnaire).get_form_class())
    return setup
