"""Survey questions as StreamField blocks.

A question's stable id is its StreamField block id; a choice's, matrix row's id is
its ListBlock item id. Both survive reordering, relabelling and translation by
wagtail-localize, so answers stay attached to the right question and choice.
Form field names come from these ids, never from labels.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .choices import QuestionType


def likert_default_labels(points):
    """The usual agreement labels for a 5- or 7-point Likert scale."""
    if points == 7:
        return [
            _("Strongly disagree"),
            _("Disagree"),
            _("Somewhat disagree"),
            _("Neither agree nor disagree"),
            _("Somewhat agree"),
            _("Agree"),
            _("Strongly agree"),
        ]
    return [
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ]


# Question types whose answers a condition can name: their choices, points or consent.
CONDITION_SOURCE_TYPES = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.LIKERT,
    QuestionType.RATING,
    QuestionType.CONSENT,
)
# Separators of legacy typed answer lists: the Latin and the Persian comma.
ANSWER_SEPARATORS = re.compile(r"[,،]")


class ConditionPickerInput(forms.TextInput):
    """A text input the page editor turns into a picker (static/js/condition-picker.js).

    ``role`` is "question" (a select of the earlier questions) or "answers" (checkboxes of
    the chosen question's own choices); the input keeps the block and choice ids.
    """

    class Media:
        css = {"all": ["css/condition-picker.css"]}
        js = ["js/condition-picker.js"]

    def __init__(self, role):
        super().__init__(
            attrs={
                "data-condition-picker": role,
                "dir": "ltr",
                "data-empty-label": _("— Always show —"),
                "data-missing-label": _("(a question that is no longer before this one)"),
            }
        )


class ConditionIdsBlock(blocks.FieldBlock):
    """Block or choice ids, space-separated, picked in the admin rather than typed."""

    def __init__(self, role, required=False, help_text=None, **kwargs):
        self.field = forms.CharField(
            required=required,
            max_length=1000,
            help_text=help_text,
            widget=ConditionPickerInput(role),
        )
        super().__init__(**kwargs)

    def get_translatable_segments(self, value):
        """Ids are not text: nothing for translators (wagtail-localize)."""
        return []

    def restore_translated_segments(self, value, segments):
        """A translation keeps the source's ids (wagtail-localize)."""
        return value


class ConditionBlock(blocks.StructBlock):
    """Show the question only when an earlier question was answered with one of the picked
    choices. Refers to the question's block id and its choices' ids, so relabelling,
    reordering and translating keep it working."""

    question = ConditionIdsBlock(
        "question",
        label=_("Earlier question"),
        help_text=_("Leave empty to always show this question."),
    )
    answers = ConditionIdsBlock(
        "answers",
        label=_("Shown when the answer is one of"),
        help_text=_("Pick one or more answers of the earlier question."),
    )

    class Meta:
        label = _("Show only if")
        form_classname = "condition-block"

    def _with_legacy(self, struct_value, raw):
        # A legacy condition (code and typed labels) rides along as an attribute, not a
        # child, so forms ignore it; .conditions resolves it to ids on loading.
        legacy = {key: (raw or {}).get(key) or "" for key in LEGACY_CONDITION_KEYS}
        resolved = struct_value.get("question")
        struct_value.legacy = legacy if legacy["question_code"] and not resolved else None
        return struct_value

    def to_python(self, value):
        """Also keeps a legacy condition (``question_code``, typed ``answer_in``)."""
        return self._with_legacy(super().to_python(value), value)

    def bulk_to_python(self, values):
        """Also keeps legacy conditions (see :meth:`to_python`)."""
        converted = super().bulk_to_python(values)
        return [self._with_legacy(value, raw) for value, raw in zip(converted, values, strict=True)]

    def get_prep_value(self, value):
        """Stores a legacy condition that could not be resolved to ids as it was."""
        prepared = super().get_prep_value(value)
        legacy = getattr(value, "legacy", None)
        if legacy and not prepared.get("question"):
            prepared.update(legacy)
        return prepared

    def get_translatable_segments(self, value):
        """Conditions hold ids, not text: nothing for translators (wagtail-localize)."""
        return []

    def restore_translated_segments(self, value, segments):
        """A translation keeps the source's condition (wagtail-localize)."""
        return value


LEGACY_CONDITION_KEYS = ("question_code", "answer_in")


def split_legacy_answers(text):
    """Typed answer labels of a legacy condition, split on «,» or «،»."""
    return tuple(part.strip() for part in ANSWER_SEPARATORS.split(text or "") if part.strip())


def split_ids(text):
    """The ids of a condition field (space- or comma-separated)."""
    return tuple(part for part in re.split(r"[\s,]+", text or "") if part)


class BaseQuestionBlock(blocks.StructBlock):
    """What every question has: label, help text, required, an optional code and condition."""

    question_type = None

    label = blocks.CharBlock(label=_("Question"), max_length=500)
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    # Off until the editor ticks it: a question added in haste should not block a response.
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=False)
    code = blocks.RegexBlock(
        label=_("Code"),
        regex=r"^[A-Za-z][A-Za-z0-9_]{0,39}$",
        required=False,
        error_messages={"invalid": _("Use Latin letters, digits and _, starting with a letter.")},
        help_text=_("A short name for exports and conditions, e.g. q1 or age."),
    )
    show_if = ConditionBlock()

    class Meta:
        icon = "help"
        template = "participation/questions/question_preview.html"


class ChoiceItemBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Choice"), max_length=300)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


def choices_block(min_num=2):
    return blocks.ListBlock(ChoiceItemBlock(), label=_("Choices"), min_num=min_num)


class ShortTextQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.SHORT_TEXT
    max_length = blocks.IntegerBlock(
        label=_("Maximum length"), default=200, min_value=1, max_value=1000
    )

    class Meta:
        icon = "pilcrow"
        label = _("Short text")
        preview_value = {"label": "رشتهٔ تحصیلی شما چیست؟", "required": True, "max_length": 200}


class LongTextQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.LONG_TEXT
    max_length = blocks.IntegerBlock(
        label=_("Maximum length"), default=5000, min_value=1, max_value=20000
    )

    class Meta:
        icon = "doc-full"
        label = _("Long text")
        preview_value = {"label": "پیشنهاد شما برای بهبود برنامه‌های فرهنگی چیست؟"}


class SingleChoiceQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.SINGLE_CHOICE
    choices = choices_block()
    display = blocks.ChoiceBlock(
        label=_("Display as"),
        choices=[("radio", _("Radio buttons")), ("select", _("Drop-down list"))],
        default="radio",
    )

    class Meta:
        icon = "radio-full"
        label = _("Single choice")
        preview_value = {
            "label": "چند بار در سال گذشته در برنامه‌های فرهنگی دانشگاه شرکت کرده‌اید؟",
            "choices": [{"label": "هرگز"}, {"label": "۱ تا ۳ بار"}, {"label": "بیش از ۳ بار"}],
        }


class MultipleChoiceQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.MULTIPLE_CHOICE
    choices = choices_block()
    min_selected = blocks.IntegerBlock(label=_("At least"), required=False, min_value=0)
    max_selected = blocks.IntegerBlock(label=_("At most"), required=False, min_value=1)

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")
        preview_value = {
            "label": "به کدام برنامه‌ها علاقه دارید؟",
            "choices": [{"label": "تئاتر"}, {"label": "موسیقی"}, {"label": "کتاب‌خوانی"}],
            "max_selected": 2,
        }

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_selected"), value.get("max_selected")
        errors = {}
        if low is not None and high is not None and low > high:
            errors["max_selected"] = ValidationError(_("“At most” must not be below “At least”."))
        if high is not None and high > len(value["choices"]):
            errors["max_selected"] = ValidationError(_("There are fewer choices than that."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class LikertQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.LIKERT
    points = blocks.ChoiceBlock(
        label=_("Points"), choices=[("5", _("5 points")), ("7", _("7 points"))], default="5"
    )
    scale_labels = blocks.ListBlock(
        blocks.CharBlock(max_length=100),
        label=_("Scale labels"),
        required=False,
        default=[],
        help_text=_("From the lowest point to the highest; leave empty for agree/disagree."),
    )
    reverse_coded = blocks.BooleanBlock(
        label=_("Reverse-coded"),
        required=False,
        help_text=_("Agreeing means a lower score (for negatively worded statements)."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Likert scale")
        preview_value = {"label": "برنامه‌های فرهنگی دانشگاه نیاز دانشجویان را برآورده می‌کند."}

    def clean(self, value):
        value = super().clean(value)
        labels = [label for label in value["scale_labels"] if label]
        if labels and len(labels) != int(value["points"]):
            raise StructBlockValidationError(
                block_errors={
                    "scale_labels": ValidationError(
                        _("Give one label per point, or none for the default labels.")
                    )
                }
            )
        return value


class RatingQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.RATING
    low_label = blocks.CharBlock(label=_("Label for 0"), required=False, max_length=100)
    high_label = blocks.CharBlock(label=_("Label for 10"), required=False, max_length=100)

    class Meta:
        icon = "pick"
        label = _("Rating 0–10")
        preview_value = {
            "label": "چقدر احتمال دارد این برنامه را به دوستانتان پیشنهاد کنید؟",
            "low_label": "اصلاً",
            "high_label": "حتماً",
        }


class NumberQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.NUMBER
    min_value = blocks.FloatBlock(label=_("Minimum"), required=False)
    max_value = blocks.FloatBlock(label=_("Maximum"), required=False)
    whole_numbers = blocks.BooleanBlock(label=_("Whole numbers only"), required=False, default=True)

    class Meta:
        icon = "order"
        label = _("Number")
        preview_value = {
            "label": "هفته‌ای چند ساعت به فعالیت‌های فرهنگی می‌پردازید؟",
            "min_value": 0,
            "max_value": 80,
        }

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                block_errors={"max_value": ValidationError(_("The maximum is below the minimum."))}
            )
        return value


class DateQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.DATE

    class Meta:
        icon = "date"
        label = _("Date (Solar Hijri)")
        preview_value = {"label": "تاریخ آخرین برنامهٔ فرهنگی که در آن شرکت کردید"}


class RankingQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.RANKING
    choices = choices_block()

    class Meta:
        icon = "list-ol"
        label = _("Ranking")
        preview_value = {
            "label": "این اولویت‌ها را از مهم‌ترین به کم‌اهمیت‌ترین مرتب کنید.",
            "choices": [{"label": "خوابگاه"}, {"label": "تغذیه"}, {"label": "برنامه‌های فرهنگی"}],
        }


class MatrixRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Statement"), max_length=300)

    class Meta:
        icon = "minus"
        label = _("Row")


class MatrixQuestionBlock(LikertQuestionBlock):
    """Several statements rated on one Likert scale."""

    question_type = QuestionType.MATRIX
    rows = blocks.ListBlock(MatrixRowBlock(), label=_("Statements"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Matrix (statements × scale)")
        preview_value = {
            "label": "تا چه حد با این گزاره‌ها موافقید؟",
            "rows": [{"label": "برنامه‌ها متنوع‌اند."}, {"label": "زمان برنامه‌ها مناسب است."}],
        }


class ConsentQuestionBlock(BaseQuestionBlock):
    question_type = QuestionType.CONSENT

    class Meta:
        icon = "tick-inverse"
        label = _("Consent")
        preview_value = {
            "label": "با استفادهٔ بی‌نام از پاسخ‌هایم در گزارش‌های پژوهشی موافقم.",
            "required": True,
        }


class StepBlock(blocks.StructBlock):
    """Starts a new step of a long questionnaire."""

    title = blocks.CharBlock(label=_("Step title"), max_length=200)

    class Meta:
        icon = "arrow-down-big"
        label = _("New step")
        template = "participation/questions/step_preview.html"
        preview_value = {"title": "دربارهٔ شما"}


class QuestionStreamBlock(blocks.StreamBlock):
    """The questions of a survey, in order, optionally split into steps."""

    short_text = ShortTextQuestionBlock()
    long_text = LongTextQuestionBlock()
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    likert = LikertQuestionBlock()
    rating = RatingQuestionBlock()
    number = NumberQuestionBlock()
    date = DateQuestionBlock()
    ranking = RankingQuestionBlock()
    matrix = MatrixQuestionBlock()
    consent = ConsentQuestionBlock()
    step = StepBlock()

    class Meta:
        label = _("Questions")

    def to_python(self, value):
        """Loads the questions, with legacy label conditions turned into ids."""
        from .conditions import resolve_legacy_conditions  # it reads these blocks

        return resolve_legacy_conditions(super().to_python(value))

    def clean(self, value):
        from .conditions import condition_errors  # it reads these blocks

        value = super().clean(value)
        errors = condition_errors(value)
        if errors is not None:
            raise errors
        codes = [child.value["code"] for child in value if child.block_type != "step"]
        codes = [code for code in codes if code]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Two questions share the same code; codes must be unique."))
        return value
