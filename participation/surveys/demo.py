"""Demo surveys for ``seed_demo``: an open survey with generated responses, a closed one.

The open survey «سنجش نگرش دانشجویان به برنامه‌های فرهنگی دانشگاه» uses every question type,
a condition and three steps; a few hundred generated participants answer it, pseudo-randomly
but the same way every time (``random.Random(1404)``), so its results page shows something
real. Block and choice ids are derived from the survey's slug and the question's code, so
every seeded site has the same ids. Surveys are found by slug and responses are generated only
while a survey has none: running the seed again changes nothing.
"""

import datetime
import random
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from participation.choices import AcademicRank, AnonymityMode, Audience, ResultsVisibility, Role
from participation.people.demo import (
    DEMO_EMAIL_DOMAIN,
    UNIVERSITIES,
    confirm_addresses,
    demo_password,
    ensure_universities,
)
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.results import tally
from participation.submissions import mixing
from participation.submissions.models import Answer, Submission, coarse_time
from participation.submissions.services import submit_response

SEED = 1404


def response_counts():
    """How many responses the open and the closed demo survey get (``HADAF_DEMO_RESPONSES``)."""
    count = settings.HADAF_DEMO_RESPONSES
    return count, count * 2 // 5


ID_NAMESPACE = uuid.UUID("6f1d5c3e-8a53-4f0e-9b7a-1404a0c0ffee")

OPEN_SURVEY_SLUG = "student-culture-survey"
CLOSED_SURVEY_SLUG = "event-timing-survey"


def stable_id(*parts):
    """A block or list item id that is the same on every seeded site."""
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(parts)))


def _items(survey, code, labels):
    """A ListBlock value (stored form, with ids) of ``{"label": …}`` items."""
    return [
        {"type": "item", "value": {"label": label}, "id": stable_id(survey, code, str(index))}
        for index, label in enumerate(labels)
    ]


def _labels(survey, code, labels):
    """A ListBlock value (stored form, with ids) of plain scale labels."""
    return [
        {"type": "item", "value": label, "id": stable_id(survey, code, "scale", str(index))}
        for index, label in enumerate(labels)
    ]


def build_questions(survey, questions):
    """The stored form of a question StreamField from ``(type, value)`` pairs.

    Choices, statements and scale labels are given as lists of labels; a step is
    ``("step", title)``.
    """
    stream = []
    for index, (block_type, value) in enumerate(questions):
        if block_type == "step":
            stream.append(
                {"type": "step", "value": {"title": value}, "id": stable_id(survey, "step", value)}
            )
            continue
        value = {"required": True, "help_text": "", **value}
        code = value["code"]
        for key in ("choices", "rows"):
            if key in value:
                value[key] = _items(survey, f"{code}:{key}", value[key])
        if block_type in {QuestionType.LIKERT, QuestionType.MATRIX}:
            value["scale_labels"] = _labels(survey, code, value.get("scale_labels", []))
        value.setdefault("show_if", {"question_code": "", "answer_in": ""})
        stream.append(
            {"type": block_type, "value": value, "id": stable_id(survey, code or str(index))}
        )
    return stream


def _body(survey, intro, form_heading, form_intro):
    return [
        {"type": "paragraph", "value": intro, "id": stable_id(survey, "body", "intro")},
        {
            "type": "participation_form",
            "value": {"heading": form_heading, "intro": form_intro},
            "id": stable_id(survey, "body", "form"),
        },
    ]


