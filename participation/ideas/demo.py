"""Demo idea calls for ``seed_demo``: last year's festival call, juried, and an open call.

«جشنواره ایده‌های فرهنگی دانشگاهیان» closed a month ago: generated academics
submitted ideas and experiences (some with co-authors, one for a student
association); the editor screened them, a jury of eight scored them (blind, three
reviews each, a strict and a lenient juror among them), and the winners and
honourable mentions are on the festival page. «فراخوان تجربه‌نگاری» is open.
The same on every run (``random.Random(1405)``); submissions are generated only
while the call has none, so running the seed again changes nothing.
"""

import datetime
import random
import uuid

from django.utils import timezone

from participation.choices import AnonymityMode, Audience
from participation.people.demo import ORGANIZATION_NAME
from participation.people.models import Organization, OrganizationMembership, University

from . import jury, workflow
from .choices import CoAuthorStatus, IdeaKind, IdeaStatus
from .models import Idea, IdeaAuthor, JuryMember

SEED = 1405
FESTIVAL_CALL_SLUG = "cultural-ideas-festival-1405"
OPEN_CALL_SLUG = "cultural-experiences-1405"
FESTIVAL_SLUG = "festival"
ID_NAMESPACE = uuid.UUID("2d1f8a57-6c1e-4c1b-9a83-4f0e7b6d2c10")

UNIVERSITIES = [
    ("دانشگاه تهران", "ut.ac.ir"),
    ("دانشگاه صنعتی شریف", "sharif.edu"),
    ("دانشگاه شیراز", "shirazu.ac.ir"),
    ("دانشگاه فردوسی مشهد", "um.ac.ir"),
]

THEMES = [
    ("campus-life", "زندگی دانشجویی و خوابگاه", "برنامه‌هایی برای زندگی روزمره دانشجویان."),
    ("art-media", "هنر و رسانه", "تئاتر، موسیقی، فیلم، نشریه و رسانه‌های دانشجویی."),
    ("community", "مسئولیت اجتماعی", "پیوند دانشگاه با محله، شهر و گروه‌های کم‌برخوردار."),
]
CRITERIA = [
    ("novelty", "نوآوری", "تا چه اندازه تازه است و از کارهای پیشین فراتر می‌رود.", 3, 10),
    ("impact", "اثرگذاری", "چند نفر را و چقدر عمیق تحت تأثیر قرار می‌دهد.", 3, 10),
    ("feasibility", "امکان‌پذیری", "با منابع یک دانشگاه معمولی اجراشدنی است.", 2, 10),
    ("writing", "کیفیت نگارش", "روشنی، انسجام و مستندبودن متن.", 1, 5),
]
IDEAS = [
    # (title, kind, theme, summary)
    (
        "شب‌های شعر خوابگاه",
        IdeaKind.IDEA,
        "campus-life",
        "شب شعر ماهانه در خوابگاه‌ها با میزبانی انجمن‌های ادبی و حضور شاعران شهر.",
    ),
    (
        "کتابخانه‌های کوچک راهرو",
        IdeaKind.EXPERIENCE,
        "campus-life",
        "قفسه‌های امانت آزاد کتاب در راهروی خوابگاه‌ها؛ یک سال اجرا با ۱۲۰۰ امانت.",
    ),
    (
        "آشپزخانه فرهنگ‌ها",
        IdeaKind.IDEA,
        "campus-life",
        "دانشجویان شهرهای مختلف هر هفته غذای محلی خود را با داستانش معرفی می‌کنند.",
    ),
    (
        "تئاتر خیابانی سلامت روان",
        IdeaKind.EXPERIENCE,
        "art-media",
        "اجرای نمایش‌های کوتاه خیابانی دربارهٔ سلامت روان در محوطه دانشگاه و گفت‌وگو پس از آن.",
    ),
    (
        "پادکست تاریخ شفاهی دانشگاه",
        IdeaKind.IDEA,
        "art-media",
        "گفت‌وگو با استادان بازنشسته و کارکنان قدیمی و انتشار آن در قالب پادکست.",
    ),
    (
        "نشریه دیواری دیجیتال",
        IdeaKind.EXPERIENCE,
        "art-media",
        "نمایشگرهای کم‌هزینه در دانشکده‌ها که نشریه‌های دانشجویی را به نوبت نشان می‌دهند.",
    ),
    (
        "جشنواره فیلم یک‌دقیقه‌ای",
        IdeaKind.IDEA,
        "art-media",
        "فیلم‌های یک‌دقیقه‌ای با گوشی همراه دربارهٔ زندگی دانشجویی، با داوری مخاطبان.",
    ),
    (
        "کلاس‌های تقویتی محله",
        IdeaKind.EXPERIENCE,
        "community",
        "دانشجویان داوطلب به دانش‌آموزان محله‌های کم‌برخوردار درس ریاضی و علوم می‌دهند.",
    ),
    (
        "بازی‌های فکری برای سالمندان",
        IdeaKind.IDEA,
        "community",
        "برگزاری عصرهای بازی فکری مشترک دانشجویان و سالمندان سرای محله.",
    ),
    (
        "کارگاه تعمیر رایگان",
        IdeaKind.EXPERIENCE,
        "community",
        "دانشجویان مهندسی هر ماه وسایل خانگی اهالی را رایگان تعمیر و آموزش می‌دهند.",
    ),
    (
        "نقشه فرهنگی شهر",
        IdeaKind.IDEA,
        "community",
        "نقشه برخط مکان‌های فرهنگی شهر با معرفی دانشجویان رشته‌های مختلف.",
    ),
    (
        "باشگاه کتاب‌خوانی دوزبانه",
        IdeaKind.IDEA,
        "campus-life",
        "خواندن و گفت‌وگو دربارهٔ کتاب‌ها به فارسی و زبان دوم، برای دانشجویان بین‌المللی.",
    ),
    (
        "موزه اشیای دانشجویی",
        IdeaKind.IDEA,
        "art-media",
        "گردآوری و نمایش اشیای یادگاری نسل‌های دانشجویان با روایت صاحبانشان.",
    ),
    (
        "مدرسه تابستانی روستا",
        IdeaKind.EXPERIENCE,
        "community",
        "یک هفته کلاس هنر و علم برای کودکان روستا با همکاری دهیاری.",
    ),
]
BODY = (
    "مسئله: {summary}\n\n"
    "راه‌حل پیشنهادی و مراحل اجرا را در سه گام شرح داده‌ایم: آماده‌سازی، اجرای آزمایشی در "
    "یک دانشکده و گسترش به کل دانشگاه.\n\n"
    "منابع لازم: فضای برگزاری، هماهنگی با معاونت فرهنگی و بودجه‌ای اندک برای اقلام مصرفی."
)
INELIGIBLE_REASON = (
    "این طرح پیش‌تر در جشنواره سال گذشته برگزیده شده و طبق شیوه‌نامه قابل ارسال دوباره نیست."
)


