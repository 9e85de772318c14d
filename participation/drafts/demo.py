"""Demo regulation draft for ``seed_demo``: a 24-article bylaw in its second round.

«آیین‌نامه حمایت از تشکل‌های دانشجویی فرهنگی» (participation/drafts/data/) is the
text of round 1. Generated participants comment on it — concentrated on a few
clauses, as real reviews are — reply and vote; one comment was reported until
hidden and one removed by a moderator. The committee decided every commented
clause, revised the text and opened round 2, where the discussion goes on; in round 2
participants in two planted camps take stances on the first clauses, which feed the
draft's opinion map (``seed_stances``).
Everything is pseudo-random but the same on every run (``random.Random(1405)``);
block ids are derived from positions, and comments are generated only while the
draft has none, so running the seed again changes nothing.
"""

import datetime
import random
import uuid
from pathlib import Path

from django.utils import timezone

from participation.choices import AnonymityMode, Audience

from . import outline, services
from .choices import CommentKind, DecisionOutcome, ModerationState, ReportReason, Stance
from .models import ClauseComment, ClauseDecision
from .parse import parse_legal_text

SEED = 1405
DRAFT_SLUG = "student-associations-bylaw"
SAMPLE_BYLAW = Path(__file__).parent / "data" / "sample_bylaw_fa.txt"
ID_NAMESPACE = uuid.UUID("8f3b8f49-0b55-4f57-9d55-5d5e0c4f5a21")

COMMENTS = {
    Stance.AGREE: [
        "این بند روشن و قابل اجراست و با تجربه تشکل‌های دانشگاه ما سازگار است.",
        "موافقم؛ این حکم جای خالی آیین‌نامه قبلی را پر می‌کند.",
        "",
        "با این بند موافقم، به شرط آنکه در همه دانشگاه‌ها یکسان اجرا شود.",
    ],
    Stance.OPPOSE: [
        "این حکم بار اداری تشکل‌های کوچک را زیاد می‌کند و در عمل به تعطیلی آن‌ها می‌انجامد.",
        "معیار این بند مبهم است و تفسیر آن را به سلیقه مسئولان دانشگاه می‌سپارد.",
        "در دانشگاه‌های کوچک چنین کمیته‌ای تشکیل نمی‌شود؛ این بند قابل اجرا نیست.",
        "این شرط دانشجویان سال اول را از مشارکت محروم می‌کند.",
    ],
    Stance.AMEND: [
        "بهتر است مهلت‌ها واقع‌بینانه‌تر باشد.",
        "پیشنهاد می‌کنم صراحت بیشتری در متن بیاید تا تفسیرهای متفاوت پیش نیاید.",
        "با اصلاح جزئی، این بند برای دانشگاه‌های غیردولتی هم قابل اجرا می‌شود.",
    ],
    Stance.DELETE: [
        "این بند تکرار حکم ماده‌های پیشین است و حذف آن ابهامی ایجاد نمی‌کند.",
        "این حکم در قوانین بالادستی آمده و تکرار آن در آیین‌نامه لازم نیست.",
    ],
}
REPLIES = [
    "در دانشگاه ما هم همین مشکل وجود داشت.",
    "موافقم، ولی باید برای دانشگاه‌های کوچک استثنا قائل شد.",
    "به نظرم نگرانی شما با تبصره همین ماده برطرف شده است.",
    "تجربه انجمن ما خلاف این را نشان می‌دهد.",
]
NEW_CLAUSES = [
    "تبصره - دانشگاه موظف است فضای مناسب برای جلسات تشکل‌ها را بدون دریافت هزینه فراهم کند.",
    "تشکل‌هایی که در سال گذشته برنامه مشترک با تشکل‌های دانشگاه‌های دیگر داشته‌اند، در "
    "تخصیص اعتبار اولویت دارند.",
]
# Rewordings participants propose: (old words, new words) tried in order on the clause text.
REWORDINGS = [
    ("شش ماه", "یک سال"),
    ("پنج نفر", "سه نفر"),
    ("دوازده", "دوازده و نیم"),
    ("موظف", "مکلف"),
    ("دست‌کم", "حداقل"),
    ("کتبی", "کتبی یا الکترونیکی"),
]
# What a proposal adds when none of the rewordings applies, and its English.
QUALIFIER = " در چارچوب مصوبات شورای فرهنگی دانشگاه."
QUALIFIER_EN = " within the framework of the University Cultural Council's resolutions."
# The rewordings in the English translation: (old, new) → (old, new) in English.
REWORDINGS_EN = {
    ("شش ماه", "یک سال"): ("six months", "one year"),
    ("پنج نفر", "سه نفر"): ("five students", "three students"),
    ("دوازده", "دوازده و نیم"): ("twelve", "twelve and a half"),
    ("موظف", "مکلف"): ("must", "shall"),
    ("دست‌کم", "حداقل"): ("at least", "a minimum of"),
    ("کتبی", "کتبی یا الکترونیکی"): ("written", "written or electronic"),
}
REASONS = {
    DecisionOutcome.ACCEPTED: "پیشنهاد با هدف آیین‌نامه سازگار بود و در متن دور دوم اعمال شد.",
    DecisionOutcome.PARTLY_ACCEPTED: "بخشی از پیشنهادها پذیرفته و متن بند بازنویسی شد؛ "
    "بخش دیگر با مقررات مالی دانشگاه‌ها سازگار نبود.",
    DecisionOutcome.REJECTED: "حکم این بند برای یکسان‌سازی رویه دانشگاه‌ها لازم است و "
    "کمیته تغییر آن را به صلاح ندانست.",
    DecisionOutcome.OUT_OF_SCOPE: "این موضوع در آیین‌نامه انضباطی دانشجویان تعیین می‌شود و "
    "از موضوع این آیین‌نامه خارج است.",
}
REVISION_SUMMARY = (
    "بر پایه نظرهای دور نخست، بندهایی که پیشنهادهای آن‌ها پذیرفته شد بازنویسی شدند، "
    "یک بند تکراری حذف شد و تبصره‌ای دربارهٔ فضای جلسات افزوده شد."
)


