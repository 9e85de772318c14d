"""The demo's statements conversation: about forty statements on campus cultural life on
the open survey, and the votes of its generated participants with three planted groups;
and the demo's published maps (:func:`publish_demo_map`): the survey's, which reads its
respondents' Likert answers beside their votes, and the draft's, from its clause stances.

Safe to run again: the block is added to the survey once (publishing it seeds the
statements, ``services.sync_seeded_statements``), and the votes are generated only while
the conversation has none. Everything is drawn from generators seeded by fixed strings, so
every seeded site has the same conversation and the same groups.

The three groups (what the opinion map should find):

* ``A`` (about 45%): wants more programmes, and freer ones, run by students themselves;
* ``B`` (about 35%): wants programmes tied to religion, tradition and the university's
  supervision;
* ``C`` (about 20%): cares little for either side: wants academic, scientific and
  practical activities, and cheaper, closer-to-campus ones.

Each statement says how likely each group is to agree and to disagree with it; some are
shared by everyone (consensus), some split A from B, some set C apart.
"""

import random

from django.db import transaction
from django.utils import timezone

from . import maps, services
from .choices import VoteValue
from .models import OpinionMapSnapshot, Statement, StatementVote

SEED = "hadaf-demo-statements"
BLOCK_ID = "3b0a4f7e-1c55-5e6a-9d0b-1404a0c0ffee"
GROUPS = ("A", "B", "C")
GROUP_SHARES = (45, 35, 20)
# Each person sees and votes on about this share of the statements (the rest stay unseen).
VOTED_SHARE = 0.7

# P(agree), P(disagree) per group; the rest of the time the person passes.
SHARED = {"A": (0.85, 0.05), "B": (0.8, 0.1), "C": (0.8, 0.05)}
A_SIDE = {"A": (0.85, 0.08), "B": (0.1, 0.8), "C": (0.35, 0.3)}
B_SIDE = {"A": (0.1, 0.8), "B": (0.85, 0.08), "C": (0.3, 0.35)}
C_SIDE = {"A": (0.2, 0.6), "B": (0.2, 0.6), "C": (0.85, 0.05)}
NOT_C = {"A": (0.75, 0.1), "B": (0.7, 0.15), "C": (0.1, 0.75)}

STATEMENTS = [
    # What almost everyone shares.
    ("کتابخانهٔ مرکزی باید تا نیمه‌شب باز بماند.", SHARED),
    ("برنامه‌های فرهنگی باید زودتر و در همهٔ کانال‌های دانشگاه اطلاع‌رسانی شوند.", SHARED),
    ("دانشجویان شهرستانی و خوابگاهی باید در برنامه‌ریزی فرهنگی سهم بیشتری داشته باشند.", SHARED),
    ("سالن‌های برنامه‌ها باید برای دانشجویان دارای معلولیت دسترس‌پذیر باشند.", SHARED),
    ("گزارش هزینهٔ برنامه‌های فرهنگی باید هر سال منتشر شود.", SHARED),
    ("نظر دانشجویان باید پیش از تصمیم‌گیری دربارهٔ برنامه‌های فرهنگی پرسیده شود.", SHARED),
    ("سلف دانشگاه باید در روزهای برنامه‌های عصر هم باز باشد.", SHARED),
    ("برنامه‌های فرهنگی نباید با امتحانات پایان‌ترم هم‌زمان شوند.", SHARED),
    # Group A against group B.
    ("تشکل‌های دانشجویی باید بدون مجوز پیشین نشریه منتشر کنند.", A_SIDE),
    ("کنسرت موسیقی در دانشگاه باید آزاد باشد.", A_SIDE),
    ("برنامه‌های فرهنگی را باید خود دانشجویان طراحی و اجرا کنند، نه معاونت.", A_SIDE),
    ("نمایش فیلم‌های روز با نقد و گفت‌وگو باید هر هفته برگزار شود.", A_SIDE),
    ("تئاتر دانشجویی نباید پیش از اجرا بازبینی شود.", A_SIDE),
    ("کرسی‌های آزاداندیشی باید دربارهٔ هر موضوعی برگزار شوند.", A_SIDE),
    ("پوشش دانشجویان در برنامه‌های فرهنگی نباید سخت‌گیری شود.", A_SIDE),
    ("برنامه‌های مشترک دختران و پسران باید بیشتر شوند.", A_SIDE),
    ("بودجهٔ تشکل‌ها باید بی‌واسطه به خود تشکل‌ها داده شود.", A_SIDE),
    ("هیئت‌های مذهبی دانشجویی باید بودجهٔ بیشتری بگیرند.", B_SIDE),
    ("اردوهای راهیان نور باید بخش اصلی برنامهٔ فرهنگی دانشگاه باشند.", B_SIDE),
    ("برنامه‌های فرهنگی باید با نظارت نهاد رهبری در دانشگاه برگزار شوند.", B_SIDE),
    ("جشن‌های مذهبی مهم‌ترین مناسبت‌های فرهنگی دانشگاه‌اند.", B_SIDE),
    ("نشریات دانشجویی باید پیش از انتشار بازبینی شوند.", B_SIDE),
    ("موسیقی در برنامه‌های دانشگاه باید محدود بماند.", B_SIDE),
    ("آموزش سبک زندگی ایرانی‌اسلامی باید در برنامه‌های فرهنگی جدی‌تر شود.", B_SIDE),
    ("برنامه‌های فرهنگی باید در خدمت تقویت هویت ملی و دینی باشند.", B_SIDE),
    # Group C apart from both.
    ("همایش‌های علمی و کارگاه‌های مهارتی از برنامه‌های فرهنگی مهم‌ترند.", C_SIDE),
    ("بودجهٔ فرهنگی بهتر است صرف آزمایشگاه و کارآموزی شود.", C_SIDE),
    ("اردوهای علمی و بازدید از صنایع باید جای اردوهای تفریحی را بگیرند.", C_SIDE),
    ("برنامه‌های فرهنگی باید به اشتغال دانشجویان کمک کنند.", C_SIDE),
    ("شرکت در برنامه‌های فرهنگی باید امتیاز آموزشی یا واحد درسی داشته باشد.", C_SIDE),
    ("مسابقه‌های علمی دانشجویی باید بیشتر از جشنواره‌های هنری حمایت شوند.", C_SIDE),
    ("برنامه‌ها باید کوتاه و در فاصلهٔ میان کلاس‌ها برگزار شوند.", C_SIDE),
    ("برنامه‌های فرهنگی ارزش وقتی را که از درس می‌گیرند دارند.", NOT_C),
    ("دانشگاه بیش از کلاس، با برنامه‌های فرهنگی‌اش به یاد می‌ماند.", NOT_C),
    ("عضویت در تشکل‌ها باید در کارنامهٔ دانشجو ثبت شود.", NOT_C),
    ("هر دانشکده باید کانون فرهنگی خودش را داشته باشد.", NOT_C),
    ("جشنوارهٔ فرهنگی سالانه باید بزرگ‌تر و پرهزینه‌تر برگزار شود.", NOT_C),
    ("گفت‌وگوی استادان و دانشجویان بیرون از کلاس باید برنامهٔ ثابت فرهنگی باشد.", NOT_C),
    ("دانشگاه باید برای برنامه‌های فرهنگی عصر سرویس رفت‌وآمد بگذارد.", SHARED),
    ("تالار اجتماعات باید برای تشکل‌ها رایگان باشد.", NOT_C),
]

