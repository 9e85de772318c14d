"""Demo commitments for ``seed_demo``: the draft's accepted clauses and the festival's
winning ideas carried into commitments in every state, with milestones and dated updates.

What a call offers to cite is read through ``participation.sources`` (the drafts and
ideas apps describe their own decisions and winners), so this module imports neither.
Everything goes through the services, as an editor's work would (audited), but the
demo's participants are not told: they did not take part in anything real.
"""

import datetime

from django.utils import timezone

from participation import sources
from participation.choices import SourceKind
from participation.people.models import University

from . import services
from .choices import CommitmentStatus
from .models import Commitment, Milestone

OFFICE = "دفتر امور تشکل‌های دانشجویی"
CULTURAL_OFFICE = "اداره کل فعالیت‌های فرهنگی"

# What each accepted clause became: (title, description, unit, state script).
DRAFT_PLANS = [
    (
        "انتشار عمومی گزارش سالانهٔ تشکل‌ها در سامانهٔ وزارت",
        "گزارش مالی و برنامه‌های هر تشکل هر سال در سامانه منتشر می‌شود.",
        OFFICE,
        "done",
    ),
    (
        "دستورالعمل اختصاص رایگان فضای جلسه به تشکل‌ها",
        "دانشگاه‌ها فضای مناسب جلسات تشکل‌ها را رایگان در اختیار می‌گذارند.",
        CULTURAL_OFFICE,
        "in_progress",
    ),
    (
        "سامانهٔ ثبت برخط برنامه‌های مشترک میان دانشگاه‌ها",
        "تشکل‌های چند دانشگاه برنامهٔ مشترک را یک‌جا ثبت می‌کنند.",
        OFFICE,
        "delayed",
    ),
    (
        "کوتاه کردن مهلت بررسی مجوز برنامه‌ها به ده روز",
        "",
        CULTURAL_OFFICE,
        "planned",
    ),
]
IDEA_SCRIPTS = ["in_progress", "done", "dropped", "planned"]


def _day(base, days):
    return base + datetime.timedelta(days=days)


def _run(editor, commitment, script, start):
    """Move ``commitment`` through ``script``'s states with dated updates."""
    if script == "planned":
        return
    commitment.status = CommitmentStatus.IN_PROGRESS
    commitment.progress = 30
    services.change_commitment(editor, commitment, date=_day(start, 20), tell=False)
    if script == "in_progress":
        commitment.progress = 60
        services.change_commitment(editor, commitment, date=_day(start, 45), tell=False)
        services.publish_news(
            editor, commitment, "نخستین دانشگاه‌ها اجرای آن را آغاز کردند.", date=_day(start, 50)
        )
    elif script == "delayed":
        commitment.due_date = _day(commitment.due_date, 90)
        services.change_commitment(
            editor,
            commitment,
            reason="انتخاب پیمانکار سامانه بیش از برنامه طول کشید.",
            date=_day(start, 40),
            tell=False,
        )
    elif script == "done":
        commitment.status = CommitmentStatus.DONE
        services.change_commitment(editor, commitment, date=_day(start, 70), tell=False)
    elif script == "dropped":
        commitment.status = CommitmentStatus.DROPPED
        services.change_commitment(
            editor,
            commitment,
            reason="اعتبار ردیف بودجهٔ آن در سال جاری تصویب نشد؛ در بودجهٔ سال آینده پیشنهاد می‌شود.",
            date=_day(start, 35),
            tell=False,
        )


def _milestones(commitment, start, script):
    steps = [("تدوین شیوه‌نامه", 15), ("اجرای آزمایشی", 45), ("اجرا در همهٔ دانشگاه‌ها", 100)]
    done_until = {"done": 3, "in_progress": 1, "delayed": 1}.get(script, 0)
    for number, (title, days) in enumerate(steps):
        Milestone.objects.create(
            commitment=commitment,
            title=title,
            date=_day(start, days),
            done=number < done_until,
            sort_order=number,
        )


def _make(editor, call, refs, title, description, unit, script, start, university=None):
    commitment = Commitment(
        call=call,
        title=title,
        description=description,
        responsible_unit=unit,
        university=university,
        due_date=_day(start, 120),
    )
    services.create_commitment(editor, commitment, refs=refs, date=start, tell=False)
    _milestones(commitment, start, script)
    _run(editor, commitment, script, start)
    return commitment


def seed_commitments(draft, festival_call, editor):
    """Commitments from the draft's accepted decisions and the festival's winners; once."""
    if Commitment.objects.filter(call_key__in=[draft.call_key, festival_call.call_key]).exists():
        return []
    start = timezone.localdate() - datetime.timedelta(days=80)
    made = []
    # The decisions cited; a reader follows each to its clause and the comments it answered.
    decisions = [
        ref for ref, _label in sources.candidates(draft) if ref.kind == SourceKind.CLAUSE_DECISION
    ]
    for ref, plan in zip(decisions, DRAFT_PLANS, strict=False):
        made.append(_make(editor, draft, [ref], *plan, start))
    ideas = [ref for ref, _label in sources.candidates(festival_call)]
    described = sources.describe(ideas)
    universities = list(University.objects.order_by("name")[:4])
    for number, (ref, script) in enumerate(zip(ideas, IDEA_SCRIPTS, strict=False)):
        info = described[ref]
        # A title the public may see (the gallery shows it), else the idea's place.
        name = f"«{info.label}»" if info.url else f"برگزیدهٔ شمارهٔ {number + 1} جشنواره"
        title = f"اجرای ایدهٔ {name} در دانشگاه‌ها"
        university = universities[number % len(universities)] if universities else None
        made.append(
            _make(
                editor,
                festival_call,
                [ref],
                title,
                "حمایت مالی و اجرایی از ایدهٔ برگزیدهٔ جشنواره.",
                CULTURAL_OFFICE if university is None else "",
                script,
                start,
                university=university,
            )
        )
    return made
