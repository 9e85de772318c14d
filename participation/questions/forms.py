"""The forms of a questionnaire: the participant's, built from it, and the page editor's.

:class:`FormBuilder` makes one Django form field per question (one per row for a
matrix, one per choice for a ranking), in the style of ``wagtail.contrib.forms``:
one ``create_<type>_field`` method per question type. Field names come from block
ids (``q_<id>``, ``q_<id>__<row or choice id>``), never from labels.

:class:`SurveyForm` adds what needs the whole questionnaire: conditional questions,
ranking permutations, the signed start time and steps. Surveys and idea calls answer with
it, on the web and through the partner API. :class:`QuestionnairePageForm` is the page
editor's form of the call types with a questionnaire.
"""

import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from allauth.core import context
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language_from_path, ngettext
from django.utils.translation import gettext_lazy as _

from participation.forms import (
    CallPageForm,
    JalaliDateField,
    LocalizedNumberField,
    PersianTextField,
)
from participation.jalali import jalali_text
from participation.persian import (
    format_number,
    localize_digits,
    normalize_for_search,
    to_latin_digits,
)
from participation.protection import traps
from participation.questions.choices import QuestionType
from participation.submissions.models import Answer

from .locking import locking_conflicts, locking_error

SUBFIELD_SEPARATOR = "__"
STARTED_AT_SALT = "hadaf.survey.started_at"
CARRIED_SALT = "hadaf.survey.carried"
DEFAULT_MAX_LENGTH = {QuestionType.SHORT_TEXT: 200, QuestionType.LONG_TEXT: 5000}
REQUIRED_MESSAGE = _("Please answer this question.")
INVALID_CHOICE_MESSAGE = _("Choose one of the options shown.")
REPEATED_CHOICE_MESSAGE = _("Choose each option only once.")


def started_at_binding(request=None):
    """What a survey's start time is bound to: the person and the survey (its address, less
    the language prefix, as the form posts to the page it is on). See ``protection.traps``."""
    request = request if request is not None else context.request
    if request is None:
        return ""
    path = request.path
    prefix = f"/{get_language_from_path(path)}/"
    if path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    return traps.request_binding(f"survey:{path}", request)


def sign_started_at(moment=None, binding=None):
    """The signed value of the hidden ``started_at`` field, bound to the request being
    handled (:func:`started_at_binding`) unless ``binding`` is given."""
    moment = moment or timezone.now()
    binding = started_at_binding() if binding is None else binding
    return traps.sign_time(moment.timestamp(), STARTED_AT_SALT, binding)


def read_started_at(value, binding=None, *, strict=True):
    """The start time in a signed ``started_at`` value; ``None`` if missing, tampered with
    or (``strict``: the bot trap's reading) taken from another person's or survey's form."""
    if binding is None:
        binding = started_at_binding() if strict else ""
    timestamp = traps.read_time(value, STARTED_AT_SALT, binding, strict=strict)
    if timestamp is None:
        return None
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def sign_carried(data, binding=None):
    """The signed value of the hidden field that carries the answers of earlier steps of an
    anonymous-verified response (``{field name: [values]}``), bound like the start time.

    Those answers travel in the form, re-posted with each step, and are never written on the
    server: the session names the account (docs/privacy.md).
    """
    binding = started_at_binding() if binding is None else binding
    return signing.dumps(data, salt=f"{CARRIED_SALT}:{binding}", compress=True)


def read_carried(value, field_names, binding=None, value_limit=None):
    """The answers in a :func:`sign_carried` value, limited to ``field_names``: ``{}`` when
    there is none (the first step), ``None`` when it was changed or made for someone else."""
    if not value:
        return {}
    binding = started_at_binding() if binding is None else binding
    try:
        data = signing.loads(value, salt=f"{CARRIED_SALT}:{binding}")
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    carried = {}
    for name, values in data.items():
        if name in field_names and isinstance(values, list):
            carried[name] = [str(item)[:value_limit] for item in values if item != ""]
    return carried