BLOCK_VALUE = {
    "heading": "گزاره‌ها: شما موافقید یا مخالف؟",
    "intro": (
        "دربارهٔ زندگی فرهنگی دانشگاه، با هر گزاره موافق یا مخالف باشید یا از آن بگذرید. "
        "می‌توانید گزارهٔ خودتان را هم بیفزایید؛ پس از بازبینی به دیگران نشان داده می‌شود."
    ),
    "statements": [text for text, _profile in STATEMENTS],
    "participants_may_add": True,
}


def group_of(person):
    """The planted group of a generated participant: fixed by their address alone."""
    draw = random.Random(f"{SEED}:group:{person.email}")  # noqa: S311 - demo data
    return draw.choices(GROUPS, GROUP_SHARES)[0]


def ensure_block(survey, editor):
    """Add the statements block to ``survey``'s body once and publish (seeding it)."""
    if services.statements_block(survey) is None:
        raw = list(survey.body.raw_data)
        raw.append({"type": services.BLOCK_TYPE, "value": BLOCK_VALUE, "id": BLOCK_ID})
        survey.body = raw
        # The seed publishes as the system (the demo editor needs the call workflow's
        # approval); the revision names the editor, whom the sync records as the author.
        survey.save_revision(user=editor).publish()
        survey.refresh_from_db()
    else:
        services.sync_seeded_statements(survey, editor=editor)
    return survey


def generate_votes(survey, people):
    """Votes of ``people`` on the survey's seeded statements, with the planted groups.

    Returns the number of votes stored: 0 when the conversation already has votes.
    """
    profiles = dict(STATEMENTS)
    statements = list(
        Statement.objects.filter(
            call_key=survey.call_key, seeded_by_editor=True, text__in=profiles
        ).order_by("pk")
    )
    if StatementVote.objects.filter(statement__call_key=survey.call_key).exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - demo data
    votes = []
    for person in sorted(people, key=lambda person: person.email):
        group = group_of(person)
        for statement in statements:
            if rng.random() > VOTED_SHARE:
                continue
            agree, disagree = profiles[statement.text][group]
            draw = rng.random()
            if draw < agree:
                value = VoteValue.AGREE
            elif draw < agree + disagree:
                value = VoteValue.DISAGREE
            else:
                value = VoteValue.PASS
            votes.append(StatementVote(statement=statement, participant=person, value=value))
    with transaction.atomic():
        StatementVote.objects.bulk_create(votes, batch_size=2000, ignore_conflicts=True)
    return len(votes)


def seed_statements(survey, editor, people):
    """The demo conversation on ``survey``: the block, its statements, ``people``'s votes."""
    ensure_block(survey, editor)
    votes = generate_votes(survey, people)
    if StatementVote.objects.filter(statement__call_key=survey.call_key).exists():
        # The map reads the survey's Likert answers too (the voters are its respondents).
        publish_demo_map(survey, editor)
    return votes


def publish_demo_map(call, editor):
    """Compute ``call``'s map from every input (statements, Likert answers, a draft's
    stances) and publish it, once: returns the published snapshot, or ``None`` when the map
    has no group to show.

    The demo shows a published map; a real call's waits for its editor, whose publishing is
    audited (``maps.publish``). Demo content is not an editor's action: no audit event.
    """
    current = maps.published(call.call_key)
    if current is not None:
        return current
    snapshot = maps.recompute(call.call_key)
    if snapshot is None or not snapshot.data.get("groups"):
        return None
    OpinionMapSnapshot.objects.filter(pk=snapshot.pk).update(
        published=True, published_at=timezone.now(), published_by=editor
    )
    return maps.published(call.call_key)
