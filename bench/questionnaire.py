"""The bench survey: 20 questions of mixed types, and the same questions as wagtail form fields.

Ids are derived from fixed names (uuid5), so the seed, the load generator and the
baseline agree on every question, choice and matrix row without reading them back.
"""

import datetime
import random
import uuid
from dataclasses import dataclass, field

NAMESPACE = uuid.UUID("6f3c5a53-7a51-4d5e-9f0e-6b1f1b2d0c11")


def stable_id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


@dataclass(frozen=True)
class BenchQuestion:
    code: str
    type: str
    label: str
    choices: tuple = ()  # choice labels (single/multiple choice)
    rows: tuple = ()  # matrix statements
    points: int = 5  # Likert / matrix points
    low: int = 0  # number range
    high: int = 0
    max_selected: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def id(self):
        return stable_id("question", self.code)

    def choice_ids(self):
        return [stable_id("choice", self.code, index) for index in range(len(self.choices))]

    def row_ids(self):
        return [stable_id("row", self.code, index) for index in range(len(self.rows))]


FREQUENCY = ("هرگز", "یک تا سه بار", "چهار تا ده بار", "بیش از ده بار")
PROGRAMMES = ("تئاتر", "موسیقی", "کتاب‌خوانی", "سینما", "اردوی فرهنگی")
CHANNELS = ("کانال دانشگاه", "تابلوی اعلانات", "دوستان", "ایمیل", "وبگاه", "پیام‌رسان")

QUESTIONS = (
    BenchQuestion(
        "q01", "single_choice", "در سال گذشته چند بار در برنامه‌ها شرکت کردید؟", FREQUENCY
    ),
    BenchQuestion(
        "q02",
        "single_choice",
        "محل تحصیل یا کار",
        ("دانشکدهٔ فنی", "دانشکدهٔ علوم", "دانشکدهٔ ادبیات", "دانشکدهٔ هنر", "دانشکدهٔ پزشکی"),
    ),
    BenchQuestion(
        "q03", "multiple_choice", "به کدام برنامه‌ها علاقه دارید؟", PROGRAMMES, max_selected=3
    ),
    BenchQuestion("q04", "multiple_choice", "از کجا باخبر می‌شوید؟", CHANNELS),
    BenchQuestion("q05", "likert", "برنامه‌ها نیاز دانشجویان را برآورده می‌کند."),
    BenchQuestion("q06", "likert", "زمان برنامه‌ها مناسب است."),
    BenchQuestion("q07", "likert", "اطلاع‌رسانی به‌موقع است."),
    BenchQuestion("q08", "likert", "برنامه‌ها متنوع‌اند.", points=7),
    BenchQuestion("q09", "likert", "فضای برنامه‌ها امن و پذیرا است."),
    BenchQuestion("q10", "rating", "چقدر این برنامه‌ها را به دوستانتان پیشنهاد می‌کنید؟"),
    BenchQuestion("q11", "rating", "به کیفیت کلی برنامه‌ها چه نمره‌ای می‌دهید؟"),
    BenchQuestion("q12", "number", "هفته‌ای چند ساعت فعالیت فرهنگی دارید؟", low=0, high=40),
    BenchQuestion("q13", "number", "سن شما", low=17, high=70),
    BenchQuestion(
        "q14",
        "matrix",
        "تا چه حد با این گزاره‌ها موافقید؟",
        rows=(
            "هزینهٔ برنامه‌ها مناسب است.",
            "مکان برنامه‌ها در دسترس است.",
            "برگزارکنندگان پاسخگو هستند.",
        ),
    ),
    BenchQuestion("q15", "single_choice", "آیا دوباره شرکت می‌کنید؟", ("بله", "خیر", "مطمئن نیستم")),
    BenchQuestion("q16", "likert", "صدای دانشجویان شنیده می‌شود."),
    BenchQuestion("q17", "short_text", "رشتهٔ تحصیلی شما"),
    BenchQuestion("q18", "short_text", "نام تشکل شما (اگر عضوید)"),
    BenchQuestion("q19", "date", "تاریخ آخرین برنامه‌ای که شرکت کردید"),
    BenchQuestion("q20", "long_text", "پیشنهاد شما برای بهبود برنامه‌ها"),
)
assert len(QUESTIONS) == 20

ROLES = ("student", "faculty", "staff")
UNIVERSITIES = ("دانشگاه تهران", "دانشگاه شیراز", "دانشگاه تبریز", "دانشگاه اصفهان", "دانشگاه یزد")
MAJORS = ("مهندسی برق", "ادبیات فارسی", "فیزیک", "حقوق", "معماری", "روان‌شناسی", "پزشکی")
WORDS = ("برنامه", "فرهنگی", "دانشجو", "خوابگاه", "کتاب", "زمان", "بیشتر", "بهتر", "کارگاه")


def stream_data():
    """The ``questions`` StreamField of the bench survey, as raw block data with fixed ids."""
    data = []
    for question in QUESTIONS:
        value = {
            "label": question.label,
            "help_text": "",
            "required": True,
            "code": question.code,
            "show_if": {"question_code": "", "answer_in": ""},
        }
        if question.type in {"single_choice", "multiple_choice"}:
            value["choices"] = [
                {"type": "item", "value": {"label": label}, "id": choice_id}
                for label, choice_id in zip(question.choices, question.choice_ids(), strict=True)
            ]
        if question.type == "single_choice":
            value["display"] = "radio"
        if question.type == "multiple_choice":
            value["min_selected"] = None
            value["max_selected"] = question.max_selected
        if question.type in {"likert", "matrix"}:
            value["points"] = str(question.points)
            value["scale_labels"] = []
            value["reverse_coded"] = False
        if question.type == "matrix":
            value["rows"] = [
                {"type": "item", "value": {"label": label}, "id": row_id}
                for label, row_id in zip(question.rows, question.row_ids(), strict=True)
            ]
        if question.type == "rating":
            value["low_label"] = "اصلاً"
            value["high_label"] = "حتماً"
        if question.type == "number":
            value["min_value"] = float(question.low)
            value["max_value"] = float(question.high)
            value["whole_numbers"] = True
        if question.type == "short_text":
            value["max_length"] = 200
        if question.type == "long_text":
            value["max_length"] = 2000
        data.append({"type": question.type, "value": value, "id": question.id})
    return data


