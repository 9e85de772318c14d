"""Benchmark the effectiveness dashboard (issue 21, "Speed").

``make bench`` runs it inside ``bench/run.py`` (part ``effectiveness``); alone it writes
bench/RESULTS-effectiveness.md in a database of its own:

    .venv/bin/python bench/effectiveness.py           # 200 calls, 1,000,000 submissions
    .venv/bin/python bench/effectiveness.py --smoke   # tiny sizes

The goal: the dashboard over 200 calls, 1,000,000 submissions, 100,000 clause comments
and 5,000 commitments costs no more than 2× an uncached StandardPage with 30 blocks,
measured in the same run, with the same query count at 1/100 of the data. The data is
written with COPY and bulk_create (not the services): first 1/100 of it, counted and
measured, then the rest, counted and measured again. The figures are precomputed by
``participation.impact.effectiveness.refresh`` (a background task in production); its
time is reported too. Exits non-zero only when the harness breaks, never for a timing.
"""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import site_package  # noqa: E402

site_package.activate()
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.bench"
os.environ["HADAF_PAGE_CACHE_SECONDS"] = "0"
os.environ.pop("REDIS_URL", None)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_effectiveness"
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_effectiveness_smoke"
GOAL_RATIO = 2.0
FULL = {"calls": 200, "submissions": 1_000_000, "comments": 100_000, "commitments": 5000}
SMOKE = {"calls": 20, "submissions": 4000, "comments": 400, "commitments": 60}
UNIVERSITIES = [f"دانشگاه سنجه {index}" for index in range(30)]
ROLES = ["student", "faculty", "staff"]
AUTHORS = 2000
CLAUSES = 50


def log(message):
    print(f"[effectiveness] {message}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--output", default=None)
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (3 if args.smoke else 20)
    args.output = args.output or str(
        ROOT / "bench" / f"RESULTS-effectiveness{'-smoke' if args.smoke else ''}.md"
    )
    args.database_url = os.environ.get("BENCH_EFFECTIVENESS_DATABASE_URL") or (
        SMOKE_URL if args.smoke else DEFAULT_URL
    )
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    return args


def _table(model):
    return model._meta.db_table


def seed_people():
    from participation.people.models import University, User

    universities = University.objects.bulk_create(
        [University(name=name) for name in UNIVERSITIES], ignore_conflicts=True
    )
    universities = list(University.objects.filter(name__in=UNIVERSITIES))
    users = User.objects.bulk_create(
        [
            User(
                email=f"eff-bench-{index}@bench.test",
                role=ROLES[index % 3],
                university=universities[index % len(universities)],
            )
            for index in range(AUTHORS)
        ]
    )
    return universities, users


def add_calls(calls_index, count, start, rng):
    """``count`` call pages: 85% surveys, 10% drafts, 5% idea calls (at least one of each)."""
    from django.db import transaction
    from django.utils import timezone

    from pages.models import IdeaCallPage, RegulationDraftPage, SurveyCampaignPage

    made = {"survey": [], "draft": [], "idea": []}
    now = timezone.now()
    for index in range(start, start + count):
        position = index - start
        if position == 0:
            kind = "draft"
        elif position == 1:
            kind = "idea"
        else:
            kind = "draft" if index % 10 == 0 else "idea" if index % 20 == 1 else "survey"
        opens = now - datetime.timedelta(days=rng.randint(60, 700))
        closes = opens + datetime.timedelta(days=rng.randint(14, 45))
        outcome = closes + datetime.timedelta(days=rng.randint(5, 60))
        fields = {
            "title": f"فراخوان سنجهٔ اثربخشی {index}",
            "slug": f"eff-{index}",
            "opens_at": opens,
            "closes_at": closes,
            "outcome_published_at": outcome if outcome < now else None,
        }
        model = {
            "survey": SurveyCampaignPage,
            "draft": RegulationDraftPage,
            "idea": IdeaCallPage,
        }[kind]
        page = model(**fields)
        with transaction.atomic():
            calls_index.add_child(instance=page)
            page.save_revision().publish()
        made[kind].append(page)
    return made