FREQUENCY = ["هرگز", "۱ تا ۳ بار", "۴ تا ۱۰ بار", "بیش از ۱۰ بار"]
LEVELS = ["کاردانی یا کارشناسی", "کارشناسی ارشد", "دکتری", "عضو هیئت علمی یا کارمند"]
INTERESTS = [
    "تئاتر",
    "موسیقی",
    "سینما و نقد فیلم",
    "کتاب‌خوانی و نشست‌های ادبی",
    "اردوهای زیارتی و گردشگری",
    "مسابقات ورزشی",
    "کارگاه‌های مهارتی",
]
BARRIERS = [
    "کمبود وقت",
    "اطلاع‌رسانی ناکافی",
    "زمان نامناسب برنامه‌ها",
    "نبود برنامهٔ مورد علاقه",
    "هزینهٔ شرکت",
]
PRIORITIES = ["خوابگاه", "تغذیه", "برنامه‌های فرهنگی", "فضای ورزشی", "کتابخانه"]
DORM_SPACE = ["بسیار مناسب", "مناسب", "نامناسب", "فضای فرهنگی ندارد"]
INFORMED_LABELS = ["هرگز", "به‌ندرت", "گاهی", "نیمی از موارد", "اغلب", "تقریباً همیشه", "همیشه"]
MATRIX_ROWS = [
    "برنامه‌ها متنوع‌اند.",
    "زمان برنامه‌ها با کلاس‌ها تداخل ندارد.",
    "اطلاع‌رسانی برنامه‌ها به‌موقع است.",
    "فضا و امکانات برنامه‌ها کافی است.",
]
FIELDS = [
    "مهندسی کامپیوتر",
    "حقوق",
    "روان‌شناسی",
    "ادبیات فارسی",
    "پزشکی",
    "مهندسی برق",
    "مدیریت",
    "فیزیک",
    "علوم اجتماعی",
    "معماری",
]
SUGGESTIONS = [
    "برنامه‌ها را عصرها و پس از کلاس‌ها برگزار کنید.",
    "اطلاع‌رسانی در پیام‌رسان‌های دانشگاه بیشتر شود.",
    "کارگاه‌های عکاسی و فیلم‌سازی برگزار شود.",
    "از تشکل‌های دانشجویی در برنامه‌ریزی نظرخواهی کنید.",
    "فضای فرهنگی خوابگاه‌ها بازسازی شود.",
    "برنامه‌های کمتر ولی باکیفیت‌تر برگزار شود.",
    "هزینهٔ اردوها برای دانشجویان کاهش یابد.",
    "نمایشگاه کتاب در دانشکده‌ها برگزار شود.",
]

OPEN_QUESTIONS = [
    ("step", "دربارهٔ شما"),
    (
        "consent",
        {
            "label": "با استفادهٔ بی‌نام از پاسخ‌هایم در گزارش‌های پژوهشی معاونت موافقم.",
            "code": "consent",
        },
    ),
    (
        "single_choice",
        {
            "label": "مقطع تحصیلی یا جایگاه شما",
            "code": "level",
            "choices": LEVELS,
            "display": "radio",
        },
    ),
    (
        "short_text",
        {
            "label": "رشتهٔ تحصیلی یا واحد محل کار",
            "code": "field",
            "required": False,
            "max_length": 200,
        },
    ),
    (
        "number",
        {
            "label": "سن شما (سال)",
            "code": "age",
            "min_value": 17,
            "max_value": 75,
            "whole_numbers": True,
        },
    ),
    (
        "single_choice",
        {
            "label": "آیا در خوابگاه دانشجویی زندگی می‌کنید؟",
            "code": "dorm",
            "choices": ["بله", "خیر"],
            "display": "radio",
        },
    ),
    (
        "single_choice",
        {
            "label": "فضای فرهنگی خوابگاه شما چگونه است؟",
            "code": "dorm_space",
            "choices": DORM_SPACE,
            "display": "select",
            "show_if": {"question_code": "dorm", "answer_in": "بله"},
        },
    ),
    ("step", "مشارکت در برنامه‌ها"),
    (
        "single_choice",
        {
            "label": "در سال تحصیلی گذشته چند بار در برنامه‌های فرهنگی دانشگاه شرکت کردید؟",
            "code": "frequency",
            "choices": FREQUENCY,
            "display": "radio",
        },
    ),
    (
        "multiple_choice",
        {
            "label": "به کدام برنامه‌ها علاقه دارید؟",
            "help_text": "حداکثر سه مورد را انتخاب کنید.",
            "code": "interests",
            "choices": INTERESTS,
            "min_selected": 1,
            "max_selected": 3,
        },
    ),
    (
        "multiple_choice",
        {
            "label": "چه چیزی مانع شرکت بیشتر شما در برنامه‌ها می‌شود؟",
            "code": "barriers",
            "choices": BARRIERS,
            "min_selected": 1,
            "max_selected": None,
            "show_if": {"question_code": "frequency", "answer_in": "هرگز,۱ تا ۳ بار"},
        },
    ),
    (
        "date",
        {
            "label": "تاریخ آخرین برنامهٔ فرهنگی که در آن شرکت کردید",
            "code": "last_event",
            "required": False,
        },
    ),
    (
        "number",
        {
            "label": "هفته‌ای چند ساعت به فعالیت‌های فرهنگی می‌پردازید؟",
            "code": "hours",
            "min_value": 0,
            "max_value": 40,
            "whole_numbers": True,
        },
    ),
    (
        "ranking",
        {
            "label": "این موارد را از مهم‌ترین به کم‌اهمیت‌ترین برای رفاه دانشجویان مرتب کنید.",
            "code": "priorities",
            "choices": PRIORITIES,
        },
    ),
    ("step", "ارزیابی و پیشنهاد"),
    (
        "likert",
        {
            "label": "برنامه‌های فرهنگی دانشگاه نیاز دانشجویان را برآورده می‌کند.",
            "code": "meets_needs",
            "points": "5",
        },
    ),
    (
        "likert",
        {
            "label": "برنامه‌های فرهنگی دانشگاه بیشتر تشریفاتی‌اند تا کاربردی.",
            "code": "formality",
            "points": "5",
            "reverse_coded": True,
        },
    ),
    (
        "likert",
        {
            "label": "چقدر از برنامه‌های فرهنگی دانشگاه باخبر می‌شوید؟",
            "code": "informed",
            "points": "7",
            "scale_labels": INFORMED_LABELS,
        },
    ),
    (
        "likert",
        {
            "label": "دانشجویان در برنامه‌ریزی فعالیت‌های فرهنگی نقش واقعی دارند.",
            "code": "voice",
            "points": "7",
        },
    ),
    (
        "matrix",
        {
            "label": "تا چه حد با این گزاره‌ها دربارهٔ برنامه‌های فرهنگی موافقید؟",
            "code": "quality",
            "points": "5",
            "rows": MATRIX_ROWS,
        },
    ),
    (
        "rating",
        {
            "label": "چقدر احتمال دارد شرکت در برنامه‌های فرهنگی دانشگاه را به دوستانتان "
            "پیشنهاد کنید؟",
            "code": "recommend",
            "low_label": "اصلاً",
            "high_label": "حتماً",
        },
    ),
    (
        "rating",
        {
            "label": "به‌طور کلی از برنامه‌های فرهنگی دانشگاه چقدر راضی هستید؟",
            "code": "satisfaction",
            "low_label": "کاملاً ناراضی",
            "high_label": "کاملاً راضی",
        },
    ),
    (
        "long_text",
        {
            "label": "پیشنهاد شما برای بهبود برنامه‌های فرهنگی دانشگاه چیست؟",
            "code": "suggestion",
            "required": False,
            "max_length": 2000,
        },
    ),
]

