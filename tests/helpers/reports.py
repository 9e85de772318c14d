"""A survey with one question of every type and a handful of responses, for the editor
report, quality flags and exports.

Test modules load it with ``pytest_plugins``; it holds no assertions (PYTEST_DONT_REWRITE).
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.blocks import StreamValue

from pages.models import SurveyCampaignPage
from participation.choices import AnonymityMode
from participation.questions.blocks import QuestionStreamBlock
from participation.questions.schema import read_questions
from participation.submissions import mixing
from participation.submissions.models import Answer, Submission
from participation.submissions.services import hash_edit_token, submit_response
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import EditorFactory, UserFactory, university_named

BLOCK = QuestionStreamBlock()

QUESTIONS = [
    (
        "single_choice",
        {
            "label": "چند بار در برنامه‌های فرهنگی شرکت کرده‌اید؟",
            "code": "freq",
            "choices": [{"label": "هرگز"}, {"label": "۱ تا ۳ بار"}, {"label": "=بیش از ۳ بار"}],
        },
    ),
    (
        "multiple_choice",
        {
            "label": "به کدام برنامه‌ها علاقه دارید؟",
            "code": "interests",
            "choices": [{"label": "تئاتر"}, {"label": "موسیقی"}, {"label": "کتاب‌خوانی"}],
        },
    ),
    *[("likert", {"label": f"گزارهٔ {n}", "code": f"l{n}", "points": "5"}) for n in range(1, 6)],
    (
        "matrix",
        {
            "label": "تا چه حد موافقید؟",
            "code": "m",
            "points": "5",
            "reverse_coded": True,
            "rows": [{"label": f"سطر {n}"} for n in range(1, 5)],
        },
    ),
    ("rating", {"label": "چقدر پیشنهاد می‌کنید؟", "code": "nps"}),
    ("number", {"label": "هفته‌ای چند ساعت؟", "code": "hours", "min_value": 0, "max_value": 80}),
    ("date", {"label": "آخرین برنامه", "code": "last"}),
    (
        "ranking",
        {
            "label": "اولویت‌ها را مرتب کنید",
            "code": "prio",
            "choices": [{"label": "خوابگاه"}, {"label": "تغذیه"}, {"label": "فرهنگ"}],
        },
    ),
    ("short_text", {"label": "رشتهٔ شما", "code": "field", "required": False}),
    ("consent", {"label": "موافقم", "code": "ok"}),
]


def question_stream():
    return StreamValue(
        BLOCK, [(kind, BLOCK.child_blocks[kind].to_python(value)) for kind, value in QUESTIONS]
    )


def make_survey(parent, *, anonymity=AnonymityMode.NAMED, slug="survey"):
    """A published, open survey with every question type under ``parent``."""
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی فعالیت‌های فرهنگی",
        slug=slug,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=30),
        anonymity=anonymity,
        questions=question_stream(),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return SurveyCampaignPage.objects.get(pk=page.pk)


def answers_for(questionnaire, *, likert=3, matrix=(1, 2, 3, 4), text="فیزیک", freq=0):
    """Answers to every question; ``likert`` and ``matrix`` decide straight-lining."""
    q = questionnaire.by_code()
    rows = [
        Answer(question_id=q["freq"].id, choice_id=q["freq"].choices[freq].id),
        Answer(question_id=q["interests"].id, choice_id=q["interests"].choices[0].id),
        Answer(question_id=q["interests"].id, choice_id=q["interests"].choices[2].id),
    ]
    likerts = likert if isinstance(likert, list | tuple) else [likert] * 5
    rows += [
        Answer(question_id=q[f"l{n}"].id, number=value)
        for n, value in zip(range(1, 6), likerts, strict=True)
    ]
    rows += [
        Answer(question_id=q["m"].id, row_id=row.id, number=value)
        for row, value in zip(q["m"].rows, matrix, strict=True)
    ]
    rows += [
        Answer(question_id=q["nps"].id, number=8),
        Answer(question_id=q["hours"].id, number=12),
        Answer(question_id=q["last"].id, date=datetime.date(2025, 9, 23)),
        Answer(question_id=q["prio"].id, choice_id=q["prio"].choices[0].id, number=2),
        Answer(question_id=q["prio"].id, choice_id=q["prio"].choices[1].id, number=1),
        Answer(question_id=q["prio"].id, choice_id=q["prio"].choices[2].id, number=3),
        Answer(question_id=q["field"].id, text=text),
        Answer(question_id=q["ok"].id, number=1),
    ]
    return rows


def respond(page, *, role="student", university="", language="fa", seconds=300, **answers):
    """Submit a response as a new participant who took ``seconds`` to answer."""
    user = UserFactory(role=role)
    user.university = university_named(university)  # The snapshot reads the profile's.
    questionnaire = read_questions(page.questions)
    started_at = timezone.now() - datetime.timedelta(seconds=seconds)
    submission, token = submit_response(
        page,
        user,
        answers_for(questionnaire, **answers),
        questionnaire,
        language=language,
        started_at=started_at,
    )
    if submission is None:  # anonymous-verified: sealed until its batch opens; open it now
        mixing.mix(page.call_key, closing=True)
        submission = Submission.objects.get(edit_token_hash=hash_edit_token(token))
    submission.participant_user = user
    return submission


@pytest.fixture
def call_index(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def survey(call_index):
    return make_survey(call_index)


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@ministry.test")


@pytest.fixture
def make_response(db):
    """:func:`respond`, for tests that take their helpers as fixtures."""
    return respond


@pytest.fixture
def make_survey_under(db):
    """:func:`make_survey`, for tests that take their helpers as fixtures."""
    return make_survey
