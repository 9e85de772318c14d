"""An idea call with two themes, three weighted criteria and one extra question.

Block ids are fixed (``THEME_*``, ``CRITERION_*``, ``QUESTION_TEAM``) so tests can post them.
"""

import datetime
import uuid

import pytest
from django.utils import timezone

from pages.models import IdeaCallPage
from participation.ideas import services
from participation.ideas.choices import IdeaKind
from participation.people.models import Organization, OrganizationMembership, University
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import EditorFactory, UserFactory


def block_id(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hadaf-test-ideas:{name}"))


THEME_CULTURE, THEME_MEDIA = block_id("theme-culture"), block_id("theme-media")
CRITERION_NOVELTY, CRITERION_IMPACT, CRITERION_FEASIBILITY = (
    block_id(n) for n in ("novelty", "impact", "feasibility")
)
QUESTION_TEAM = block_id("q-team")

THEMES = [
    {"type": "theme", "id": THEME_CULTURE, "value": {"name": "فرهنگ دانشگاهی", "description": ""}},
    {"type": "theme", "id": THEME_MEDIA, "value": {"name": "رسانه و هنر", "description": ""}},
]
CRITERIA = [
    {
        "type": "criterion",
        "id": CRITERION_NOVELTY,
        "value": {"name": "نوآوری", "description": "", "weight": 3, "max_score": 10},
    },
    {
        "type": "criterion",
        "id": CRITERION_IMPACT,
        "value": {"name": "اثرگذاری", "description": "", "weight": 2, "max_score": 10},
    },
    {
        "type": "criterion",
        "id": CRITERION_FEASIBILITY,
        "value": {"name": "امکان‌پذیری", "description": "", "weight": 1, "max_score": 5},
    },
]
QUESTIONS = [
    {
        "type": "short_text",
        "id": QUESTION_TEAM,
        "value": {
            "label": "اعضای تیم اجرایی چه کسانی هستند؟",
            "help_text": "",
            "required": False,
            "code": "team",
            "show_if": {"question_code": "", "answer_in": ""},
            "max_length": 200,
        },
    }
]


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


def add_idea_call(parent, *, slug="ideas", **fields):
    now = timezone.now()
    values = {
        "title": "فراخوان ایده‌های فرهنگی",
        "opens_at": now - datetime.timedelta(days=2),
        "closes_at": now + datetime.timedelta(days=10),
        "themes": THEMES,
        "criteria": CRITERIA,
        "questions": QUESTIONS,
        "reviews_per_submission": 2,
        "festival_year": 1405,
        **fields,
    }
    page = IdeaCallPage(slug=slug, **values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def idea_call(calls):
    return add_idea_call(calls)


@pytest.fixture
def universities(db):
    return [
        University.objects.create(name="دانشگاه تهران", email_domains="ut.ac.ir"),
        University.objects.create(name="دانشگاه شیراز", email_domains="shirazu.ac.ir"),
        University.objects.create(name="دانشگاه تبریز", email_domains="tabrizu.ac.ir"),
    ]


@pytest.fixture
def author(universities):
    return UserFactory(
        role="faculty", first_name="مریم", last_name="احمدی", university=universities[0]
    )


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def organization(author, universities):
    organization = Organization.objects.create(
        name="کانون فیلم دانشگاه تهران",
        kind="student_association",
        university=universities[0],
        verified_at=timezone.now(),
    )
    OrganizationMembership.objects.create(
        organization=organization, person=author, is_representative=True
    )
    return organization


def idea_fields(**overrides):
    return {
        "kind": IdeaKind.IDEA,
        "category": THEME_CULTURE,
        "title": "شب‌های شعر خوابگاه",
        "summary": "برگزاری شب شعر ماهانه در خوابگاه‌ها با مشارکت انجمن‌های ادبی.",
        "body": "شرح کامل ایده.",
        "show_in_gallery": True,
        **overrides,
    }


def draft_idea(page, user, **overrides):
    """A draft submission by ``user`` (its lead author)."""
    return services.start_idea(page, user, fields=idea_fields(**overrides))


def submitted_idea(page, user, **overrides):
    idea = draft_idea(page, user, **overrides)
    return services.submit_idea(idea, page, user)
