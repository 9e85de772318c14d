"""Factories for survey campaigns, with a questionnaire covering every question type.

Block, choice and row ids are fixed (``Q``, ``C``, ``R``) so tests can post answers by id.
"""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from pages.models import SurveyCampaignPage
from participation.questions.forms import sign_started_at

Q = {
    "major": "0b1e3c52-0000-4000-8000-000000000001",
    "attended": "0b1e3c52-0000-4000-8000-000000000002",
    "story": "0b1e3c52-0000-4000-8000-000000000003",
    "hours": "0b1e3c52-0000-4000-8000-000000000004",
    "last_event": "0b1e3c52-0000-4000-8000-000000000005",
    "interests": "0b1e3c52-0000-4000-8000-000000000006",
    "satisfied": "0b1e3c52-0000-4000-8000-000000000007",
    "recommend": "0b1e3c52-0000-4000-8000-000000000008",
    "priorities": "0b1e3c52-0000-4000-8000-000000000009",
    "statements": "0b1e3c52-0000-4000-8000-00000000000a",
    "consent": "0b1e3c52-0000-4000-8000-00000000000b",
    "campus": "0b1e3c52-0000-4000-8000-00000000000c",
}
C = {
    "yes": "c0000000-0000-4000-8000-000000000001",
    "no": "c0000000-0000-4000-8000-000000000002",
    "theatre": "c0000000-0000-4000-8000-000000000003",
    "music": "c0000000-0000-4000-8000-000000000004",
    "books": "c0000000-0000-4000-8000-000000000005",
    "dorms": "c0000000-0000-4000-8000-000000000006",
    "food": "c0000000-0000-4000-8000-000000000007",
    "culture": "c0000000-0000-4000-8000-000000000008",
    "north": "c0000000-0000-4000-8000-000000000009",
    "south": "c0000000-0000-4000-8000-00000000000a",
}
R = {
    "varied": "d0000000-0000-4000-8000-000000000001",
    "timing": "d0000000-0000-4000-8000-000000000002",
}
STEP_ID = "e0000000-0000-4000-8000-000000000001"
SECOND_STEP_ID = "e0000000-0000-4000-8000-000000000002"


def _items(*pairs):
    return [{"type": "item", "value": {"label": label}, "id": item_id} for item_id, label in pairs]


def _question(block_type, key, label, **value):
    value = {
        "label": label,
        "help_text": value.pop("help_text", ""),
        "required": value.pop("required", True),
        "code": value.pop("code", key),
        "show_if": value.pop("show_if", {"question_code": "", "answer_in": ""}),
        **value,
    }
    return {"type": block_type, "value": value, "id": Q[key]}


def question_stream(steps=True):
    """Raw StreamField data for a survey asking every question type.

    Labels include punctuation-only and emoji-only ones (``«»``, ``🙂``, ``؟``). With
    ``steps``, the questions are split into two steps.
    """
    first = [
        _question("short_text", "major", "رشتهٔ تحصیلی شما چیست؟", max_length=50),
        _question(
            "single_choice",
            "attended",
            "«»",
            choices=_items((C["yes"], "بله"), (C["no"], "خیر")),
            display="radio",
        ),
        _question(
            "long_text",
            "story",
            "🙂",
            max_length=500,
            show_if={"question_code": "attended", "answer_in": "بله"},
        ),
        _question("number", "hours", "؟", min_value=0, max_value=80, whole_numbers=True),
        _question("date", "last_event", "تاریخ آخرین برنامه", required=False),
    ]
    second = [
        _question(
            "multiple_choice",
            "interests",
            "به کدام برنامه‌ها علاقه دارید؟",
            choices=_items((C["theatre"], "تئاتر"), (C["music"], "موسیقی"), (C["books"], "کتاب")),
            min_selected=1,
            max_selected=2,
        ),
        _question(
            "likert",
            "satisfied",
            "از برنامه‌ها راضی هستم.",
            points="5",
            scale_labels=[],
            reverse_coded=False,
        ),
        _question(
            "rating", "recommend", "چقدر پیشنهاد می‌کنید؟", low_label="اصلاً", high_label="حتماً"
        ),
        _question(
            "ranking",
            "priorities",
            "اولویت‌ها را مرتب کنید.",
            choices=_items((C["dorms"], "خوابگاه"), (C["food"], "تغذیه"), (C["culture"], "فرهنگ")),
        ),
        _question(
            "matrix",
            "statements",
            "تا چه حد موافقید؟",
            points="5",
            scale_labels=[],
            reverse_coded=False,
            rows=_items((R["varied"], "برنامه‌ها متنوع‌اند."), (R["timing"], "زمان مناسب است.")),
        ),
        _question("consent", "consent", "با استفادهٔ بی‌نام از پاسخ‌هایم موافقم."),
        _question(
            "single_choice",
            "campus",
            "پردیس",
            required=False,
            choices=_items((C["north"], "شمال"), (C["south"], "جنوب")),
            display="select",
        ),
    ]
    if not steps:
        return first + second
    return [
        {"type": "step", "value": {"title": "دربارهٔ شما"}, "id": STEP_ID},
        *first,
        {"type": "step", "value": {"title": "نظر شما"}, "id": SECOND_STEP_ID},
        *second,
    ]


def valid_answers(started_minutes_ago=5):
    """POST data answering every question of :func:`question_stream` validly."""
    return {
        "started_at": sign_started_at(
            timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
        ),
        f"q_{Q['major']}": "علوم اجتماعي",
        f"q_{Q['attended']}": C["yes"],
        f"q_{Q['story']}": "جشنوارهٔ تئاتر",
        f"q_{Q['hours']}": "۱۲",
        f"q_{Q['last_event']}": "۱۴۰۵/۰۹/۰۳",
        f"q_{Q['interests']}": [C["theatre"], C["books"]],
        f"q_{Q['satisfied']}": "4",
        f"q_{Q['recommend']}": "9",
        f"q_{Q['priorities']}__{C['dorms']}": "2",
        f"q_{Q['priorities']}__{C['food']}": "1",
        f"q_{Q['priorities']}__{C['culture']}": "3",
        f"q_{Q['statements']}__{R['varied']}": "5",
        f"q_{Q['statements']}__{R['timing']}": "2",
        f"q_{Q['consent']}": "on",
        f"q_{Q['campus']}": C["north"],
    }


class SurveyCampaignPageFactory(wagtail_factories.PageFactory):
    """An open survey (opened yesterday, closing in a week) asking every question type."""

    title = factory.Sequence(lambda n: f"نظرسنجی برنامه‌های فرهنگی {n}")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    intro = "<p>نظر شما دربارهٔ برنامه‌های فرهنگی دانشگاه</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    questions = factory.LazyFunction(question_stream)

    class Meta:
        model = SurveyCampaignPage