TIME_SLOTS = ["صبح", "ظهر (بین کلاس‌ها)", "عصر", "شب"]
WEEKDAYS = ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه"]

CLOSED_QUESTIONS = [
    (
        "single_choice",
        {
            "label": "برنامه‌های فرهنگی در چه ساعتی برگزار شوند؟",
            "code": "slot",
            "choices": TIME_SLOTS,
            "display": "radio",
        },
    ),
    (
        "multiple_choice",
        {
            "label": "در کدام روزهای هفته می‌توانید در برنامه‌ها شرکت کنید؟",
            "code": "days",
            "choices": WEEKDAYS,
            "min_selected": 1,
            "max_selected": None,
        },
    ),
    (
        "likert",
        {
            "label": "زمان‌بندی فعلی برنامه‌ها برای من مناسب است.",
            "code": "timing_ok",
            "points": "5",
        },
    ),
    (
        "long_text",
        {
            "label": "اگر پیشنهادی دربارهٔ زمان برنامه‌ها دارید بنویسید.",
            "code": "timing_note",
            "required": False,
            "max_length": 1000,
        },
    ),
]


def open_survey_content(now):
    """Field values of the open survey, opened ten days before ``now``."""
    slug = OPEN_SURVEY_SLUG
    return {
        "slug": slug,
        "title": "سنجش نگرش دانشجویان به برنامه‌های فرهنگی دانشگاه",
        "intro": (
            "<p>معاونت فرهنگی و اجتماعی می‌خواهد بداند دانشگاهیان برنامه‌های فرهنگی دانشگاه را "
            "چگونه می‌بینند و چه برنامه‌هایی می‌خواهند. پاسخ به پرسش‌ها حدود ده دقیقه زمان "
            "می‌برد.</p>"
        ),
        "body": _body(
            slug,
            (
                "<p>نتیجهٔ این نظرسنجی در برنامه‌ریزی فرهنگی سال تحصیلی آینده به کار می‌رود و "
                "گزارش آن در همین صفحه منتشر می‌شود. نام شما هرگز همراه پاسخ‌ها منتشر "
                "نمی‌شود.</p>"
            ),
            "در این نظرسنجی شرکت کنید",
            "پرسش‌ها در سه گام آمده‌اند و پاسخ‌هایتان میان گام‌ها نگه داشته می‌شود.",
        ),
        "questions": build_questions(slug, OPEN_QUESTIONS),
        "opens_at": now - datetime.timedelta(days=10),
        "closes_at": now + datetime.timedelta(days=30),
        "audience": Audience.SIGNED_IN,
        "anonymity": AnonymityMode.PSEUDONYMOUS,
        "results_visibility": ResultsVisibility.WHEN_PUBLISHED,
        "results_published": True,
    }