def subfield_name(question, option):
    """The field name of one row of a matrix or one item of a ranking."""
    return f"{question.field_name}{SUBFIELD_SEPARATOR}{option.id}"


def field_names_of(question):
    """Every form field name a question uses, in display order."""
    if question.type == QuestionType.MATRIX:
        return [subfield_name(question, row) for row in question.rows]
    if question.type == QuestionType.RANKING:
        return [subfield_name(question, choice) for choice in question.choices]
    return [question.field_name]


def is_empty(value):
    """Whether an answer is missing (0 is an answer; an unticked box is not)."""
    return (
        value is None
        or value is False
        or (isinstance(value, str | list | tuple | dict) and not value)
    )


class BoundedMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes with an optional minimum and maximum number of choices."""

    def __init__(self, *, min_selected=None, max_selected=None, **kwargs):
        self.min_selected, self.max_selected = min_selected, max_selected
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        count = len(value)
        if not count:
            return
        if count != len(set(value)):
            # A repeated option would be stored and counted once per repeat.
            raise ValidationError(REPEATED_CHOICE_MESSAGE, code="repeated")
        if self.min_selected and count < self.min_selected:
            raise ValidationError(
                ngettext(
                    "Choose at least %(count)s option.",
                    "Choose at least %(count)s options.",
                    self.min_selected,
                )
                % {"count": format_number(self.min_selected)},
                code="min_selected",
            )
        if self.max_selected and count > self.max_selected:
            raise ValidationError(
                ngettext(
                    "Choose at most %(count)s option.",
                    "Choose at most %(count)s options.",
                    self.max_selected,
                )
                % {"count": format_number(self.max_selected)},
                code="max_selected",
            )


class SurveyForm(forms.Form):
    """A survey response; the fields come from :class:`FormBuilder`.

    With ``step``, only the questions of steps up to ``step`` are fields (earlier steps'
    answers come from the session), so each step validates on its own and the last
    step validates everything again.
    """

    questionnaire = None  # set by FormBuilder.get_form_class()

    started_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, step=None, binding=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        # What the start time is bound to (see ``started_at_binding``); the partner API
        # gives its own, since its form is described and posted at different addresses.
        self.binding = binding
        if step is not None:
            for question in self.questionnaire.questions:
                if question.step > step:
                    for name in field_names_of(question):
                        self.fields.pop(name, None)
        self.fields["started_at"].initial = partial(sign_started_at, binding=binding)

    @property
    def questions(self):
        """The questions this form validates (all, or those up to its step)."""
        return [
            question
            for question in self.questionnaire.questions
            if self.step is None or question.step <= self.step
        ]

    def clean_started_at(self):
        value = self.cleaned_data.get("started_at")
        # Only dates the response; whether it is this person's is the bot trap's question.
        started_at = read_started_at(value, self.binding, strict=False)
        if started_at is None:
            raise ValidationError(
                _("This form was changed or has expired. Reload the page and try again."),
                code="tampered",
            )
        return started_at

    def clean(self):
        cleaned_data = super().clean()
        answered = {}
        for question in self.questions:
            value = self._combine(question, cleaned_data)
            if question.condition and not self._condition_met(question.condition, answered):
                # Hidden: its answer is discarded and its errors don't count.
                for name in field_names_of(question):
                    self._errors.pop(name, None)
                    cleaned_data.pop(name, None)
                value = None
            else:
                value = self._check(question, value, cleaned_data)
            cleaned_data[question.field_name] = value
            answered[question.id] = (question, value)
        return cleaned_data

    def _has_errors(self, question):
        return any(name in self._errors for name in field_names_of(question))

    def _combine(self, question, cleaned_data):
        """The question's value from its field(s): a dict for matrix and ranking."""
        if question.type in {QuestionType.MATRIX, QuestionType.RANKING}:
            options = question.rows if question.type == QuestionType.MATRIX else question.choices
            combined = {}
            for option in options:
                value = cleaned_data.get(subfield_name(question, option))
                if not is_empty(value):
                    combined[option.id] = int(value)
            return combined
        return cleaned_data.get(question.field_name)

    def _check(self, question, value, cleaned_data):
        """Required answers and whole-question rules; adds errors, returns the value."""
        if self._has_errors(question):
            return None
        first_field = field_names_of(question)[0]
        if question.type == QuestionType.MATRIX:
            if question.required:
                for row in question.rows:
                    if row.id not in value:
                        self.add_error(subfield_name(question, row), REQUIRED_MESSAGE)
            return value
        if question.type == QuestionType.RANKING:
            if not value and not question.required:
                return value
            ranks = sorted(value.values())
            if ranks != list(range(1, len(question.choices) + 1)):
                self.add_error(
                    first_field,
                    _("Give every item a different rank, from 1 to %(count)s.")
                    % {"count": format_number(len(question.choices))},
                )
                return None
            return value
        if question.required and is_empty(value):
            self.add_error(first_field, self.fields[first_field].error_messages["required"])
            return None
        return value

    def _condition_met(self, condition, answered):
        """Whether the earlier question ``condition.question_id`` has one of the answers."""
        question, value = answered.get(condition.question_id, (None, None))
        if question is None or is_empty(value):
            return False
        return condition_met_by(question, value, condition)


