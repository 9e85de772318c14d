"""Benchmark the regulation draft pages.

``make bench`` runs these measurements inside ``bench/run.py`` (a section of
bench/RESULTS.md); alone, this script does the same in a database of its own and writes
bench/RESULTS-drafts.md:

    .venv/bin/python bench/drafts.py            # 200 clauses, 10,000 comments
    .venv/bin/python bench/drafts.py --smoke    # tiny sizes

The goal (issue 5): a draft with 200 clauses and 10,000 comments renders its public
page in ≤ 150 ms median, with a query count that does not grow with clauses or
comments. Beside it, in the same run, the baseline: a plain Wagtail StandardPage
whose body is the same text as 200 paragraph blocks, with no discussion at all —
what rendering the text alone costs. Pages are requested through Django's test
client, in process, as an anonymous visitor (the clause page also as a participant).
Uses its own PostgreSQL database (``BENCH_DATABASE_URL``, default
``hadaf_bench_drafts``), recreated at the start. Exits non-zero only when the harness
breaks (a failed request, counts that disagree), never because of a timing.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import site_package  # noqa: E402

site_package.activate()
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.bench"
os.environ["HADAF_PAGE_CACHE_SECONDS"] = "0"  # every request renders
os.environ.pop("REDIS_URL", None)  # the cold-cache line empties the cache: never a shared one

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_drafts"
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_drafts_smoke"
GOAL_MS = 150
WORDS = [
    *("دانشگاه", "تشکل", "دانشجویی", "فرهنگی", "معاونت", "شورای", "کمیته", "اعتبار"),
    *("گزارش", "سالانه", "برنامه", "نظارت", "ارزیابی", "مصوبه", "مهلت", "عضویت"),
    *("هیئت", "مؤسس", "فعالیت", "حمایت"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--clauses", type=int, default=None, help="commentable provisions (200)")
    parser.add_argument("--comments", type=int, default=None, help="comments (10000)")
    parser.add_argument("--repeats", type=int, default=None, help="timed requests per page (30)")
    parser.add_argument("--output", default=None)
    args = parser.parse_args(argv)
    defaults = {
        "clauses": 20 if args.smoke else 200,
        "comments": 200 if args.smoke else 10_000,
        "repeats": 3 if args.smoke else 30,
        "output": str(
            ROOT / "bench" / ("RESULTS-drafts-smoke.md" if args.smoke else "RESULTS-drafts.md")
        ),
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.database_url = os.environ.get("BENCH_DRAFTS_DATABASE_URL") or (
        SMOKE_URL if args.smoke else DEFAULT_URL
    )
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    return args


def log(message):
    print(f"[drafts] {message}", flush=True)


def legal_text(clauses, rng):
    """Raw StreamField data: a chapter every 20 provisions, articles with clauses and notes."""
    import uuid

    words = WORDS
    blocks, made = [], 0
    kinds = ["article", "clause", "clause", "note"]
    while made < clauses:
        if made % 20 == 0:
            blocks.append({"type": "chapter", "id": str(uuid.uuid4()), "value": {"title": "فصل"}})
        kind = "article" if made % 20 == 0 else kinds[made % len(kinds)]
        text = " ".join(rng.choice(words) for _ in range(rng.randint(15, 45))) + "."
        value = {"title": "", "text": text} if kind == "article" else {"text": text}
        blocks.append({"type": kind, "id": str(uuid.uuid4()), "value": value})
        made += 1
    return blocks


def create_pages(clauses, rng):
    from bench import seed
    from pages.models import RegulationDraftPage, StandardPage

    _home, calls = seed.ensure_tree()
    text = legal_text(clauses, rng)
    from django.utils import timezone

    now = timezone.now()
    draft = RegulationDraftPage(
        title="پیش‌نویس آیین‌نامه (سنجه)",
        slug="bench-draft",
        opens_at=now - timezone.timedelta(days=5),
        closes_at=now + timezone.timedelta(days=30),
        draft_text=text,
    )
    calls.add_child(instance=draft)
    draft.save_revision().publish()
    baseline = StandardPage(
        title="متن همان پیش‌نویس بی‌گفت‌وگو",
        slug="bench-draft-baseline",
        body=[
            {
                "type": "paragraph",
                "value": f"<p>{block['value'].get('text') or block['value'].get('title')}</p>",
            }
            for block in text
        ],
    )
    _home.add_child(instance=baseline)
    baseline.save_revision().publish()
    return draft, baseline


def add_discussion(draft, count, rng):
    """``count`` comments: 70 % stances (a third with proposed wording), 20 % replies,
    5 % new clauses, 5 % hidden, pending or removed; votes as counters; a decision each."""
    from bench import seed
    from participation.drafts import outline
    from participation.drafts.choices import (
        CommentKind,
        DecisionOutcome,
        ModerationState,
        Stance,
    )
    from participation.drafts.models import ClauseComment, ClauseDecision
    from participation.drafts.services import current_round

    provisions = list(outline.commentable(outline.outline_of(draft.draft_text)).values())
    people = max(50, count // 5)
    seed.create_participants(people, "draft-bench")
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(email__startswith="draft-bench-"))
    round_number = current_round(draft).number
    hot = rng.sample(provisions, max(1, len(provisions) // 10))
    top_level = []
    used = set()
    target = int(count * 0.8)
    while len(top_level) < target:
        provision = rng.choice(hot) if rng.random() < 0.5 else rng.choice(provisions)
        author = rng.choice(users)
        kind = CommentKind.NEW_CLAUSE if rng.random() < 0.06 else CommentKind.CLAUSE
        key = (provision.id, author.pk, kind)
        if key in used:
            continue
        used.add(key)
        stance = rng.choice(list(Stance)) if kind == CommentKind.CLAUSE else ""
        state = rng.choices(
            [
                ModerationState.PUBLISHED,
                ModerationState.HIDDEN,
                ModerationState.PENDING,
                ModerationState.REMOVED,
            ],
            [95, 2, 2, 1],
        )[0]
        top_level.append(
            ClauseComment(
                call=draft,
                call_key=draft.call_key,
                round_number=round_number,
                clause_id=provision.id,
                kind=kind,
                stance=stance,
                body="نظر آزمایشی دربارهٔ این بند " * rng.randint(1, 6),
                proposed_text=provision.text + " با اصلاح" if stance == Stance.AMEND else "",
                clause_text=provision.text,
                author=author,
                language="fa",
                moderation_state=state,
                support_count=rng.randint(0, 30),
                oppose_count=rng.randint(0, 10),
            )
        )
    ClauseComment.objects.bulk_create(top_level, batch_size=2000)
    parents = list(
        ClauseComment.objects.filter(call_key=draft.call_key, parent=None).only("pk", "clause_id")
    )
    replies = [
        ClauseComment(
            call=draft,
            call_key=draft.call_key,
            round_number=round_number,
            clause_id=parent.clause_id,
            kind=CommentKind.REPLY,
            body="پاسخ آزمایشی",
            parent_id=parent.pk,
            author=rng.choice(users),
            language="fa",
        )
        for parent in (rng.choice(parents) for _ in range(count - len(top_level)))
    ]
    ClauseComment.objects.bulk_create(replies, batch_size=2000)
    ClauseDecision.objects.bulk_create(
        ClauseDecision(
            call_key=draft.call_key,
            round_number=round_number,
            clause_id=provision.id,
            outcome=rng.choice(list(DecisionOutcome)),
            reason="دلیل تصمیم کمیته",
        )
        for provision in provisions
    )
    return ClauseComment.objects.filter(call_key=draft.call_key).count(), len(provisions)


def measure(client, url, repeats, cold=False):
    """Median and p95 of GET ``url``; ``cold`` empties the cache first (every row rendered)."""
    from django.core.cache import cache

    from bench.content import measure_page

    return measure_page(
        client, url, repeats, warmup=2, before=cache.clear if cold else None, prime=False
    )


def run_drafts(clauses, comments, repeats, checks):
    """Seed a draft with ``clauses`` provisions and ``comments`` comments, and its
    StandardPage baseline, in the current database; measure its pages.

    Returns:
        tuple: (rows as (label, measurement) with the baseline first, facts).
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    from participation.drafts import discussion, services

    rng = random.Random(505)  # noqa: S311 - benchmark data
    draft, baseline = create_pages(clauses, rng)
    stored, provisions = add_discussion(draft, comments, rng)
    log(f"draft with {provisions} clauses and {stored:,} comments")
    if stored != comments:
        raise AssertionError(f"{stored} comments stored, {comments} planned")
    checks.append(f"drafts: {stored:,} comments stored as planned")
    stats = discussion.clause_statistics(draft.call_key, services.current_round(draft).number)
    busiest = max(stats, key=lambda clause_id: stats[clause_id].total)
    anonymous = Client()
    participant = Client()
    participant.force_login(
        get_user_model().objects.filter(email__startswith="draft-bench-").first()
    )
    rows = [
        ("baseline: the same text as a StandardPage", measure(anonymous, baseline.url, repeats)),
        ("draft page (anonymous)", measure(anonymous, draft.url, repeats)),
        (
            "draft page, cold cache (every row rendered)",
            measure(anonymous, draft.url, repeats, cold=True),
        ),
        (
            "busiest clause page (anonymous)",
            measure(anonymous, f"{draft.url}clause/{busiest}/", repeats),
        ),
        (
            "busiest clause page (participant, with form)",
            measure(participant, f"{draft.url}clause/{busiest}/", repeats),
        ),
    ]
    for label, row in rows:
        log(f"{label}: {row['median'] * 1000:.1f} ms median, {row['queries']} queries")
    checks.append("drafts: every request answered 200")
    return rows, {"clauses": provisions, "comments": stored}


