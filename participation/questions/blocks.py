"""Survey questions as StreamField blocks.

A question's stable id is its StreamField block id; a choice's, matrix row's id is
its ListBlock item id. Both survive reordering, relabelling and translation by
wagtail-localize, so answers stay attached to the right question and choice.
Form field names come from these ids, never from labels.
"""

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


class ConditionBlock(blocks.StructBlock):
    """Show the question only when an earlier question's answer matches."""

    question_code = blocks.CharBlock(
        label=_("Earlier question's code"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to always show this question."),
    )
    answer_in = blocks.CharBlock(
        label=_("Shown when the answer is one of"),
        required=False,
        max_length=500,
        help_text=_("Choice labels (or numbers), separated by commas."),
    )

    class Meta:
        label = _("Show only if")
        form_classname = "condition-block"


class BaseQuestionBlock(blocks.StructBlock):
    """What every question has: label, help text, required, an optional code and condition."""

    question_type = None

    label = blocks.CharBlock(label=_("Question"), max_length=500)
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
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

    def clean(self, value):
        value = super().clean(value)
        codes = [child.value["code"] for child in value if child.block_type != "step"]
        codes = [code for code in codes if code]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Two questions share the same code; codes must be unique."))
        return value