def closed_survey_content(now):
    """Field values of the closed survey: closed a month before ``now``, outcome published."""
    slug = CLOSED_SURVEY_SLUG
    closes_at = now - datetime.timedelta(days=30)
    return {
        "slug": slug,
        "title": "نظرسنجی زمان‌بندی برنامه‌های فرهنگی نیمسال اول",
        "intro": (
            "<p>دانشگاهیان گفتند برنامه‌های فرهنگی در چه روزها و ساعت‌هایی برگزار شود تا "
            "بتوانند در آن‌ها شرکت کنند.</p>"
        ),
        "body": _body(
            slug,
            "<p>این نظرسنجی بسته شده است؛ نتیجه و اقدام معاونت را در همین صفحه ببینید.</p>",
            "پرسش‌های نظرسنجی",
            "",
        ),
        "questions": build_questions(slug, CLOSED_QUESTIONS),
        "opens_at": closes_at - datetime.timedelta(days=21),
        "closes_at": closes_at,
        "audience": Audience.SIGNED_IN,
        "anonymity": AnonymityMode.ANONYMOUS_VERIFIED,
        "results_visibility": ResultsVisibility.WHEN_PUBLISHED,
        "results_published": True,
        "outcome": (
            "<p><b>شما گفتید</b> برنامه‌ها بیشتر عصرها و در روزهای دوشنبه و سه‌شنبه برگزار "
            "شوند و زمان فعلی با کلاس‌ها تداخل دارد.</p>"
            "<p><b>ما انجام دادیم:</b> از نیمسال دوم، برنامه‌های فرهنگی دانشگاه‌های همکار از "
            "ساعت ۱۶ برگزار می‌شوند و تقویم ماهانهٔ برنامه‌ها در سامانه منتشر می‌شود.</p>"
        ),
        "outcome_published_at": closes_at + datetime.timedelta(days=10),
    }


# Respondents: (role, share). Most respondents of a student survey are students.
ROLE_SHARES = [(Role.STUDENT, 0.72), (Role.FACULTY, 0.14), (Role.STAFF, 0.14)]
FIRST_NAMES = [
    "امیر",
    "مریم",
    "حسین",
    "نرگس",
    "مهدی",
    "الهام",
    "سعید",
    "لیلا",
    "پویا",
    "نازنین",
    "کاوه",
    "سمیرا",
    "بهرام",
    "هانیه",
    "یاسر",
    "شیما",
]
LAST_NAMES = [
    "محمدی",
    "رحیمی",
    "نوری",
    "صادقی",
    "کاظمی",
    "موسوی",
    "اکبری",
    "قاسمی",
    "عباسی",
    "یوسفی",
    "طاهری",
    "شریفی",
]


def respondent_email(number):
    return f"respondent-{number:03d}@{DEMO_EMAIL_DOMAIN}"


# Where the respondents study or work: uneven, as a national survey's sample is.
UNIVERSITY_SHARES = dict(
    zip(
        (name for name, _domain in UNIVERSITIES),
        (26, 14, 10, 12, 12, 10, 10, 6),
        strict=True,
    )
)
STAFF_UNITS = ["معاونت فرهنگی", "امور دانشجویی", "کتابخانهٔ مرکزی", "معاونت آموزشی"]
RANK_SHARES = [
    (AcademicRank.INSTRUCTOR, 1),
    (AcademicRank.ASSISTANT_PROFESSOR, 5),
    (AcademicRank.ASSOCIATE_PROFESSOR, 3),
    (AcademicRank.PROFESSOR, 1),
]


def respondent_profile(email, role, universities):
    """University, faculty or unit, and rank of the respondent ``email`` with ``role``.

    Drawn from a generator seeded by the address alone, so the profile is the same on every
    run and the survey answers (drawn from the shared generator) do not change with it.
    """
    rng = random.Random(f"{SEED}:profile:{email}")  # noqa: S311 - demo data
    names = list(UNIVERSITY_SHARES)
    university = universities[rng.choices(names, list(UNIVERSITY_SHARES.values()))[0]]
    profile = {"university": university, "faculty": "", "academic_rank": ""}
    if role == Role.STAFF:
        profile["faculty"] = rng.choice(STAFF_UNITS)
    else:
        profile["faculty"] = rng.choice(FIELDS)
    if role == Role.FACULTY:
        ranks, weights = zip(*RANK_SHARES, strict=True)
        profile["academic_rank"] = rng.choices(ranks, weights)[0]
    return profile