def condition_met_by(question, value, condition):
    """Whether the answer ``value`` to ``question`` shows a question on ``condition``: the one
    rule, which the form and the results' protection (its follow-up lines) both follow."""
    return any(
        _same_answer(candidate, expected)
        for candidate in answer_texts(question, value)
        for expected in condition.answers
    )


def answer_texts(question, value):
    """The ways an answer can be named in a condition: choice labels and ids, numbers."""
    if question.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        ids = value if isinstance(value, list | tuple) else [value]
        texts = []
        for choice_id in ids:
            option = question.choice(choice_id)
            texts.extend([choice_id, option.label if option else ""])
        return texts
    if question.type in {QuestionType.LIKERT, QuestionType.RATING}:
        return [str(value), *[str(label) for point, label in question.scale if point == value]]
    if question.type == QuestionType.CONSENT:
        return ["1"]
    if question.type == QuestionType.DATE:
        return [jalali_text(value, "en")]
    if question.type in {QuestionType.MATRIX, QuestionType.RANKING}:
        return []
    return [str(value)]


def _same_answer(candidate, expected):
    try:
        return Decimal(to_latin_digits(candidate).strip()) == Decimal(
            to_latin_digits(expected).strip()
        )
    except InvalidOperation:
        return normalize_for_search(str(candidate)) == normalize_for_search(str(expected))


