"""What the ideas tests build: pages, contributions and the ids they name (imported by
tests anywhere; the fixtures in conftest.py use them too)."""

import datetime
import uuid

from django.utils import timezone

from pages.models import IdeaCallPage
from participation.ideas import services
from participation.ideas.choices import IdeaKind


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