def ensure_respondents(count, rng):
    """The generated participant accounts ``respondent-001@hadaf.test`` …, created once.

    Each has a role, a university (unevenly spread), a field or unit and, for faculty, a
    rank; its address is confirmed, so it signs in with the demo password (hashed once, so
    creating hundreds stays fast). Accounts from earlier seeds without a university get
    their profile.
    """
    User = get_user_model()
    universities = ensure_universities()
    emails = [respondent_email(number) for number in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(demo_password())
    now = timezone.now()
    roles, weights = zip(*ROLE_SHARES, strict=True)
    new_users = []
    for email in emails:
        role = rng.choices(roles, weights)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        verified = rng.random() < 0.8
        if email not in existing:
            new_users.append(
                User(
                    email=email,
                    first_name=first,
                    last_name=last,
                    role=role,
                    password=password,
                    academic_verified_at=now if verified else None,
                    **respondent_profile(email, role, universities),
                )
            )
    User.objects.bulk_create(new_users)
    people = list(User.objects.filter(email__in=emails).order_by("email"))
    for person in people:
        if person.university_id is None and person.role:
            for name, value in respondent_profile(person.email, person.role, universities).items():
                setattr(person, name, value)
            person.save(update_fields=["university", "faculty", "academic_rank"])
    confirm_addresses(people)
    return people


class ResponseGenerator:
    """Pseudo-random but plausible answers: each respondent has an attitude towards the
    programmes that moves their scale answers together; a few straight-line or speed."""

    def __init__(self, questionnaire, rng, today):
        self.q = questionnaire.by_code()
        self.rng = rng
        self.today = today

    def _scale(self, points, attitude, reverse=False):
        centre = (points + 1) / 2 + attitude * (points - 1) / 2.5
        if reverse:
            centre = points + 1 - centre
        return min(points, max(1, round(self.rng.gauss(centre, 0.9))))

    def _choice(self, code, weights=None):
        question = self.q[code]
        return self.rng.choices(question.choices, weights or [1] * len(question.choices))[0]

    def _one(self, code, **values):
        return Answer(question_id=self.q[code].id, **values)

    def answers(self, user, straightliner=False):
        """The answers of one respondent."""
        rng, q = self.rng, self.q
        attitude = max(-1.0, min(1.0, rng.gauss(0.1, 0.45)))
        student = user.role == Role.STUDENT
        rows = [self._one("consent", number=1)]
        level = self._choice("level", [55, 30, 15, 0]) if student else q["level"].choices[3]
        rows.append(self._one("level", choice_id=level.id))
        if rng.random() < 0.7:
            rows.append(self._one("field", text=rng.choice(FIELDS)))
        age = rng.randint(18, 30) if student else rng.randint(27, 64)
        rows.append(self._one("age", number=age))
        in_dorm = student and rng.random() < 0.45
        rows.append(self._one("dorm", choice_id=q["dorm"].choices[0 if in_dorm else 1].id))
        if in_dorm:
            space = self._choice("dorm_space", [1, 3, 4, 2] if attitude < 0.2 else [3, 4, 2, 1])
            rows.append(self._one("dorm_space", choice_id=space.id))

        engaged = attitude + rng.gauss(0, 0.4)
        frequency = 0 if engaged < -0.4 else 1 if engaged < 0.2 else 2 if engaged < 0.7 else 3
        rows.append(self._one("frequency", choice_id=q["frequency"].choices[frequency].id))
        interests = rng.sample(q["interests"].choices, rng.randint(1, 3))
        rows += [self._one("interests", choice_id=choice.id) for choice in interests]
        if frequency <= 1:
            barriers = rng.sample(q["barriers"].choices, rng.randint(1, 3))
            rows += [self._one("barriers", choice_id=choice.id) for choice in barriers]
        if frequency > 0 and rng.random() < 0.8:
            days_ago = rng.randint(3, 200)
            rows.append(
                self._one("last_event", date=self.today - datetime.timedelta(days=days_ago))
            )
        hours = max(0, min(40, round(rng.gauss(2 + 2.5 * frequency, 2))))
        rows.append(self._one("hours", number=hours))
        order = list(q["priorities"].choices)
        rng.shuffle(order)
        rows += [
            self._one("priorities", choice_id=choice.id, number=rank)
            for rank, choice in enumerate(order, start=1)
        ]

        flat = rng.choice([3, 4]) if straightliner else None
        rows.append(self._one("meets_needs", number=flat or self._scale(5, attitude)))
        rows.append(self._one("formality", number=flat or self._scale(5, attitude, reverse=True)))
        rows.append(self._one("informed", number=self._scale(7, attitude * 0.6)))
        rows.append(self._one("voice", number=self._scale(7, attitude - 0.3)))
        rows += [
            Answer(question_id=q["quality"].id, row_id=row.id, number=flat or self._scale(5, shift))
            for row, shift in zip(
                q["quality"].rows,
                (attitude + 0.3, attitude - 0.4, attitude, attitude - 0.2),
                strict=True,
            )
        ]
        recommend = min(10, max(0, round(rng.gauss(6 + 3.5 * attitude, 1.6))))
        rows.append(self._one("recommend", number=recommend))
        satisfaction = min(10, max(0, round(rng.gauss(5.5 + 3 * attitude, 1.5))))
        rows.append(self._one("satisfaction", number=satisfaction))
        if rng.random() < 0.35:
            rows.append(self._one("suggestion", text=rng.choice(SUGGESTIONS)))
        return rows


class ClosedResponseGenerator(ResponseGenerator):
    def answers(self, user, straightliner=False):
        rng = self.rng
        slot = self._choice("slot", [1, 2, 6, 2])
        rows = [self._one("slot", choice_id=slot.id)]
        days = rng.sample(self.q["days"].choices, rng.randint(1, 3))
        rows += [self._one("days", choice_id=choice.id) for choice in days]
        rows.append(self._one("timing_ok", number=self._scale(5, -0.4)))
        if rng.random() < 0.2:
            rows.append(self._one("timing_note", text="برنامه‌ها با امتحانات میان‌ترم هم‌زمان نشوند."))
        return rows


def generate_responses(page, respondents, generator_class, rng, *, start, end):
    """Submit one response per respondent to ``page``, spread between ``start`` and ``end``.

    Goes through :func:`submit_response`, so answers, tallies and receipts are exactly what a
    participant's submission makes. Most take 5–15 minutes; about 3% race through in under
    a minute and about 3% give one scale point to every statement. Responses to an
    anonymous-verified call keep what the real ones keep (the day, a coarse duration, no
    start time) and are mixed afterwards (docs/privacy.md).

    Returns:
        int: how many responses were stored.
    """
    questionnaire = read_questions(page.questions)
    generator = generator_class(questionnaire, rng, today=end.date())
    span = (end - start).total_seconds()
    timings = []
    for user in respondents:
        straightliner = rng.random() < 0.03
        speeder = rng.random() < 0.03
        duration = rng.randint(25, 55) if speeder else int(rng.uniform(300, 900))
        # Most answer in the days after the call opens and the announcement goes out.
        submitted_at = start + datetime.timedelta(seconds=span * rng.random() ** 1.8)
        answers = generator.answers(user, straightliner=straightliner)
        submission, _token = submit_response(
            page, user, answers, questionnaire, language=page.locale.language_code
        )
        started_at = submitted_at - datetime.timedelta(seconds=duration)
        timings.append((submission, submitted_at, started_at, duration))
    if page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        # As ``manage.py mix_anonymous`` would: the sealed ballots are opened in a random
        # order. Each stored response then gets one of the generated days, as the real ones
        # have (and no time taken); which one is as random as the order.
        mixing.mix(page.call_key, closing=True)
        opened = Submission.objects.filter(call_key=page.call_key, participant=None)
        timings = [
            (submission, coarse_time(submitted_at), None, None)
            for submission, (_old, submitted_at, _started, _duration) in zip(
                opened.order_by("pk"), timings, strict=False
            )
        ]
    for submission, submitted_at, started_at, duration in timings:
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=submitted_at,
            updated_at=submitted_at,
            started_at=started_at,
            duration_seconds=duration,
        )
    return len(timings)