class FormBuilder:
    """Builds the :class:`SurveyForm` class of a questionnaire, one method per question type.

    Override ``create_<type>_field`` to change how a type is asked; a method may return
    one field or a dict of sub-fields keyed by field name.
    """

    form_class = SurveyForm

    def __init__(self, questionnaire):
        self.questionnaire = questionnaire

    def field_options(self, question):
        """Label, help text, required flag and error messages shared by a question's fields."""
        return {
            "label": question.label,
            "help_text": question.help_text,
            # A conditional question is checked by the form once its condition is known.
            "required": question.required and question.condition is None,
            "error_messages": {
                "required": REQUIRED_MESSAGE,
                "invalid_choice": INVALID_CHOICE_MESSAGE,
            },
        }

    def create_short_text_field(self, question):
        """A one-line text input."""
        return PersianTextField(
            max_length=question.max_length or DEFAULT_MAX_LENGTH[QuestionType.SHORT_TEXT],
            widget=forms.TextInput(attrs={"dir": "auto"}),
            **self.field_options(question),
        )

    def create_long_text_field(self, question):
        """A text area."""
        return PersianTextField(
            max_length=question.max_length or DEFAULT_MAX_LENGTH[QuestionType.LONG_TEXT],
            widget=forms.Textarea(attrs={"dir": "auto", "rows": 5}),
            **self.field_options(question),
        )

    def create_single_choice_field(self, question):
        """Radio buttons, or a drop-down list; the values are choice ids."""
        choices = [(option.id, option.label) for option in question.choices]
        if question.display == "select":
            return forms.ChoiceField(
                choices=[("", _("Choose…")), *choices],
                widget=forms.Select,
                **self.field_options(question),
            )
        return forms.ChoiceField(
            choices=choices, widget=forms.RadioSelect, **self.field_options(question)
        )

    def create_multiple_choice_field(self, question):
        """Checkboxes, with an optional minimum and maximum number of choices."""
        return BoundedMultipleChoiceField(
            choices=[(option.id, option.label) for option in question.choices],
            widget=forms.CheckboxSelectMultiple,
            min_selected=question.min_selected,
            max_selected=question.max_selected,
            **self.field_options(question),
        )

    def create_likert_field(self, question):
        """Radio buttons over the scale's points, labelled from the scale."""
        return forms.TypedChoiceField(
            choices=[(str(point), str(label)) for point, label in question.scale],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **self.field_options(question),
        )

    def create_rating_field(self, question):
        """Radio buttons from 0 to 10; the end points carry the question's labels."""
        choices = []
        for point, label in question.scale:
            digit = localize_digits(point)
            text = label if label and label != str(point) else ""
            choices.append((str(point), f"{digit} ({text})" if text else digit))
        return forms.TypedChoiceField(
            choices=choices,
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **self.field_options(question),
        )

    def create_number_field(self, question):
        """A text input accepting Persian, Arabic or Latin digits, within the range."""
        return LocalizedNumberField(
            min_value=question.min_value,
            max_value=question.max_value,
            whole_numbers=question.whole_numbers,
            **self.field_options(question),
        )

    def create_date_field(self, question):
        """A Solar Hijri date typed as year/month/day; stored as the Gregorian date."""
        options = self.field_options(question)
        if not question.help_text:
            options["help_text"] = _("Year/month/day, for example ۱۴۰۵/۰۹/۰۳.")
        return JalaliDateField(**options)

    def create_ranking_field(self, question):
        """One drop-down per item giving its rank; the form checks each rank is used once."""
        count = len(question.choices)
        ranks = [("", _("Rank…"))] + [
            (str(rank), localize_digits(rank)) for rank in range(1, count + 1)
        ]
        fields = {}
        for choice in question.choices:
            options = self.field_options(question)
            options.update(label=choice.label, help_text="")
            fields[subfield_name(question, choice)] = forms.TypedChoiceField(
                choices=ranks, coerce=int, empty_value=None, **options
            )
        return fields

    def create_matrix_field(self, question):
        """One radio group per statement over the shared scale."""
        scale = [(str(point), str(label)) for point, label in question.scale]
        fields = {}
        for row in question.rows:
            options = self.field_options(question)
            options.update(label=row.label, help_text="")
            fields[subfield_name(question, row)] = forms.TypedChoiceField(
                choices=scale, coerce=int, empty_value=None, widget=forms.RadioSelect, **options
            )
        return fields

    def create_consent_field(self, question):
        """A checkbox that must be ticked when the question is required."""
        options = self.field_options(question)
        options["error_messages"]["required"] = _("Tick this box to continue.")
        return forms.BooleanField(**options)

    @property
    def formfields(self):
        """The form fields of every question, in order, keyed by field name."""
        fields = {}
        for question in self.questionnaire.questions:
            create = getattr(self, f"create_{question.type}_field", None)
            if create is None:
                raise AttributeError(f"No create_{question.type}_field on {type(self).__name__}")
            created = create(question)
            if isinstance(created, dict):
                fields.update(created)
            else:
                fields[question.field_name] = created
        return fields

    def get_form_class(self):
        """A :class:`SurveyForm` subclass with the questionnaire's fields."""
        attrs = dict(self.formfields)
        attrs["questionnaire"] = self.questionnaire
        return type("SurveyForm", (self.form_class,), attrs)