def stable_id(*parts):
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(str(part) for part in parts)))


def _themes():
    return [
        {
            "type": "theme",
            "id": stable_id("theme", key),
            "value": {"name": name, "description": text},
        }
        for key, name, text in THEMES
    ]


def _criteria():
    return [
        {
            "type": "criterion",
            "id": stable_id("criterion", key),
            "value": {"name": name, "description": text, "weight": weight, "max_score": top},
        }
        for key, name, text, weight, top in CRITERIA
    ]


def _team_question():
    return [
        {
            "type": "short_text",
            "id": stable_id("question", "team"),
            "value": {
                "label": "چند نفر در اجرای آن همکاری کرده‌اند یا خواهند کرد؟",
                "help_text": "",
                "required": False,
                "code": "team",
                "show_if": {"question_code": "", "answer_in": ""},
                "max_length": 200,
            },
        }
    ]


def festival_call_content(now):
    return {
        "slug": FESTIVAL_CALL_SLUG,
        "title": "جشنواره ایده‌های فرهنگی دانشگاهیان ۱۴۰۵",
        "intro": (
            "<p>ایده‌های تازه و تجربه‌های نوآورانهٔ فرهنگی خود را بفرستید. داوران برگزیدگان را "
            "انتخاب می‌کنند و در جشنواره سالانه از آنان قدردانی می‌شود.</p>"
        ),
        "eligibility": "<p>دانشجویان، استادان و کارکنان دانشگاه‌ها و تشکل‌های دانشجویی.</p>",
        "themes": _themes(),
        "criteria": _criteria(),
        "questions": _team_question(),
        "opens_at": now - datetime.timedelta(days=90),
        "closes_at": now - datetime.timedelta(days=30),
        "reviews_per_submission": 3,
        "blind_review": True,
        "festival_year": 1405,
        "audience": Audience.SIGNED_IN,
        "anonymity": AnonymityMode.NAMED,
    }


def open_call_content(now):
    return {
        "slug": OPEN_CALL_SLUG,
        "title": "فراخوان تجربه‌نگاری فعالیت‌های فرهنگی دانشگاه‌ها",
        "intro": (
            "<p>برنامه‌ای فرهنگی اجرا کرده‌اید که نتیجه داده است؟ تجربه خود را بنویسید تا "
            "دانشگاه‌های دیگر هم از آن بیاموزند.</p>"
        ),
        "eligibility": "<p>دانشگاهیان و معاونت‌های فرهنگی دانشگاه‌ها.</p>",
        "themes": _themes(),
        "criteria": _criteria(),
        "accepts_ideas": False,
        "questions": _team_question(),
        "opens_at": now - datetime.timedelta(days=5),
        "closes_at": now + datetime.timedelta(days=45),
        "reviews_per_submission": 2,
        "festival_year": 1406,
        "audience": Audience.SIGNED_IN,
    }