# --- The same questions as wagtail.contrib.forms fields ------------------------------------

FIELD_TYPES = {
    "single_choice": "radio",
    "multiple_choice": "checkboxes",
    "likert": "radio",
    "rating": "radio",
    "number": "number",
    "short_text": "singleline",
    "long_text": "multiline",
    "date": "date",
}


def baseline_fields():
    """(clean_name, label, field_type, choices) of each wagtail form field.

    wagtail.contrib.forms has no matrix field: each matrix statement is its own radio
    field, so the 20 questions are 22 wagtail fields carrying the same answers.
    """
    fields = []
    for question in QUESTIONS:
        if question.type == "matrix":
            for index, row in enumerate(question.rows, start=1):
                fields.append(
                    (f"{question.code}_r{index}", f"{question.code} r{index} {row}", "radio")
                    + (points(question),)
                )
            continue
        if question.type in {"single_choice", "multiple_choice"}:
            choices = question.choices
        elif question.type == "likert":
            choices = points(question)
        elif question.type == "rating":
            choices = tuple(str(point) for point in range(11))
        else:
            choices = ()
        fields.append(
            (
                question.code,
                f"{question.code} {question.label}",
                FIELD_TYPES[question.type],
                choices,
            )
        )
    return fields


def points(question):
    return tuple(str(point) for point in range(1, question.points + 1))


# --- One generated respondent ----------------------------------------------------------------


def generate_response(rng):
    """One respondent's answers: question code → value.

    Values: choice index (single), list of choice indexes (multiple), int (Likert,
    rating, number), list of ints (matrix, one point per row), str (texts), date.
    """
    answers = {}
    for question in QUESTIONS:
        kind = question.type
        if kind == "single_choice":
            answers[question.code] = rng.randrange(len(question.choices))
        elif kind == "multiple_choice":
            limit = question.max_selected or len(question.choices)
            count = rng.randint(1, min(limit, 3))
            answers[question.code] = sorted(rng.sample(range(len(question.choices)), count))
        elif kind == "likert":
            answers[question.code] = rng.randint(1, question.points)
        elif kind == "rating":
            answers[question.code] = rng.randint(0, 10)
        elif kind == "number":
            answers[question.code] = rng.randint(question.low, question.high)
        elif kind == "matrix":
            answers[question.code] = [rng.randint(1, question.points) for _ in question.rows]
        elif kind == "short_text":
            answers[question.code] = rng.choice(MAJORS)
        elif kind == "long_text":
            answers[question.code] = " ".join(rng.choices(WORDS, k=rng.randint(3, 12)))
        elif kind == "date":
            answers[question.code] = datetime.date(2025, 1, 1) + datetime.timedelta(
                days=rng.randrange(300)
            )
    return answers


def answer_rows(answers):
    """The normalized ``Answer`` rows of one response: (question_id, row_id, choice_id,
    number, text, date)."""
    rows = []
    for question in QUESTIONS:
        value = answers[question.code]
        kind = question.type
        if kind == "single_choice":
            rows.append((question.id, "", question.choice_ids()[value], None, "", None))
        elif kind == "multiple_choice":
            ids = question.choice_ids()
            rows.extend((question.id, "", ids[index], None, "", None) for index in value)
        elif kind in {"likert", "rating", "number"}:
            rows.append((question.id, "", "", float(value), "", None))
        elif kind == "matrix":
            rows.extend(
                (question.id, row_id, "", float(point), "", None)
                for row_id, point in zip(question.row_ids(), value, strict=True)
            )
        elif kind in {"short_text", "long_text"}:
            rows.append((question.id, "", "", None, value, None))
        elif kind == "date":
            rows.append((question.id, "", "", None, "", value))
    return rows


def form_data(answers):
    """The JSON wagtail.contrib.forms stores for the same response (``cleaned_data``
    through DjangoJSONEncoder: numbers are Decimals, so strings; dates ISO strings)."""
    data = {}
    for question in QUESTIONS:
        value = answers[question.code]
        kind = question.type
        if kind == "single_choice":
            data[question.code] = question.choices[value]
        elif kind == "multiple_choice":
            data[question.code] = [question.choices[index] for index in value]
        elif kind in {"likert", "rating"} or kind == "number":
            data[question.code] = str(value)
        elif kind == "matrix":
            for index, point in enumerate(value, start=1):
                data[f"{question.code}_r{index}"] = str(point)
        elif kind == "date":
            data[question.code] = value.isoformat()
        else:
            data[question.code] = value
    return data


def baseline_post(answers):
    """The POST body (list of pairs) for the baseline form page."""
    pairs = []
    for name, value in form_data(answers).items():
        if isinstance(value, list):
            pairs.extend((name, item) for item in value)
        else:
            pairs.append((name, value))
    return pairs


def new_rng(seed):
    return random.Random(seed)