def stable_id(*parts):
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(str(part) for part in parts)))


def round_one_text():
    """The sample bylaw as raw StreamField data with the same ids on every site."""
    parsed = parse_legal_text(SAMPLE_BYLAW.read_text(encoding="utf-8"))
    return [
        {**block, "id": stable_id(DRAFT_SLUG, position)}
        for position, block in enumerate(parsed.blocks)
    ]


# Decisions that change a clause's wording in the next round; the others leave it as it was.
APPLIED_OUTCOMES = (DecisionOutcome.ACCEPTED, DecisionOutcome.PARTLY_ACCEPTED)


def applied_wording(text, proposals):
    """The revised wording of a clause whose proposals were (partly) accepted.

    The first participant's proposed wording that differs from ``text`` if there is one,
    else the first of the usual rewordings that applies, else the text with a qualifier;
    always different from ``text``, so "accepted and applied" shows in the next round.
    """
    for proposal in proposals:
        if proposal and proposal.strip() != text.strip():
            return proposal
    for old, new in REWORDINGS:
        if old in text:
            return text.replace(old, new, 1)
    return text.rstrip(".؛") + QUALIFIER


def revise(text, decisions, proposals):
    """Round 2's text, as the committee's round-1 decisions say.

    Args:
        text: round 1's raw blocks.
        decisions: {clause id: outcome} of round 1.
        proposals: {clause id: [proposed wordings, oldest first]} of round 1's comments.

    Clauses accepted or partly accepted are reworded; rejected and out-of-scope ones keep
    their text; one clause nobody commented on is removed and a note is added (the new
    clause participants proposed).
    """
    revised = [{**block, "value": dict(block["value"])} for block in text]
    for block in revised:
        if decisions.get(block["id"]) in APPLIED_OUTCOMES:
            body = block["value"].get("text", "")
            block["value"]["text"] = applied_wording(body, proposals.get(block["id"], []))
    undecided = [
        index
        for index, block in enumerate(revised)
        if block["type"] == "clause" and block["id"] not in decisions
    ]
    if undecided:
        del revised[undecided[len(undecided) // 2]]
    first_note = next(index for index, block in enumerate(revised) if block["type"] == "note")
    revised.insert(
        first_note + 1,
        {
            "type": "note",
            "id": stable_id(DRAFT_SLUG, "round-2", "meeting-rooms"),
            "value": {"text": NEW_CLAUSES[0].removeprefix("تبصره - ")},
        },
    )
    return revised


def round_one_decisions(page):
    """({clause id: outcome}, {clause id: [proposed wordings]}) of round 1 of ``page``."""
    decisions = dict(
        ClauseDecision.objects.filter(call_key=page.call_key, round_number=1).values_list(
            "clause_id", "outcome"
        )
    )
    proposals = {}
    amendments = ClauseComment.objects.filter(
        call_key=page.call_key,
        round_number=1,
        parent=None,
        kind=CommentKind.CLAUSE,
        stance=Stance.AMEND,
        moderation_state=ModerationState.PUBLISHED,
    ).order_by("pk")
    for clause_id, wording in amendments.values_list("clause_id", "proposed_text"):
        proposals.setdefault(clause_id, []).append(wording)
    return decisions, proposals


def draft_content(now):
    return {
        "slug": DRAFT_SLUG,
        "title": "پیش‌نویس آیین‌نامه حمایت از تشکل‌های دانشجویی فرهنگی",
        "intro": (
            "<p>معاونت فرهنگی و اجتماعی پیش‌نویس آیین‌نامه تازه تشکل‌های دانشجویی فرهنگی را "
            "برای بازبینی دانشگاهیان منتشر کرده است. دربارهٔ هر ماده، بند و تبصره نظر دهید "
            "یا متن بهتری پیشنهاد کنید.</p>"
        ),
        "rationale": (
            "<p>آیین‌نامه کنونی بیش از ده سال پیش تصویب شده و با شکل امروز فعالیت "
            "تشکل‌ها، از جمله برنامه‌های برخط و همکاری میان دانشگاه‌ها، همخوان نیست. "
            "کمیته تدوین دربارهٔ هر بند تصمیم می‌گیرد و دلیل آن را منتشر می‌کند.</p>"
        ),
        "draft_text": round_one_text(),
        "opens_at": now - datetime.timedelta(days=40),
        "closes_at": now + datetime.timedelta(days=20),
        "audience": Audience.SIGNED_IN,
        "anonymity": AnonymityMode.PSEUDONYMOUS,
    }


def _weighted_clauses(provisions, rng):
    """Clauses to comment on, a few drawing most of the discussion."""
    hot = rng.sample(provisions, 6)
    return [*hot * 5, *rng.sample(provisions, 14)]


def _proposal(text, rng):
    for old, new in rng.sample(REWORDINGS, len(REWORDINGS)):
        if old in text:
            return text.replace(old, new, 1)
    return text.rstrip(".؛") + QUALIFIER


def comment_round(page, people, rng, *, count):
    """Generate one round's discussion through the services (so every rule applies)."""
    provisions = list(outline.commentable(outline.outline_of(page.draft_text)).values())
    targets = _weighted_clauses(provisions, rng)
    comments = []
    for person in people:
        if len(comments) >= count:
            break
        provision = rng.choice(targets)
        stance = rng.choices(list(Stance), [3, 3, 4, 1])[0]
        try:
            comments.append(
                services.post_comment(
                    page,
                    person,
                    clause_id=provision.id,
                    kind=CommentKind.CLAUSE,
                    stance=stance,
                    body=rng.choice(COMMENTS[stance]),
                    proposed_text=_proposal(provision.text, rng) if stance == Stance.AMEND else "",
                    language="fa",
                )
            )
        except services.AlreadyCommented:
            continue
    for person, text in zip(people[-2:], NEW_CLAUSES, strict=True):
        comments.append(
            services.post_comment(
                page,
                person,
                clause_id=rng.choice(provisions).id,
                kind=CommentKind.NEW_CLAUSE,
                proposed_text=text,
                body="این حکم در آیین‌نامه جای خالی دارد.",
                language="fa",
            )
        )
    for comment in rng.sample(comments, len(comments) // 4):
        replier = rng.choice([person for person in people if person.pk != comment.author_id])
        services.post_reply(page, replier, comment, body=rng.choice(REPLIES), language="fa")
    for comment in comments:
        for voter in rng.sample(people, rng.randint(0, 8)):
            if voter.pk != comment.author_id:
                services.cast_vote(page, voter, comment, rng.choices([1, -1], [3, 1])[0])
    return comments


def moderate_some(page, comments, people, moderator):
    """One comment reported until hidden, one removed by a moderator."""
    reported, removed = comments[1], comments[2]
    reporters = [person for person in people if person.pk != reported.author_id]
    for reporter in reporters[: page.report_threshold]:
        services.report_comment(page, reporter, reported, ReportReason.OFFENSIVE)
    services.moderate(removed, moderator, approve=False)


def decide_round(page, editor, rng, round_number):
    """A decision on every clause with published comments, already announced."""
    clause_ids = (
        ClauseComment.objects.filter(
            call_key=page.call_key,
            round_number=round_number,
            parent=None,
            moderation_state=ModerationState.PUBLISHED,
        )
        .values_list("clause_id", flat=True)
        .distinct()
    )
    outcomes = list(DecisionOutcome)
    for clause_id in sorted(clause_ids):
        outcome = rng.choices(outcomes, [3, 3, 3, 1])[0]
        services.record_decision(
            page,
            editor,
            round_number=round_number,
            clause_id=clause_id,
            outcome=outcome,
            reason=REASONS[outcome],
        )
    # The demo's participants are not emailed about decisions made before it existed.
    ClauseDecision.objects.filter(call_key=page.call_key).update(notified_at=timezone.now())


# Round 2's stances, clause by clause, in two planted camps (what the draft's opinion map,
# fed by the stances, should find): "autonomy" (about 55%) wants the associations to run
# themselves, "oversight" wants the deputy's supervision. Each of the first STANCE_CLAUSES
# provisions leans to one camp; a person takes a stance on about STANCE_SHARE of them.
STANCE_CLAUSES = 12
STANCE_SHARE = 0.8
CAMPS = ("autonomy", "oversight")
CAMP_SHARES = (55, 45)
# (agree, amend, oppose, delete) weights: on a clause that leans the person's way, and not.
STANCES = (Stance.AGREE, Stance.AMEND, Stance.OPPOSE, Stance.DELETE)
ON_SIDE = (75, 15, 8, 2)
OFF_SIDE = (10, 15, 55, 20)


def camp_of(person):
    """The planted camp of a generated participant: fixed by their address alone."""
    draw = random.Random(f"{SEED}:camp:{person.email}")  # noqa: S311 - demo data
    return draw.choices(CAMPS, CAMP_SHARES)[0]


def seed_stances(page, people, rng):
    """Stances of ``people`` on the current round's first clauses, by their planted camp.

    Through the services, like every other demo comment (published at once under the
    draft's post-moderation). A person who already commented on a clause keeps that
    comment. Returns how many stances were stored.
    """
    provisions = list(outline.commentable(outline.outline_of(page.draft_text)).values())
    clauses = provisions[:STANCE_CLAUSES]
    leans = {clause.id: rng.choice(CAMPS) for clause in clauses}
    stored = 0
    for person in people:
        camp = camp_of(person)
        for clause in clauses:
            if rng.random() > STANCE_SHARE:
                continue
            weights = ON_SIDE if leans[clause.id] == camp else OFF_SIDE
            stance = rng.choices(STANCES, weights)[0]
            try:
                services.post_comment(
                    page,
                    person,
                    clause_id=clause.id,
                    kind=CommentKind.CLAUSE,
                    stance=stance,
                    body=rng.choice(COMMENTS[stance]),
                    proposed_text=_proposal(clause.text, rng) if stance == Stance.AMEND else "",
                    language="fa",
                )
            except services.AlreadyCommented:
                continue
            stored += 1
    return stored


def seed_draft_discussion(page, people, editor, publisher):
    """Round 1 discussed, decided and closed; round 2 under way. Only on a draft with none.

    ``editor`` moderates and decides; ``publisher`` (who may publish whatever the
    groups' permissions, an administrator) starts round 2, which publishes its text.
    """
    if ClauseComment.objects.filter(call_key=page.call_key).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    round_one = comment_round(page, people, rng, count=70)
    moderate_some(page, round_one, people, editor)
    decide_round(page, editor, rng, round_number=1)
    revised = type(page).objects.get(pk=page.pk)
    revised.draft_text = revise(round_one_text(), *round_one_decisions(page))
    revised.save_revision(user=editor)
    page.refresh_from_db()
    services.start_new_round(page, publisher, summary=REVISION_SUMMARY)
    page.refresh_from_db()
    comment_round(page, list(reversed(people)), rng, count=30)
    seed_stances(page, people, rng)


SAMPLE_BYLAW_EN = SAMPLE_BYLAW.with_name("sample_bylaw_en.txt")
DRAFT_ENGLISH = {
    "پیش‌نویس آیین‌نامه حمایت از تشکل‌های دانشجویی فرهنگی": (
        "Draft bylaw on support for cultural student associations"
    ),
    (
        "معاونت فرهنگی و اجتماعی پیش‌نویس آیین‌نامه تازه تشکل‌های دانشجویی فرهنگی را "
        "برای بازبینی دانشگاهیان منتشر کرده است. دربارهٔ هر ماده، بند و تبصره نظر دهید "
        "یا متن بهتری پیشنهاد کنید."
    ): (
        "The Cultural and Social Deputy has published the new draft bylaw on cultural student "
        "associations for academics to review. Comment on each article, clause and note, or "
        "propose a better wording."
    ),
    (
        "آیین‌نامه کنونی بیش از ده سال پیش تصویب شده و با شکل امروز فعالیت "
        "تشکل‌ها، از جمله برنامه‌های برخط و همکاری میان دانشگاه‌ها، همخوان نیست. "
        "کمیته تدوین دربارهٔ هر بند تصمیم می‌گیرد و دلیل آن را منتشر می‌کند."
    ): (
        "The current bylaw was adopted more than ten years ago and does not fit how "
        "associations work today, including online programmes and cooperation between "
        "universities. The drafting committee decides on each clause and publishes why."
    ),
    NEW_CLAUSES[0].removeprefix("تبصره - "): (
        "The university must provide suitable space for the associations' meetings free of charge."
    ),
}


def revised_english(original, revised, english_original):
    """The English of a clause reworded in round 2, done the same way as the Persian was."""
    if english_original is None:
        return None
    if revised == original.rstrip(".؛") + QUALIFIER:
        return english_original.rstrip(".;") + QUALIFIER_EN
    for (old, new), (old_en, new_en) in REWORDINGS_EN.items():
        if (
            old in original
            and original.replace(old, new, 1) == revised
            and old_en in (english_original)
        ):
            return english_original.replace(old_en, new_en, 1)
    return None


def english(page=None):
    """English for the demo draft: its fields and every provision of round 1's text.

    ``data/sample_bylaw_en.txt`` is the translation laid out line for line like the
    Persian text, with the same markers («ماده ۱ -», «الف -»), so both parse into the same
    blocks and each Persian provision is paired with its English by position. Given the
    draft ``page``, the clauses reworded in round 2 are added, reworded the same way.
    """
    persian = parse_legal_text(SAMPLE_BYLAW.read_text(encoding="utf-8")).blocks
    translated = parse_legal_text(SAMPLE_BYLAW_EN.read_text(encoding="utf-8")).blocks
    strings = dict(DRAFT_ENGLISH)
    for source, target in zip(persian, translated, strict=True):
        for key, text in source["value"].items():
            if isinstance(text, str) and text and isinstance(target["value"].get(key), str):
                strings[text] = target["value"][key]
    if page is not None:  # Round 2's reworded clauses, reworded the same way in English.
        originals = {block["id"]: block["value"].get("text", "") for block in round_one_text()}
        for block in page.draft_text.raw_data:
            original = originals.get(block["id"])
            revised = block["value"].get("text", "")
            if original and revised and revised != original:
                english_text = revised_english(original, revised, strings.get(original))
                if english_text:
                    strings[revised] = english_text
    return strings