def ensure_universities(people, rng):
    """The demo universities; every generated person gets one, and some verify by email."""
    universities = [
        University.objects.get_or_create(name=name, defaults={"email_domains": domain})[0]
        for name, domain in UNIVERSITIES
    ]
    for person in people:
        if person.university_id is None:
            person.university = rng.choice(universities)
            person.save(update_fields=["university"])
    return universities


def ensure_organization(representative, university):
    organization, _created = Organization.objects.get_or_create(
        name=ORGANIZATION_NAME,
        university=university,
        defaults={"kind": "student_association", "verified_at": timezone.now()},
    )
    OrganizationMembership.objects.get_or_create(
        organization=organization, person=representative, defaults={"is_representative": True}
    )
    return organization


def _add_idea(page, number, author, rng, *, organization=None, coauthor=None):
    title, kind, theme, summary = IDEAS[number]
    idea = Idea.objects.create(
        call=page,
        call_key=page.call_key,
        language=page.locale.language_code,
        kind=kind,
        category=stable_id("theme", theme),
        title=title,
        summary=summary,
        body=BODY.format(summary=summary),
        created_by=author,
        organization=organization,
        show_in_gallery=rng.random() < 0.8,
    )
    IdeaAuthor.objects.create(
        idea=idea,
        person=author,
        email=author.email,
        is_lead=True,
        status=CoAuthorStatus.ACCEPTED,
        responded_at=timezone.now(),
    )
    if coauthor is not None:
        IdeaAuthor.objects.create(
            idea=idea,
            person=coauthor,
            email=coauthor.email,
            status=CoAuthorStatus.ACCEPTED,
            responded_at=timezone.now(),
        )
    return idea


def _jurors(page, people, universities):
    """Eight faculty jurors (generated people), two from each university, on the call's jury.

    Spread over the universities so every submission has jurors without a conflict.
    """
    faculty = [person for person in people if person.role == "faculty"][:8]
    for number, person in enumerate(faculty):
        university = universities[number % len(universities)]
        if person.university_id != university.pk:
            person.university = university
            person.save(update_fields=["university"])
        JuryMember.objects.get_or_create(call_key=page.call_key, person=person)
    return faculty


def _score(review, criteria, quality, leniency, rng):
    scores = {}
    for criterion in criteria:
        value = quality * criterion.max_score + leniency * criterion.max_score
        value += rng.uniform(-0.12, 0.12) * criterion.max_score
        scores[criterion.id] = max(0, min(criterion.max_score, round(value)))
    jury.save_scores(review, review.reviewer, scores, comment="")


def seed_festival(page, people, universities, organization, editor):
    """Submissions, screening, jury scores and the festival's results. Only on a call with none."""
    if Idea.objects.filter(call_key=page.call_key).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    authors = [person for person in people if person.role != "faculty"] or people
    ideas = []
    for number in range(len(IDEAS)):
        author = authors[number % len(authors)]
        coauthor = authors[(number + 7) % len(authors)] if number % 3 == 0 else None
        idea = _add_idea(
            page,
            number,
            author,
            rng,
            organization=organization if number == 5 else None,
            coauthor=coauthor if coauthor != author else None,
        )
        ideas.append(idea)
    drafts, submitted = ideas[-2:], ideas[:-2]  # two were never submitted
    for idea in submitted:
        workflow.move(idea, IdeaStatus.SUBMITTED, actor=idea.created_by, notify=False)
    ineligible, eligible = submitted[-1], submitted[:-1]
    workflow.move(
        ineligible, IdeaStatus.INELIGIBLE, actor=editor, reason=INELIGIBLE_REASON, notify=False
    )
    for idea in eligible:
        workflow.move(idea, IdeaStatus.IN_REVIEW, actor=editor, notify=False)
    jurors = _jurors(page, people, universities)
    jury.assign_reviewers(page, actor=editor, notify=False)  # Last year's: no emails now.
    criteria = jury.criteria_of(page)
    quality = {idea.pk: rng.uniform(0.35, 0.9) for idea in eligible}
    # A strict juror, a lenient one and four in between: normalization evens them out.
    shifts = (-0.2, 0.15, 0, 0.05, -0.05, 0.1, 0.02, -0.1)
    leniency = {juror.pk: shift for juror, shift in zip(jurors, shifts, strict=False)}
    for idea in eligible:
        for review in idea.reviews.select_related("reviewer"):
            _score(review, criteria, quality[idea.pk], leniency.get(review.reviewer_id, 0), rng)
    ranked = jury.ranking(page)
    by_id = {idea.pk: idea for idea in eligible}
    for position, row in enumerate(ranked):
        idea = by_id[row.idea_id]
        if position < 6:
            workflow.move(idea, IdeaStatus.SHORTLISTED, actor=editor, notify=False)
            if position < 3:
                workflow.move(idea, IdeaStatus.WINNER, actor=editor, notify=False)
            elif position < 5:
                workflow.move(idea, IdeaStatus.HONOURABLE_MENTION, actor=editor, notify=False)
            else:
                workflow.move(idea, IdeaStatus.NOT_SELECTED, actor=editor, notify=False)
        else:
            workflow.move(idea, IdeaStatus.NOT_SELECTED, actor=editor, notify=False)
    return {"drafts": drafts, "ineligible": ineligible, "ranked": ranked}