def add_submissions(surveys, count, rng):
    """``count`` survey submissions through COPY, spread over the surveys, universities,
    roles and the months each survey was open."""
    from django.db import connection, transaction

    from participation.submissions.models import Submission

    columns = (
        "uuid, call_id, call_key, language, status, respondent_role, respondent_university,"
        " started_at, submitted_at, updated_at, edit_token_hash, is_speeder,"
        " is_straightliner, excluded_from_results, awaiting_mix"
    )
    done = 0
    while done < count:
        batch = min(50_000, count - done)
        with transaction.atomic(), connection.cursor() as wrapper:
            cursor = wrapper.cursor
            with cursor.copy(f"COPY {_table(Submission)} ({columns}) FROM STDIN") as copy:
                for index in range(done, done + batch):
                    survey = surveys[index % len(surveys)]
                    span = max(1, int((survey.closes_at - survey.opens_at).total_seconds()))
                    when = survey.opens_at + datetime.timedelta(seconds=rng.randrange(span))
                    copy.write_row(
                        (
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            survey.pk,
                            survey.translation_key,
                            "fa",
                            "withdrawn" if index % 50 == 0 else "submitted",
                            ROLES[index % 3],
                            UNIVERSITIES[index % len(UNIVERSITIES)],
                            when - datetime.timedelta(minutes=5),
                            when,
                            when,
                            "",
                            False,
                            False,
                            False,
                            False,
                        )
                    )
        done += batch
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_table(Submission)}")


