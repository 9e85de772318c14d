"""What the drafts tests build: pages, contributions and the ids they name (imported by
tests anywhere; the fixtures in conftest.py use them too)."""

import datetime
import uuid

from django.utils import timezone

from pages.models import RegulationDraftPage
from participation.drafts import services
from participation.drafts.choices import CommentKind, Stance


def block_id(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hadaf-test:{name}"))


ARTICLE_1, CLAUSE_A, CLAUSE_B, NOTE_1 = (block_id(n) for n in ("a1", "a1-a", "a1-b", "a1-n"))


ARTICLE_2, NOTE_2A, NOTE_2B = (block_id(n) for n in ("a2", "a2-n1", "a2-n2"))


CHAPTER_1 = block_id("ch1")


SMALL_TEXT = [
    {"type": "chapter", "id": CHAPTER_1, "value": {"title": "کلیات"}},
    {
        "type": "article",
        "id": ARTICLE_1,
        "value": {"title": "", "text": "تشکل‌های دانشجویی موظف‌اند گزارش سالانه را ارائه کنند:"},
    },
    {"type": "clause", "id": CLAUSE_A, "value": {"text": "گزارش مالی فعالیت‌ها"}},
    {"type": "clause", "id": CLAUSE_B, "value": {"text": "گزارش برنامه‌های فرهنگی"}},
    {"type": "note", "id": NOTE_1, "value": {"text": "مهلت ارائه گزارش پایان اسفند است."}},
    {
        "type": "article",
        "id": ARTICLE_2,
        "value": {"title": "نظارت", "text": "معاونت فرهنگی بر اجرای این آیین‌نامه نظارت می‌کند."},
    },
    {"type": "note", "id": NOTE_2A, "value": {"text": "نظارت سالانه انجام می‌شود."}},
    {"type": "note", "id": NOTE_2B, "value": {"text": "نتایج نظارت منتشر می‌شود."}},
]


def add_draft(parent, *, slug="bylaw", text=None, **fields):
    now = timezone.now()
    values = {
        "title": "پیش‌نویس آیین‌نامه تشکل‌ها",
        "opens_at": now - datetime.timedelta(days=2),
        "closes_at": now + datetime.timedelta(days=10),
        "draft_text": SMALL_TEXT if text is None else text,
        **fields,
    }
    page = RegulationDraftPage(slug=slug, **values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def comment_on(page, user, clause_id=CLAUSE_A, **fields):
    """An opposing comment on clause A (or ``fields``), through the service."""
    values = {"kind": CommentKind.CLAUSE, "stance": Stance.OPPOSE, "body": "دلیل مخالفت"}
    values.update(fields)
    return services.post_comment(page, user, clause_id=clause_id, language="fa", **values)