def seed_responses(open_survey, closed_survey):
    """Generated responses to the demo surveys, unless a survey already has some.

    The open survey gets ``HADAF_DEMO_RESPONSES`` responses from as many generated
    participants, the closed one two fifths as many from the first of them.
    """
    open_count, closed_count = response_counts()
    now = timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    respondents = ensure_respondents(open_count, rng)
    for page, generator_class, count in (
        (open_survey, ResponseGenerator, open_count),
        (closed_survey, ClosedResponseGenerator, closed_count),
    ):
        if Submission.objects.filter(call_key=page.call_key).exists():
            continue
        with transaction.atomic():
            generate_responses(
                page,
                respondents[:count],
                generator_class,
                rng,
                start=page.opens_at,
                end=min(now, page.closes_at) - datetime.timedelta(hours=1),
            )
            # About one visitor in four opens the form and leaves without sending it.
            tally.record_form_opening(page.call_key, count=count * 4 // 3)


# English for the demo surveys' Persian text, as a translator would enter it in
# wagtail-localize (``pages/demo_content.py`` submits the surveys for translation).
ENGLISH = {
    **dict(
        zip(
            FREQUENCY,
            ["Never", "1 to 3 times", "4 to 10 times", "More than 10 times"],
            strict=True,
        )
    ),
    **dict(
        zip(
            LEVELS,
            ["Associate or bachelor's", "Master's", "Doctorate", "Faculty member or staff"],
            strict=True,
        )
    ),
    **dict(
        zip(
            INTERESTS,
            [
                "Theatre",
                "Music",
                "Cinema and film criticism",
                "Reading and literary meetings",
                "Pilgrimage and touring trips",
                "Sports competitions",
                "Skills workshops",
            ],
            strict=True,
        )
    ),
    **dict(
        zip(
            BARRIERS,
            [
                "Lack of time",
                "Too little information",
                "Inconvenient times",
                "No programme I am interested in",
                "The cost of taking part",
            ],
            strict=True,
        )
    ),
    **dict(
        zip(
            PRIORITIES,
            ["Dormitories", "Food", "Cultural programmes", "Sports facilities", "Library"],
            strict=True,
        )
    ),
    **dict(
        zip(
            DORM_SPACE,
            ["Very good", "Good", "Poor", "There is no cultural space"],
            strict=True,
        )
    ),
    **dict(
        zip(
            INFORMED_LABELS,
            ["Never", "Rarely", "Sometimes", "Half the time", "Often", "Almost always", "Always"],
            strict=True,
        )
    ),
    **dict(
        zip(
            MATRIX_ROWS,
            [
                "The programmes are varied.",
                "Programme times do not clash with classes.",
                "Programmes are announced in good time.",
                "The venues and facilities are adequate.",
            ],
            strict=True,
        )
    ),
    **dict(
        zip(
            TIME_SLOTS,
            ["Morning", "Midday (between classes)", "Afternoon", "Evening"],
            strict=True,
        )
    ),
    **dict(
        zip(
            WEEKDAYS,
            ["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"],
            strict=True,
        )
    ),
    "دربارهٔ شما": "About you",
    "مشارکت در برنامه‌ها": "Taking part in programmes",
    "ارزیابی و پیشنهاد": "Assessment and suggestions",
    "با استفادهٔ بی‌نام از پاسخ‌هایم در گزارش‌های پژوهشی معاونت موافقم.": (
        "I agree that my answers may be used anonymously in the Deputy's research reports."
    ),
    "مقطع تحصیلی یا جایگاه شما": "Your level of study or position",
    "رشتهٔ تحصیلی یا واحد محل کار": "Your field of study or unit",
    "سن شما (سال)": "Your age (years)",
    "آیا در خوابگاه دانشجویی زندگی می‌کنید؟": "Do you live in a student dormitory?",
    "بله": "Yes",
    "خیر": "No",
    "فضای فرهنگی خوابگاه شما چگونه است؟": "How is the cultural space of your dormitory?",
    "در سال تحصیلی گذشته چند بار در برنامه‌های فرهنگی دانشگاه شرکت کردید؟": (
        "How many times did you take part in the university's cultural programmes last "
        "academic year?"
    ),
    "به کدام برنامه‌ها علاقه دارید؟": "Which programmes are you interested in?",
    "حداکثر سه مورد را انتخاب کنید.": "Choose up to three.",
    "چه چیزی مانع شرکت بیشتر شما در برنامه‌ها می‌شود؟": (
        "What keeps you from taking part in more programmes?"
    ),
    "هرگز,۱ تا ۳ بار": "Never,1 to 3 times",
    "تاریخ آخرین برنامهٔ فرهنگی که در آن شرکت کردید": (
        "The date of the last cultural programme you took part in"
    ),
    "هفته‌ای چند ساعت به فعالیت‌های فرهنگی می‌پردازید؟": (
        "How many hours a week do you spend on cultural activities?"
    ),
    "این موارد را از مهم‌ترین به کم‌اهمیت‌ترین برای رفاه دانشجویان مرتب کنید.": (
        "Rank these from most to least important for students' welfare."
    ),
    "برنامه‌های فرهنگی دانشگاه نیاز دانشجویان را برآورده می‌کند.": (
        "The university's cultural programmes meet students' needs."
    ),
    "برنامه‌های فرهنگی دانشگاه بیشتر تشریفاتی‌اند تا کاربردی.": (
        "The university's cultural programmes are more ceremonial than useful."
    ),
    "چقدر از برنامه‌های فرهنگی دانشگاه باخبر می‌شوید؟": (
        "How often do you hear about the university's cultural programmes?"
    ),
    "دانشجویان در برنامه‌ریزی فعالیت‌های فرهنگی نقش واقعی دارند.": (
        "Students have a real say in planning cultural activities."
    ),
    "تا چه حد با این گزاره‌ها دربارهٔ برنامه‌های فرهنگی موافقید؟": (
        "How far do you agree with these statements about the cultural programmes?"
    ),
    (
        "چقدر احتمال دارد شرکت در برنامه‌های فرهنگی دانشگاه را به دوستانتان پیشنهاد کنید؟"
    ): "How likely are you to recommend the university's cultural programmes to your friends?",
    "اصلاً": "Not at all",
    "حتماً": "Certainly",
    "به‌طور کلی از برنامه‌های فرهنگی دانشگاه چقدر راضی هستید؟": (
        "Overall, how satisfied are you with the university's cultural programmes?"
    ),
    "کاملاً ناراضی": "Very dissatisfied",
    "کاملاً راضی": "Very satisfied",
    "پیشنهاد شما برای بهبود برنامه‌های فرهنگی دانشگاه چیست؟": (
        "What do you suggest to improve the university's cultural programmes?"
    ),
    "برنامه‌های فرهنگی در چه ساعتی برگزار شوند؟": "At what time should cultural programmes be held?",
    "در کدام روزهای هفته می‌توانید در برنامه‌ها شرکت کنید؟": (
        "On which days of the week can you take part in programmes?"
    ),
    "زمان‌بندی فعلی برنامه‌ها برای من مناسب است.": "The current timing of programmes suits me.",
    "اگر پیشنهادی دربارهٔ زمان برنامه‌ها دارید بنویسید.": (
        "If you have a suggestion about programme times, write it here."
    ),
    "سنجش نگرش دانشجویان به برنامه‌های فرهنگی دانشگاه": (
        "Students' attitudes to the university's cultural programmes"
    ),
    (
        "معاونت فرهنگی و اجتماعی می‌خواهد بداند دانشگاهیان برنامه‌های فرهنگی دانشگاه را "
        "چگونه می‌بینند و چه برنامه‌هایی می‌خواهند. پاسخ به پرسش‌ها حدود ده دقیقه زمان "
        "می‌برد."
    ): (
        "The Cultural and Social Deputy wants to know how academics see the university's "
        "cultural programmes and which programmes they want. Answering takes about ten minutes."
    ),
    (
        "نتیجهٔ این نظرسنجی در برنامه‌ریزی فرهنگی سال تحصیلی آینده به کار می‌رود و "
        "گزارش آن در همین صفحه منتشر می‌شود. نام شما هرگز همراه پاسخ‌ها منتشر "
        "نمی‌شود."
    ): (
        "The results of this survey will shape next academic year's cultural planning, and "
        "the report will be published on this page. Your name is never published with the "
        "answers."
    ),
    "در این نظرسنجی شرکت کنید": "Take part in this survey",
    "پرسش‌ها در سه گام آمده‌اند و پاسخ‌هایتان میان گام‌ها نگه داشته می‌شود.": (
        "The questions come in three steps, and your answers are kept between steps."
    ),
    "نظرسنجی زمان‌بندی برنامه‌های فرهنگی نیمسال اول": (
        "Survey on the timing of first-semester cultural programmes"
    ),
    (
        "دانشگاهیان گفتند برنامه‌های فرهنگی در چه روزها و ساعت‌هایی برگزار شود تا "
        "بتوانند در آن‌ها شرکت کنند."
    ): (
        "Academics said on which days and at what times programmes should be held so they "
        "can attend."
    ),
    "این نظرسنجی بسته شده است؛ نتیجه و اقدام معاونت را در همین صفحه ببینید.": (
        "This survey is closed; see the outcome and what the Deputy did on this page."
    ),
    "پرسش‌های نظرسنجی": "The survey's questions",
    (
        "<b>شما گفتید</b> برنامه‌ها بیشتر عصرها و در روزهای دوشنبه و سه‌شنبه برگزار "
        "شوند و زمان فعلی با کلاس‌ها تداخل دارد."
    ): (
        "<b>You said</b> programmes should mostly be held in the afternoon, on Mondays and "
        "Tuesdays, and that the current times clash with classes."
    ),
    (
        "<b>ما انجام دادیم:</b> از نیمسال دوم، برنامه‌های فرهنگی دانشگاه‌های همکار از "
        "ساعت ۱۶ برگزار می‌شوند و تقویم ماهانهٔ برنامه‌ها در سامانه منتشر می‌شود."
    ): (
        "<b>We did:</b> from the second semester, the partner universities' cultural "
        "programmes start at 4 pm, and a monthly calendar of programmes is published on Hadaf."
    ),
}