def section_lines(rows, facts, repeats, heading="##"):
    """The report's drafts section (Markdown lines)."""
    baseline = rows[0][1]
    lines = [
        f"{heading} Regulation drafts: a draft page with {facts['clauses']:,} clauses and"
        f" {facts['comments']:,} comments vs the same text as a StandardPage",
        "",
        f"A draft of {facts['clauses']:,} articles, clauses and notes with {facts['comments']:,}"
        " comments (stances, proposed wordings, new clauses, replies; a few hidden, pending or"
        " removed) and a decision on every clause, on PostgreSQL with `site.settings.bench`"
        " (DEBUG off, page cache off). Each page requested in process with Django's test"
        f" client: {repeats} timed requests after 2 warm-up ones. Baseline: a StandardPage"
        " whose body is the same text as paragraph blocks, without any discussion.",
        "",
        f"Goal (issue 5): the draft page's median ≤ {GOAL_MS} ms, with a query count that does"
        " not grow with clauses or comments (the suite asserts that; the counts are below)."
        " Each clause's row is cached under a key made of everything it shows, so a new"
        " comment re-renders only its clause's row; the cold-cache line renders all of them"
        " (the first visit after a deploy, or with the cache down).",
        "",
        "| page | median ms | p95 ms | queries | KiB | median vs baseline |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, row in rows:
        ratio = row["median"] / baseline["median"] if baseline["median"] else 0
        lines.append(
            f"| {label} | {row['median'] * 1000:.1f} | {row['p95'] * 1000:.1f} | {row['queries']}"
            f" | {row['bytes'] / 1024:.0f} | {ratio:.2f}× |"
        )
    draft = dict(rows)["draft page (anonymous)"]
    lines += [
        "",
        f"**Draft page: {draft['median'] * 1000:.1f} ms median — goal ≤ {GOAL_MS} ms"
        f" {'met' if met(rows) else 'NOT met'}.**",
        "",
    ]
    return lines


def met(rows):
    return dict(rows)["draft page (anonymous)"]["median"] * 1000 <= GOAL_MS


def write_report(args, command, rows, facts, checks, elapsed):
    from bench.run import write_standalone_report

    section = section_lines(rows, facts, args.repeats)
    write_standalone_report(
        args.output, "# Regulation draft benchmarks", command, args.smoke, section, checks, elapsed
    )
    log(f"wrote {args.output}")


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    command = " ".join([".venv/bin/python", "bench/drafts.py", *sys.argv[1:]])
    from bench import seed

    log(f"database {args.database_url} (recreated)")
    seed.ensure_database(args.database_url, recreate=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    checks = []
    try:
        rows, facts = run_drafts(args.clauses, args.comments, args.repeats, checks)
    except AssertionError as error:
        log(f"HARNESS PROBLEM: {error}")
        return 1
    write_report(args, command, rows, facts, checks, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