def festival_content():
    return {
        "slug": FESTIVAL_SLUG,
        "title": "جشنواره سالانه ایده‌ها و تجربه‌های فرهنگی",
        "intro": (
            "<p>برگزیدگان و شایستگان تقدیر فراخوان‌های ایده‌پردازی و تجربه‌نگاری، "
            "به تفکیک سال و محور.</p>"
        ),
        "show_in_menus": True,
    }


# English for the demo idea calls and festival page, as a translator would enter it in
# wagtail-localize (``pages/demo_content.py`` submits them for translation).
ENGLISH = {
    "زندگی دانشجویی و خوابگاه": "Student life and dormitories",
    "برنامه‌هایی برای زندگی روزمره دانشجویان.": "Programmes for students' everyday life.",
    "هنر و رسانه": "Art and media",
    "تئاتر، موسیقی، فیلم، نشریه و رسانه‌های دانشجویی.": (
        "Theatre, music, film, publications and student media."
    ),
    "مسئولیت اجتماعی": "Social responsibility",
    "پیوند دانشگاه با محله، شهر و گروه‌های کم‌برخوردار.": (
        "Linking the university with its neighbourhood, its city and underserved groups."
    ),
    "نوآوری": "Novelty",
    "تا چه اندازه تازه است و از کارهای پیشین فراتر می‌رود.": (
        "How new it is and how far it goes beyond earlier work."
    ),
    "اثرگذاری": "Impact",
    "چند نفر را و چقدر عمیق تحت تأثیر قرار می‌دهد.": "How many people it reaches, and how deeply.",
    "امکان‌پذیری": "Feasibility",
    "با منابع یک دانشگاه معمولی اجراشدنی است.": (
        "It can be done with an ordinary university's means."
    ),
    "کیفیت نگارش": "Quality of writing",
    "روشنی، انسجام و مستندبودن متن.": "Clarity, coherence and documentation of the text.",
    "چند نفر در اجرای آن همکاری کرده‌اند یا خواهند کرد؟": (
        "How many people have worked or will work on carrying it out?"
    ),
    "جشنواره ایده‌های فرهنگی دانشگاهیان ۱۴۰۵": "Academics' Cultural Ideas Festival 1405",
    (
        "ایده‌های تازه و تجربه‌های نوآورانهٔ فرهنگی خود را بفرستید. داوران برگزیدگان را "
        "انتخاب می‌کنند و در جشنواره سالانه از آنان قدردانی می‌شود."
    ): (
        "Send your new ideas and innovative cultural experiences. A jury chooses the winners, "
        "who are honoured at the annual festival."
    ),
    "دانشجویان، استادان و کارکنان دانشگاه‌ها و تشکل‌های دانشجویی.": (
        "Students, faculty and staff of universities, and student associations."
    ),
    "فراخوان تجربه‌نگاری فعالیت‌های فرهنگی دانشگاه‌ها": (
        "Call for write-ups of universities' cultural activities"
    ),
    (
        "برنامه‌ای فرهنگی اجرا کرده‌اید که نتیجه داده است؟ تجربه خود را بنویسید تا "
        "دانشگاه‌های دیگر هم از آن بیاموزند."
    ): (
        "Have you run a cultural programme that worked? Write up your experience so that "
        "other universities can learn from it."
    ),
    "دانشگاهیان و معاونت‌های فرهنگی دانشگاه‌ها.": ("Academics and universities' cultural deputies."),
    "جشنواره سالانه ایده‌ها و تجربه‌های فرهنگی": "Annual festival of cultural ideas and experiences",
    ("برگزیدگان و شایستگان تقدیر فراخوان‌های ایده‌پردازی و تجربه‌نگاری، به تفکیک سال و محور."): (
        "The winners and honourable mentions of the idea and experience calls, by year and theme."
    ),
}