def add_comments(drafts, users, count, offset, rng):
    """``count`` clause comments (bulk_create) and a decision on most of their clauses."""
    from django.utils import timezone

    from participation.drafts.models import ClauseComment, ClauseDecision

    outcomes = ["accepted", "partly", "rejected", "out_of_scope"]
    decisions = [
        ClauseDecision(
            call_key=draft.translation_key,
            round_number=1,
            clause_id=f"clause-{clause}",
            outcome=outcomes[clause % 4],
            reason="سنجه",
            notified_at=timezone.now() if clause % 3 else None,
        )
        for draft in drafts
        for clause in range(CLAUSES)
        if clause % 5
    ]
    ClauseDecision.objects.bulk_create(decisions, batch_size=5000)
    comments = []
    for index in range(offset, offset + count):
        draft = drafts[index % len(drafts)]
        author = users[index % len(users)]
        comments.append(
            ClauseComment(
                call=draft,
                call_key=draft.translation_key,
                round_number=1,
                # (draft, clause, author) never repeats: one stance per person per clause.
                clause_id=f"clause-{(index // len(users)) % CLAUSES}",
                kind="clause" if (index // (len(users) * CLAUSES)) % 2 == 0 else "new_clause",
                body="دیدگاه سنجه",
                author=author,
                author_role=author.role,
                language="fa",
                moderation_state="published",
            )
        )
    ClauseComment.objects.bulk_create(comments, batch_size=5000)
    when = draft.opens_at + datetime.timedelta(days=3)
    ClauseComment.objects.filter(call_key__in=[d.translation_key for d in drafts]).update(
        created_at=when
    )
    return ClauseDecision.objects.filter(
        call_key__in=[draft.translation_key for draft in drafts]
    ).order_by("pk")


def add_ideas(idea_calls, users, count):
    from participation.ideas.models import Idea

    statuses = ["draft", "submitted", "winner", "mention", "not_selected", "ineligible"]
    return Idea.objects.bulk_create(
        [
            Idea(
                call=idea_calls[index % len(idea_calls)],
                call_key=idea_calls[index % len(idea_calls)].translation_key,
                language="fa",
                kind="idea",
                title=f"ایدهٔ سنجه {index}",
                summary="خلاصه",
                status=statuses[index % len(statuses)],
                created_by=users[index % len(users)],
                submitted_at=idea_calls[index % len(idea_calls)].opens_at,
            )
            for index in range(count)
        ],
        batch_size=5000,
    )


def add_commitments(calls, decisions, ideas, count, universities):
    """``count`` commitments (bulk_create) citing decisions and ideas, a quarter done."""
    from participation.impact.models import Commitment, CommitmentSource, CommitmentUpdate

    pages = [page for kind in ("draft", "idea", "survey") for page in calls[kind]]
    kinds = {page.pk: kind for kind in calls for page in calls[kind]}
    statuses = ["planned", "in_progress", "done", "dropped"]
    made = Commitment.objects.bulk_create(
        [
            Commitment(
                call=pages[index % len(pages)],
                call_key=pages[index % len(pages)].translation_key,
                call_kind=kinds[pages[index % len(pages)].pk],
                title=f"تعهد سنجه {index}",
                responsible_unit="دفتر سنجه",
                university=universities[index % len(universities)] if index % 2 else None,
                status=statuses[index % 4],
                progress=100 if statuses[index % 4] == "done" else 40,
                status_reason="دلیل" if statuses[index % 4] == "dropped" else "",
            )
            for index in range(count)
        ],
        batch_size=5000,
    )
    decisions, ideas = list(decisions), list(ideas)
    sources, updates = [], []
    for index, commitment in enumerate(made):
        if commitment.call_kind == "draft" and decisions:
            decision = decisions[index % len(decisions)]
            sources.append(
                CommitmentSource(
                    commitment=commitment,
                    kind="clause_decision",
                    call_key=decision.call_key,
                    object_id=decision.pk,
                )
            )
        elif commitment.call_kind == "idea" and ideas:
            idea = ideas[index % len(ideas)]
            sources.append(
                CommitmentSource(
                    commitment=commitment, kind="idea", call_key=idea.call_key, object_id=idea.pk
                )
            )
        if commitment.status == "done":
            page = commitment.call
            outcome = page.outcome_published_at or page.closes_at
            updates.append(
                CommitmentUpdate(
                    commitment=commitment,
                    kind="changed",
                    date=(outcome + datetime.timedelta(days=30 + index % 90)).date(),
                    status="done",
                    previous_status="in_progress",
                    progress=100,
                )
            )
    CommitmentSource.objects.bulk_create(sources, batch_size=5000)
    CommitmentUpdate.objects.bulk_create(updates, batch_size=5000)


def seed_share(sizes, share, start, calls_index, people, rng):
    """Add ``share`` of ``sizes`` (calls numbered from ``start``)."""
    universities, users = people
    part = {name: max(1, round(value * share)) for name, value in sizes.items()}
    part["calls"] = max(3, part["calls"])
    started = time.perf_counter()
    calls = add_calls(calls_index, part["calls"], start, rng)
    add_submissions(calls["survey"], part["submissions"], rng)
    decisions = add_comments(calls["draft"], users, part["comments"], 0, rng)
    ideas = add_ideas(calls["idea"], users, max(10, part["submissions"] // 500))
    add_commitments(calls, decisions, ideas, part["commitments"], universities)
    log(f"seeded {part} in {time.perf_counter() - started:.0f} s")
    return part


COLD = "(body rendered afresh: once per recount and language)"


def forget_editors_body():
    """Drop the editors' cached dashboard body, so the next request renders it."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import translation

    from participation.impact import effectiveness
    from participation.impact.models import FigureScope

    with translation.override("fa"):
        board = effectiveness.dashboard(FigureScope.EDITORS)
        cache.delete(
            effectiveness.body_key(
                FigureScope.EDITORS, board.refreshed_at, reverse("impact_effectiveness_xlsx")
            )
        )


def measure_all(client, editor, baseline_url, repeats):
    """The baseline, both pages as served (the body rendered once per recount, then read
    from the cache), and the editors' page with its body rendered on every request."""
    from django.urls import reverse

    from bench.content import measure_page

    editor_client = client.__class__()
    editor_client.force_login(editor)
    url = reverse("impact_effectiveness")
    return [
        (
            "baseline: StandardPage with 30 blocks, uncached",
            measure_page(client, baseline_url, repeats),
        ),
        (
            "dashboard (editors, Wagtail admin)",
            measure_page(editor_client, url, repeats, prime=True),
        ),
        (
            "public summary",
            measure_page(client, reverse("impact:effectiveness"), repeats, prime=True),
        ),
        (
            f"dashboard (editors) {COLD}",
            # The forgetting (one query and a cache delete) is timed with the request.
            measure_page(editor_client, url, repeats, prime=True, before=forget_editors_body),
        ),
    ]


def run_effectiveness(smoke, repeats, checks):
    """Seed 1/100 of the data, count and measure; seed the rest, count and measure.

    Returns:
        dict: the facts and both rounds' rows.
    """
    from django.test import Client

    from bench import content, seed
    from participation.impact import effectiveness
    from participation.people.models import User

    sizes = SMOKE if smoke else FULL
    share = 0.1 if smoke else 0.01
    rng = random.Random(2121)  # noqa: S311 - benchmark data
    from pages.models import StandardPage

    # Within ``bench/run.py`` the blocks part may have made the 30-block pages already.
    standard = StandardPage.objects.filter(slug=content.BLOCKS_BASELINE_SLUG).first()
    if standard is None:
        _call, standard = content.create_block_pages()
    _home, calls_index = seed.ensure_tree()
    people = seed_people()
    editor = User.objects.create_superuser(email="eff-editor@bench.test", password=None)
    client = Client()
    rounds = []
    small = seed_share(sizes, share, 0, calls_index, people, rng)
    for label, part in (("1/100", small), ("full", None)):
        if part is None:
            rest = {name: value - small[name] for name, value in sizes.items()}
            part = seed_share(rest, 1.0, small["calls"], calls_index, people, rng)
            part = {name: small[name] + part[name] for name in part}
        started = time.perf_counter()
        rows_written = effectiveness.refresh()
        refresh_seconds = time.perf_counter() - started
        total = effectiveness.dashboard().total
        log(
            f"{label}: refresh {refresh_seconds:.1f} s, {rows_written:,} grain rows,"
            f" {total.contributions:,} contributions, {total.commitments:,} commitments"
        )
        rows = measure_all(client, editor, standard.url, repeats)
        for name, row in rows:
            log(f"{label} {name}: {row['median'] * 1000:.1f} ms median, {row['queries']} queries")
        rounds.append(
            {
                "label": label,
                "sizes": part,
                "refresh": refresh_seconds,
                "grain": rows_written,
                "contributions": total.contributions,
                "rows": rows,
            }
        )
    small_queries = [row["queries"] for _name, row in rounds[0]["rows"][1:]]
    full_queries = [row["queries"] for _name, row in rounds[1]["rows"][1:]]
    if small_queries != full_queries:
        raise AssertionError(f"query counts grew: {small_queries} → {full_queries}")
    checks.append(f"effectiveness: the same query count at 1/100 and at full size ({full_queries})")
    return rounds


def section_lines(rounds, repeats, heading="##"):
    full = rounds[-1]
    baseline = full["rows"][0][1]["median"]
    sizes = full["sizes"]
    lines = [
        f"{heading} Effectiveness dashboard: {sizes['calls']:,} calls,"
        f" {sizes['submissions']:,} submissions, {sizes['comments']:,} clause comments,"
        f" {sizes['commitments']:,} commitments vs an uncached StandardPage with 30 blocks",
        "",
        "Data written with COPY / bulk_create; the figures precomputed by"
        " `participation.impact.effectiveness.refresh` (a background task in production:"
        " `manage.py refresh_effectiveness --queue` from cron, or the editors' «Recount»)."
        f" Each page requested in process with Django's test client, {repeats} timed"
        " requests after warm-up ones; the dashboard as a superuser.",
        "",
        f"Goal (issue 21): the dashboard's median ≤ {GOAL_RATIO:.0f}× the StandardPage's,"
        " with the same query count at 1/100 of the data.",
        "",
        "| data | page | median ms | p95 ms | queries | KiB | vs baseline |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for entry in rounds:
        base = entry["rows"][0][1]["median"]
        for name, row in entry["rows"]:
            ratio = row["median"] / base if base else 0
            lines.append(
                f"| {entry['label']} | {name} | {row['median'] * 1000:.1f} |"
                f" {row['p95'] * 1000:.1f} | {row['queries']} | {row['bytes'] / 1024:.0f} |"
                f" {ratio:.2f}× |"
            )
    lines.append("")
    for entry in rounds:
        lines.append(
            f"- {entry['label']}: recount {entry['refresh']:.1f} s"
            f" ({entry['grain']:,} grain rows, {entry['contributions']:,} contributions)"
        )
    served = [row["median"] for name, row in full["rows"][1:] if COLD not in name]
    cold = [row["median"] for name, row in full["rows"][1:] if COLD in name]
    worst = max(served) / baseline if baseline else 0
    lines += [
        "",
        f"**Slowest dashboard page as served: {worst:.2f}× the StandardPage — goal"
        f" ≤ {GOAL_RATIO:.0f}× {'met' if worst <= GOAL_RATIO else 'NOT met'}.**",
        "",
    ]
    if cold and baseline:
        lines += [
            "The pages render their figures once per recount and language and keep the HTML"
            " in the cache (`effectiveness.body`, keyed by scope, language, threshold and the"
            " time of the recount): a request reads that time (one query) and the cached body."
            f" The first request after a recount renders it: {cold[0] * 1000:.1f} ms for the"
            f" editors' page, {cold[0] / baseline:.2f}× the StandardPage (the calls' table"
            " shows the 50 with the most contributions; the XLSX has all of them). Here the"
            " cache is the process's memory; production's is Redis (one GET of the body).",
            "",
        ]
    return lines


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    command = " ".join([".venv/bin/python", "bench/effectiveness.py", *sys.argv[1:]])
    from bench import seed

    log(f"database {args.database_url} (recreated)")
    seed.ensure_database(args.database_url, recreate=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    checks = []
    try:
        rounds = run_effectiveness(args.smoke, args.repeats, checks)
    except AssertionError as error:
        log(f"HARNESS PROBLEM: {error}")
        return 1
    from bench.run import write_standalone_report

    write_standalone_report(
        args.output,
        "# Effectiveness dashboard benchmark",
        command,
        args.smoke,
        section_lines(rounds, args.repeats),
        checks,
        time.perf_counter() - started,
    )
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