def answers_from_cleaned_data(questionnaire, cleaned_data):
    """The unsaved :class:`Answer` rows of a valid form's ``cleaned_data``.

    Multiple choice gives one row per choice; ranking one per item (rank in ``number``);
    matrix one per statement (``row_id``, point in ``number``); consent ``number=1``.
    """
    answers = []
    for question in questionnaire.questions:
        value = cleaned_data.get(question.field_name)
        if is_empty(value):
            continue
        kind, qid = question.type, question.id
        if kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
            answers.append(Answer(question_id=qid, text=value))
        elif kind == QuestionType.SINGLE_CHOICE:
            answers.append(Answer(question_id=qid, choice_id=value))
        elif kind == QuestionType.MULTIPLE_CHOICE:
            answers.extend(Answer(question_id=qid, choice_id=choice) for choice in value)
        elif kind in {QuestionType.LIKERT, QuestionType.RATING, QuestionType.NUMBER}:
            answers.append(Answer(question_id=qid, number=float(value)))
        elif kind == QuestionType.DATE:
            answers.append(Answer(question_id=qid, date=value))
        elif kind == QuestionType.RANKING:
            answers.extend(
                Answer(question_id=qid, choice_id=choice, number=rank)
                for choice, rank in value.items()
            )
        elif kind == QuestionType.MATRIX:
            answers.extend(
                Answer(question_id=qid, row_id=row, number=point) for row, point in value.items()
            )
        elif kind == QuestionType.CONSENT:
            answers.append(Answer(question_id=qid, number=1))
    return answers


def _number_text(number):
    return format(Decimal(str(number)).normalize(), "f")


def initial_from_answers(questionnaire, answers):
    """Form ``initial`` data showing stored answers, for editing a response."""
    by_question = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    initial = {}
    for question in questionnaire.questions:
        rows = by_question.get(question.id)
        if not rows:
            continue
        kind, name = question.type, question.field_name
        if kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
            initial[name] = rows[0].text
        elif kind == QuestionType.SINGLE_CHOICE:
            initial[name] = rows[0].choice_id
        elif kind == QuestionType.MULTIPLE_CHOICE:
            initial[name] = [row.choice_id for row in rows]
        elif kind in {QuestionType.LIKERT, QuestionType.RATING}:
            initial[name] = str(int(rows[0].number))
        elif kind == QuestionType.NUMBER:
            initial[name] = localize_digits(_number_text(rows[0].number))
        elif kind == QuestionType.DATE:
            initial[name] = jalali_text(rows[0].date)
        elif kind == QuestionType.RANKING:
            for row in rows:
                initial[f"{name}{SUBFIELD_SEPARATOR}{row.choice_id}"] = str(int(row.number))
        elif kind == QuestionType.MATRIX:
            for row in rows:
                initial[f"{name}{SUBFIELD_SEPARATOR}{row.row_id}"] = str(int(row.number))
        elif kind == QuestionType.CONSENT:
            initial[name] = True
    return initial


class QuestionnairePageForm(CallPageForm):
    """:class:`CallPageForm` that also refuses question edits orphaning answers."""

    def clean(self):
        cleaned_data = super().clean()
        self.clean_questionnaire_lock(cleaned_data)
        return cleaned_data

    def clean_questionnaire_lock(self, cleaned_data):
        """Refuse question edits that would orphan answers once the call has responses."""
        if "questions" not in self.fields or cleaned_data.get("questions") is None:
            return
        submitted = cleaned_data["questions"]
        conflicts = locking_conflicts(self.instance, submitted)
        if conflicts:
            self.add_error("questions", locking_error(conflicts, submitted))
