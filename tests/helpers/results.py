"""A survey for the results tests, and helpers to answer it with chosen or random answers."""

import datetime
import random

import pytest
from django.utils import timezone
from wagtail.blocks import StreamValue

from pages.models import SurveyCampaignPage
from participation.choices import ResultsVisibility
from participation.questions.blocks import QuestionStreamBlock
from participation.questions.schema import read_questions
from participation.submissions.models import Answer
from participation.submissions.services import submit_response
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import EditorFactory, UserFactory, university_named

BLOCK = QuestionStreamBlock()

QUESTIONS = [
    (
        "single_choice",
        {
            "label": "وضعیت شما",
            "code": "status",
            "choices": [{"label": "الف"}, {"label": "ب"}, {"label": "ج"}],
        },
    ),
    (
        "multiple_choice",
        {
            "label": "علاقه‌ها",
            "code": "likes",
            "choices": [{"label": "تئاتر"}, {"label": "موسیقی"}, {"label": "کتاب"}],
        },
    ),
    ("likert", {"label": "برنامه‌ها خوب‌اند", "code": "good", "points": "5"}),
    (
        "likert",
        {"label": "برنامه‌ها کسل‌کننده‌اند", "code": "dull", "points": "5", "reverse_coded": True},
    ),
    ("rating", {"label": "امتیاز", "code": "nps"}),
    ("number", {"label": "ساعت در هفته", "code": "hours", "min_value": 0, "max_value": 80}),
    (
        "matrix",
        {
            "label": "گزاره‌ها",
            "code": "grid",
            "points": "5",
            "rows": [{"label": "سطر ۱"}, {"label": "سطر ۲"}],
        },
    ),
    (
        "ranking",
        {
            "label": "اولویت‌ها",
            "code": "prio",
            "choices": [{"label": "خوابگاه"}, {"label": "تغذیه"}, {"label": "فرهنگ"}],
        },
    ),
    ("short_text", {"label": "رشتهٔ شما", "code": "field", "required": False}),
    ("date", {"label": "آخرین برنامه", "code": "when", "required": False}),
]


def question_stream(questions=QUESTIONS):
    return StreamValue(
        BLOCK, [(kind, BLOCK.child_blocks[kind].to_python(value)) for kind, value in questions]
    )


def make_survey(parent, *, slug="results-survey", **fields):
    """A published, open survey under ``parent`` (results published unless told otherwise)."""
    now = timezone.now()
    defaults = {
        "opens_at": now - datetime.timedelta(days=3),
        "closes_at": now + datetime.timedelta(days=30),
        "results_visibility": ResultsVisibility.WHEN_PUBLISHED,
        "results_published": True,
    }
    page = SurveyCampaignPage(
        title="نظرسنجی نتایج", slug=slug, questions=question_stream(), **{**defaults, **fields}
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return SurveyCampaignPage.objects.get(pk=page.pk)


def answers(
    questionnaire,
    *,
    status=0,
    likes=(0,),
    good=4,
    dull=2,
    nps=8,
    hours=10,
    grid=(3, 4),
    prio=(0, 1, 2),
    field="فیزیک",
    when=None,
):
    """Answers to the survey; ``None`` (or an empty tuple) leaves a question out."""
    q = questionnaire.by_code()
    rows = []
    if status is not None:
        rows.append(Answer(question_id=q["status"].id, choice_id=q["status"].choices[status].id))
    rows += [Answer(question_id=q["likes"].id, choice_id=q["likes"].choices[i].id) for i in likes]
    for code, value in (("good", good), ("dull", dull), ("nps", nps), ("hours", hours)):
        if value is not None:
            rows.append(Answer(question_id=q[code].id, number=value))
    rows += [
        Answer(question_id=q["grid"].id, row_id=row.id, number=value)
        for row, value in zip(q["grid"].rows, grid, strict=False)
        if value is not None
    ]
    rows += [
        Answer(question_id=q["prio"].id, choice_id=q["prio"].choices[i].id, number=rank)
        for rank, i in enumerate(prio, start=1)
    ]
    if field:
        rows.append(Answer(question_id=q["field"].id, text=field))
    if when:
        rows.append(Answer(question_id=q["when"].id, date=when))
    return rows


def random_answers(questionnaire, rng):
    """A plausible response with some questions left out, drawn from ``rng``."""
    order = [0, 1, 2]
    rng.shuffle(order)
    return answers(
        questionnaire,
        status=rng.choice([0, 1, 2, None]),
        likes=tuple(rng.sample([0, 1, 2], rng.randint(0, 3))),
        good=rng.choice([1, 2, 3, 4, 5, None]),
        dull=rng.choice([1, 2, 3, 4, 5]),
        nps=rng.randint(0, 10),
        hours=rng.choice([0, 2.5, 10, 40, None]),
        grid=(rng.randint(1, 5), rng.choice([1, 2, 3, 4, 5, None])),
        prio=tuple(order[: rng.randint(0, 3)]),
        field=rng.choice(["", "ادبیات"]),
        when=rng.choice([None, datetime.date(2025, 9, 23)]),
    )


def respond(page, *, role="student", university="", answer_rows=None, **kwargs):
    """Submit a response to ``page`` as a new participant; returns the submission."""
    user = UserFactory(role=role)
    user.university = university_named(university)  # The snapshot reads the profile's.
    questionnaire = read_questions(page.questions)
    rows = answer_rows if answer_rows is not None else answers(questionnaire, **kwargs)
    submission, _token = submit_response(page, user, rows, questionnaire, language="fa")
    return submission


def seeded(seed):
    """A reproducible generator for test data (not for secrets)."""
    return random.Random(seed)  # noqa: S311


def respond_many(page, count, *, seed=1, roles=("student", "faculty", "staff"), universities=("",)):
    """``count`` random responses from a seeded generator."""
    rng = seeded(seed)
    questionnaire = read_questions(page.questions)
    return [
        respond(
            page,
            role=rng.choice(roles),
            university=rng.choice(universities),
            answer_rows=random_answers(questionnaire, rng),
        )
        for _ in range(count)
    ]


@pytest.fixture
def results_index(home_page):
    return CallIndexPageFactory(parent=home_page, slug="results-calls")


@pytest.fixture
def results_survey(results_index):
    return make_survey(results_index)


@pytest.fixture
def results_editor(db):
    return EditorFactory(email="results-editor@ministry.test")
