"""Benchmark the jury's ranking of an idea call.

``make bench`` runs these measurements inside ``bench/run.py`` (a section of
bench/RESULTS.md, part ``ideas``); alone, this script does the same in a database of
its own and writes bench/RESULTS-ideas.md:

    .venv/bin/python bench/ideas.py            # 2,000 submissions × 5 reviews × 6 criteria
    .venv/bin/python bench/ideas.py --smoke    # tiny sizes

The goal (issue 6): ranking 2,000 submissions × 5 reviews × 6 criteria, normalization
included, in ≤ 200 ms median. Beside it, in the same run, the baseline: the same
ranking computed the way the ORM invites, per submission and per juror — each juror's
mean and spread from a query over their reviews' weighted scores, then per submission
one query for its reviews' weighted scores and one for its per-criterion means (what an
editor's screen would otherwise cost). Both must give the same numbers.

Submissions, authors and jurors (with universities, so conflicts of interest count) are
bulk-created; reviewers are assigned with ``jury.assign_reviewers`` (timed once) and
every review is scored by a juror with a leniency of their own. Uses its own
PostgreSQL database (``BENCH_IDEAS_DATABASE_URL``, default ``hadaf_bench_ideas``),
recreated at the start. Exits non-zero only when the harness breaks (the two rankings
disagree, reviews are missing), never because of a timing.
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
os.environ.pop("REDIS_URL", None)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_ideas"
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_ideas_smoke"
GOAL_MS = 200
SIZES = {
    # name: (full, smoke)
    "submissions": (2000, 60),
    "reviews": (5, 3),
    "criteria": (6, 4),
    "jurors": (60, 12),
    "repeats": (30, 5),
    "baseline_repeats": (5, 2),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--submissions", type=int, default=None, help="in jury review (2000)")
    parser.add_argument("--reviews", type=int, default=None, help="reviews per submission (5)")
    parser.add_argument("--criteria", type=int, default=None, help="criteria of the call (6)")
    parser.add_argument("--jurors", type=int, default=None, help="jurors of the call (60)")
    parser.add_argument("--repeats", type=int, default=None, help="timed rankings (30)")
    parser.add_argument("--baseline-repeats", type=int, default=None, help="(5)")
    parser.add_argument("--output", default=None)
    args = parser.parse_args(argv)
    apply_defaults(args, args.smoke)
    if args.output is None:
        args.output = str(
            ROOT / "bench" / ("RESULTS-ideas-smoke.md" if args.smoke else "RESULTS-ideas.md")
        )
    args.database_url = os.environ.get("BENCH_IDEAS_DATABASE_URL") or (
        SMOKE_URL if args.smoke else DEFAULT_URL
    )
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    return args


def apply_defaults(args, smoke):
    """Fill the sizes ``args`` leaves at None (bench/run.py has the same as --idea-…)."""
    for name, (full, small) in SIZES.items():
        if getattr(args, name, None) is None:
            setattr(args, name, small if smoke else full)


def log(message):
    print(f"[ideas] {message}", flush=True)


# Seeding ------------------------------------------------------------------------------------


def criteria_blocks(count):
    """``count`` criteria with weights 1–3 and highest scores of 5, 10 or 20."""
    import uuid

    names = ["نوآوری", "اثرگذاری", "امکان‌پذیری", "مشارکت", "پایداری", "هزینه"]
    return [
        {
            "type": "criterion",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hadaf-bench-ideas:criterion:{index}")),
            "value": {
                "name": f"{names[index % len(names)]} {index + 1}",
                "description": "",
                "weight": 1 + index % 3,
                "max_score": (10, 5, 20)[index % 3],
            },
        }
        for index in range(count)
    ]


def create_call(criteria, reviews):
    from django.utils import timezone

    from bench import seed
    from pages.models import IdeaCallPage

    _home, calls = seed.ensure_tree()
    now = timezone.now()
    page = IdeaCallPage(
        title="فراخوان ایده‌ها (سنجه)",
        slug="bench-ideas",
        opens_at=now - timezone.timedelta(days=40),
        closes_at=now - timezone.timedelta(days=10),
        themes=[
            {
                "type": "theme",
                "id": "00000000-0000-4000-8000-000000000001",
                "value": {"name": "فرهنگ", "description": ""},
            }
        ],
        criteria=criteria_blocks(criteria),
        reviews_per_submission=reviews,
        blind_review=True,
    )
    calls.add_child(instance=page)
    page.save_revision().publish()
    return IdeaCallPage.objects.get(pk=page.pk)


def seed_call(page, submissions, jurors, rng):
    """Authors, jurors and ``submissions`` ideas in jury review; assign their reviewers.

    Returns:
        tuple: (the report of ``assign_reviewers``, its seconds).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from participation.ideas import jury
    from participation.ideas.choices import CoAuthorStatus, IdeaKind, IdeaStatus
    from participation.ideas.models import Idea, IdeaAuthor, JuryMember
    from participation.people.models import University

    user_model = get_user_model()
    unusable = make_password(None)  # nobody signs in: the views are not measured here
    universities = University.objects.bulk_create(
        University(name=f"دانشگاه سنجه {index}", email_domains=f"u{index}.bench.test")
        for index in range(12)
    )
    people = user_model.objects.bulk_create(
        user_model(
            email=f"ideas-bench-{kind}-{index:05d}@bench.hadaf.test",
            first_name="بنچ",
            last_name=str(index),
            role="faculty",
            university=rng.choice(universities),
            password=unusable,
        )
        for kind, count in (("author", max(10, submissions // 4)), ("juror", jurors))
        for index in range(count)
    )
    authors = [person for person in people if "-author-" in person.email]
    panel = [person for person in people if "-juror-" in person.email]
    JuryMember.objects.bulk_create(
        JuryMember(call_key=page.call_key, person=person) for person in panel
    )
    now = timezone.now()
    leads = [rng.choice(authors) for _ in range(submissions)]
    ideas = Idea.objects.bulk_create(
        (
            Idea(
                call=page,
                call_key=page.call_key,
                language="fa",
                kind=IdeaKind.IDEA,
                category="00000000-0000-4000-8000-000000000001",
                title=f"ایدهٔ شمارهٔ {index + 1}",
                summary="خلاصهٔ ایده برای سنجه",
                body="متن کامل ایده برای سنجه",
                created_by=lead,
                status=IdeaStatus.IN_REVIEW,
                submitted_at=now,
            )
            for index, lead in enumerate(leads)
        ),
        batch_size=2000,
    )
    IdeaAuthor.objects.bulk_create(
        (
            IdeaAuthor(
                idea=idea,
                person=lead,
                email=lead.email,
                is_lead=True,
                status=CoAuthorStatus.ACCEPTED,
                responded_at=now,
            )
            for idea, lead in zip(ideas, leads, strict=True)
        ),
        batch_size=2000,
    )
    started = time.perf_counter()
    report = jury.assign_reviewers(page, actor=None)
    return report, time.perf_counter() - started


def score_everything(page, rng):
    """Score every assignment: a submission's quality plus the juror's leniency and noise."""
    from participation.ideas import jury
    from participation.ideas.choices import AssignmentStatus
    from participation.ideas.models import CriterionScore, ReviewAssignment

    criteria = jury.criteria_of(page)
    assignments = list(
        ReviewAssignment.objects.filter(idea__call_key=page.call_key).values_list(
            "pk", "idea_id", "reviewer_id"
        )
    )
    quality, leniency = {}, {}
    rows = []
    for review_id, idea_id, reviewer_id in assignments:
        merit = quality.setdefault(idea_id, rng.uniform(0.2, 0.9))
        bias = leniency.setdefault(reviewer_id, rng.uniform(-0.25, 0.25))
        for criterion in criteria:
            share = merit + bias + rng.gauss(0, 0.08)
            value = round(min(1.0, max(0.0, share)) * criterion.max_score)
            rows.append(CriterionScore(review_id=review_id, criterion_id=criterion.id, score=value))
    CriterionScore.objects.bulk_create(rows, batch_size=5000)
    from django.utils import timezone

    ReviewAssignment.objects.filter(idea__call_key=page.call_key).update(
        status=AssignmentStatus.SCORED, scored_at=timezone.now(), comment="ارزیابی سنجه"
    )
    return len(assignments), len(rows)


def analyze():
    """Fresh planner statistics, as autovacuum keeps them on a live database (after a bulk
    load PostgreSQL would otherwise plan for the empty tables it last saw)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# The baseline ---------------------------------------------------------------------------------


def baseline_ranking(page):
    """The same ranking the way the ORM invites: queries per juror and per submission.

    Each review's weighted score is a database annotation (a CASE per criterion); each
    juror's mean and spread come from their reviews (one query per juror); then each
    submission's reviews (one query) and its per-criterion means (another).
    """
    from django.db.models import Avg, F, FloatField, Sum, Value, When
    from django.db.models import Case as SqlCase

    from participation.ideas import jury
    from participation.ideas.choices import AssignmentStatus
    from participation.ideas.models import CriterionScore, Idea, JuryMember, ReviewAssignment

    criteria = [c for c in jury.criteria_of(page) if c.weight > 0 and c.max_score > 0]
    ids = [c.id for c in criteria]
    points = Sum(
        SqlCase(
            *(
                When(scores__criterion_id=c.id, then=F("scores__score") * (c.weight / c.max_score))
                for c in criteria
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    weight = Sum(
        SqlCase(
            *(When(scores__criterion_id=c.id, then=Value(float(c.weight))) for c in criteria),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    scored = ReviewAssignment.objects.filter(
        idea__call_key=page.call_key,
        idea__status__in=jury.RANKED_STATUSES,
        status=AssignmentStatus.SCORED,
    )

    def weighted(reviews):
        return [
            (reviewer_id, 100 * total / weights)
            for reviewer_id, total, weights in reviews.annotate(points=points, weight=weight)
            .filter(weight__gt=0)
            .values_list("reviewer_id", "points", "weight")
        ]

    everything, stats = [], {}
    for reviewer_id in JuryMember.objects.filter(call_key=page.call_key).values_list(
        "person_id", flat=True
    ):
        raws = [raw for _reviewer, raw in weighted(scored.filter(reviewer_id=reviewer_id))]
        if raws:
            mean = sum(raws) / len(raws)
            sd = (sum((raw - mean) ** 2 for raw in raws) / len(raws)) ** 0.5
            stats[reviewer_id] = (mean, sd, len(raws))
            everything += raws
    overall_mean = sum(everything) / len(everything) if everything else 0.0
    overall_sd = (
        (sum((raw - overall_mean) ** 2 for raw in everything) / len(everything)) ** 0.5
        if everything
        else 0.0
    )

    def normalize(reviewer_id, raw):
        mean, sd, count = stats[reviewer_id]
        if count > 1 and sd > 1e-9:
            value = overall_mean + (raw - mean) / sd * overall_sd
        else:
            value = raw - mean + overall_mean
        return min(100.0, max(0.0, value))

    results = {}
    for idea in Idea.objects.filter(call_key=page.call_key, status__in=jury.RANKED_STATUSES):
        reviews = weighted(scored.filter(idea=idea))
        normalized = [normalize(reviewer_id, raw) for reviewer_id, raw in reviews]
        means = dict(
            CriterionScore.objects.filter(review__in=scored.filter(idea=idea), criterion_id__in=ids)
            .values("criterion_id")
            .annotate(mean=Avg("score"))
            .values_list("criterion_id", "mean")
        )
        results[idea.pk] = (
            sum(normalized) / len(normalized) if normalized else None,
            max(normalized) - min(normalized) if normalized else 0.0,
            means,
        )
    return sorted(
        results.items(),
        key=lambda item: (item[1][0] is None, -(item[1][0] or 0.0), item[0]),
    )


def check_same(ours, baseline):
    """The two rankings give every submission the same score, spread and criterion means."""
    theirs = dict(baseline)
    if len(ours) != len(theirs):
        raise AssertionError(f"{len(ours)} ranked submissions, baseline {len(theirs)}")
    for entry in ours:
        score, spread, means = theirs[entry.idea_id]
        if (score is None) != (entry.score is None):
            raise AssertionError(f"submission {entry.idea_id}: scored on one side only")
        if score is not None and (
            abs(score - entry.score) > 1e-6 or abs(spread - entry.spread) > 1e-6
        ):
            raise AssertionError(f"submission {entry.idea_id}: {entry.score} vs baseline {score}")
        if any(
            abs(float(means[key]) - value) > 1e-6 for key, value in entry.criterion_means.items()
        ):
            raise AssertionError(f"submission {entry.idea_id}: criterion means differ")


# Measuring ----------------------------------------------------------------------------------


def measure(function, repeats, warmup=1):
    """Seconds per call (median, p95), every sample, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import benchmarks

    with CaptureQueriesContext(connection) as queries:
        function()
    samples = benchmarks.timed(function, repeats, warmup=max(0, warmup - 1))
    return {
        "median": benchmarks.median(samples),
        "p95": benchmarks.p95(samples),
        "samples": samples,
        "queries": len(queries),
    }


def run_ideas(submissions, reviews, criteria, jurors, repeats, baseline_repeats, checks):
    """Seed a call and measure its ranking beside the baseline, in the current database.

    Returns:
        tuple: (rows as (label, measurement) with the baseline first, facts).
    """
    from participation.ideas import jury

    rng = random.Random(606)  # benchmark data
    started = time.perf_counter()
    page = create_call(criteria, reviews)
    report, assign_seconds = seed_call(page, submissions, jurors, rng)
    assigned, scores = score_everything(page, rng)
    analyze()
    log(
        f"{submissions:,} submissions, {assigned:,} reviews, {scores:,} scores seeded in"
        f" {time.perf_counter() - started:.1f} s (assignment {assign_seconds * 1000:.0f} ms,"
        f" {len(report.short)} short)"
    )
    if assigned != submissions * reviews or report.short:
        raise AssertionError(
            f"{assigned:,} reviews assigned, {submissions * reviews:,} planned;"
            f" {len(report.short)} submissions short"
        )
    checks.append(
        f"ideas: every one of {submissions:,} submissions got {reviews} reviewers without a"
        f" conflict of interest ({assigned:,} reviews, {scores:,} scores)"
    )
    ranked = jury.ranking(page)
    check_same(ranked, baseline_ranking(page))
    checks.append(
        "ideas: our ranking and the baseline's give every submission the same normalized"
        " score, spread and per-criterion means"
    )
    ours = measure(lambda: jury.ranking(page), repeats, warmup=2)
    log(f"ranking: {ours['median'] * 1000:.1f} ms median, {ours['queries']} queries")
    baseline = measure(lambda: baseline_ranking(page), baseline_repeats)
    log(f"baseline: {baseline['median'] * 1000:.1f} ms median, {baseline['queries']} queries")
    facts = {
        "submissions": submissions,
        "reviews": reviews,
        "criteria": criteria,
        "jurors": jurors,
        "scores": scores,
        "assign_ms": assign_seconds * 1000,
        "disagreements": sum(entry.disagreement for entry in ranked),
        "repeats": repeats,
        "baseline_repeats": baseline_repeats,
    }
    return [("baseline: ORM queries per juror and per submission", baseline), ("ours", ours)], facts


def ours_and_baseline(rows):
    measured = dict(rows)
    return measured["ours"], rows[0][1]


def met(rows):
    return ours_and_baseline(rows)[0]["median"] * 1000 <= GOAL_MS


def summary_row(rows, facts, number=8):
    """The RESULTS.md summary line: (benchmark, ours, baseline, ratio, goal, verdict)."""
    ours, baseline = ours_and_baseline(rows)
    return (
        f"{number}. Jury ranking, {facts['submissions']:,} submissions × {facts['reviews']}"
        f" reviews × {facts['criteria']} criteria (ms)",
        f"{ours['median'] * 1000:,.1f} (p95 {ours['p95'] * 1000:,.1f})",
        f"{baseline['median'] * 1000:,.1f} (p95 {baseline['p95'] * 1000:,.1f})",
        f"{baseline['median'] / ours['median']:,.0f}× faster",
        f"≤ {GOAL_MS} ms",
        "met" if met(rows) else "**NOT met**",
    )


def section_lines(rows, facts, heading="##"):
    """The report's ideas section (Markdown lines)."""
    from participation.ideas.jury import DISAGREEMENT_SPREAD

    ours, _baseline = ours_and_baseline(rows)
    lines = [
        f"{heading} Idea calls: the jury's ranking of {facts['submissions']:,} submissions ×"
        f" {facts['reviews']} reviews × {facts['criteria']} criteria vs per-submission ORM"
        " queries",
        "",
        f"An idea call with {facts['submissions']:,} submissions in jury review, {facts['jurors']}"
        f" jurors from 12 universities, {facts['reviews']} reviewers per submission assigned by"
        f" `jury.assign_reviewers` ({facts['assign_ms']:,.0f} ms, conflicts of interest"
        f" included) and {facts['scores']:,} criterion scores, each juror with a leniency of"
        " their own; PostgreSQL, `site.settings.bench`. Ours: `jury.ranking(page)` — weighted"
        " scores, per-juror z-score normalization, disagreement flags, per-criterion means —"
        f" timed {facts['repeats']} times after 2 warm-up runs, queries included. Baseline:"
        " the same numbers computed the way the ORM invites (each juror's mean and spread from"
        " a query over their reviews' weighted scores, then per submission one query for its"
        " reviews and one for its per-criterion means), timed"
        f" {facts['baseline_repeats']} times. Both give the same scores (checked).",
        "",
        f"Goal (issue 6): ≤ {GOAL_MS} ms median, normalization included.",
        "",
        "| side | median ms | p95 ms | queries | baseline ÷ side |",
        "|---|---:|---:|---:|---:|",
    ]
    baseline = rows[0][1]
    for label, row in rows:
        lines.append(
            f"| {label} | {row['median'] * 1000:,.1f} | {row['p95'] * 1000:,.1f} |"
            f" {row['queries']:,} | {baseline['median'] / row['median']:,.1f}× |"
        )
    lines += [
        "",
        f"Submissions flagged for disagreement (normalized spread above"
        f" {DISAGREEMENT_SPREAD:g} points): {facts['disagreements']:,}.",
        "",
        f"**Ranking: {ours['median'] * 1000:.1f} ms median — goal ≤ {GOAL_MS} ms"
        f" {'met' if met(rows) else 'NOT met'}.**",
        "",
    ]
    return lines


def write_report(args, command, rows, facts, checks, elapsed):
    from bench.run import write_standalone_report

    section = section_lines(rows, facts)
    write_standalone_report(
        args.output, "# Idea call benchmarks", command, args.smoke, section, checks, elapsed
    )
    log(f"wrote {args.output}")


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    command = " ".join([".venv/bin/python", "bench/ideas.py", *sys.argv[1:]])
    from bench import seed

    log(f"database {args.database_url} (recreated)")
    seed.ensure_database(args.database_url, recreate=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    checks = []
    try:
        rows, facts = run_ideas(
            args.submissions,
            args.reviews,
            args.criteria,
            args.jurors,
            args.repeats,
            args.baseline_repeats,
            checks,
        )
    except AssertionError as error:
        log(f"HARNESS PROBLEM: {error}")
        return 1
    write_report(args, command, rows, facts, checks, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
