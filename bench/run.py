"""Run every benchmark beside its baseline and write bench/RESULTS.md.

    .venv/bin/python bench/run.py                 # the full set (make bench)
    .venv/bin/python bench/run.py --smoke         # tiny sizes, for CI (make bench-smoke)
    .venv/bin/python bench/run.py --parts cache,blocks   # some of them

The parts, in the order they run (``--parts`` picks some):

* results: survey results at 10k, 100k and 1M answers (and 100k submissions) vs
  wagtail.contrib.forms, with the exports (XLSX, CSV; rows/s, peak RSS) at each size;
* submissions: survey POSTs vs FormPage POSTs through gunicorn, stored rows counted;
* blocks: the uncached render of a call page with 30 blocks vs a StandardPage;
* cache: that page from the page cache (Redis) vs whitenoise serving the same bytes;
* drafts: the regulation draft page (200 clauses, 10,000 comments) vs a StandardPage;
* api: ``/api/v2/pages/`` over 1,000 survey pages, the project's viewset vs Wagtail's own;
* effectiveness: the effectiveness dashboard over 200 calls, 1M submissions, 100k comments
  and 5,000 commitments (and at 1/100 of it) vs an uncached StandardPage with 30 blocks;
* ideas: the jury's ranking of 2,000 submissions × 5 reviews × 6 criteria vs the same
  ranking from ORM queries per juror and per submission.

Uses its own PostgreSQL database (``BENCH_DATABASE_URL``, default ``hadaf_bench``; the
smoke run uses ``hadaf_bench_smoke``), recreated at the start, so the tests' database is
never touched, and its own Redis database (``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/13``, emptied). Exits non-zero when the harness breaks (a failed
request, numbers that disagree, a lost response), never because of a timing.
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import site_package  # noqa: E402

site_package.activate()
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.bench"
# In process and on the submissions server every request renders; section 1 turns the
# page cache on for its own server. The in-process cache is never a shared Redis: the
# drafts' cold-cache line empties it.
os.environ["HADAF_PAGE_CACHE_SECONDS"] = "0"
os.environ.pop("REDIS_URL", None)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench"
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_smoke"
PARTS = ("results", "submissions", "blocks", "cache", "drafts", "api", "ideas", "effectiveness")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument(
        "--sizes", default=None, help="answer counts for the growth table (10000,100000,1000000)"
    )
    parser.add_argument(
        "--submissions", type=int, default=None, help="submissions for the 50 ms goal (100000)"
    )
    parser.add_argument("--repeats", type=int, default=None, help="timed runs of our results")
    parser.add_argument("--baseline-repeats", type=int, default=None)
    parser.add_argument("--clients", type=int, default=None, help="concurrent POST clients")
    parser.add_argument("--posts", type=int, default=None, help="POSTs per client per round")
    parser.add_argument("--rounds", type=int, default=None, help="alternating rounds per side")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"some of {','.join(PARTS)}")
    parser.add_argument("--no-exports", action="store_true", help="skip the exports")
    parser.add_argument("--blocks-repeats", type=int, default=None)
    parser.add_argument("--page-cache-seconds", type=int, default=300)
    parser.add_argument("--cache-clients", type=int, default=None, help="GET client processes")
    parser.add_argument("--cache-requests", type=int, default=None, help="GETs per client")
    parser.add_argument("--cache-rounds", type=int, default=None, help="rounds per side")
    parser.add_argument("--uncached-requests", type=int, default=None)
    parser.add_argument("--api-pages", type=int, default=None, help="pages of each type (1000)")
    parser.add_argument("--api-repeats", type=int, default=None)
    parser.add_argument("--draft-clauses", type=int, default=None)
    parser.add_argument("--draft-comments", type=int, default=None)
    parser.add_argument("--draft-repeats", type=int, default=None)
    parser.add_argument("--idea-submissions", type=int, default=None, help="in jury review (2000)")
    parser.add_argument("--idea-reviews", type=int, default=None, help="per submission (5)")
    parser.add_argument("--idea-criteria", type=int, default=None, help="of the call (6)")
    parser.add_argument("--idea-jurors", type=int, default=None, help="of the call (60)")
    parser.add_argument("--idea-repeats", type=int, default=None, help="timed rankings (30)")
    parser.add_argument("--idea-baseline-repeats", type=int, default=None)
    parser.add_argument("--output", default=None, help="the report (bench/RESULTS.md)")
    args = parser.parse_args(argv)
    smoke = args.smoke
    defaults = {
        "sizes": "2000,5000" if smoke else "10000,100000,1000000",
        "submissions": 0 if smoke else 100_000,
        "repeats": 5 if smoke else 30,
        "baseline_repeats": 2 if smoke else 5,
        "clients": 2 if smoke else 8,
        "posts": 5 if smoke else 25,
        "rounds": 1 if smoke else 3,
        "workers": 2 if smoke else 4,
        "blocks_repeats": 3 if smoke else 30,
        "cache_clients": 2 if smoke else 8,
        "cache_requests": 20 if smoke else 300,
        "cache_rounds": 1 if smoke else 5,
        "uncached_requests": 3 if smoke else 10,
        "api_pages": 20 if smoke else 1000,
        "api_repeats": 3 if smoke else 30,
        "draft_clauses": 20 if smoke else 200,
        "draft_comments": 200 if smoke else 10_000,
        "draft_repeats": 3 if smoke else 30,
        "idea_submissions": 60 if smoke else 2000,
        "idea_reviews": 3 if smoke else 5,
        "idea_criteria": 4 if smoke else 6,
        "idea_jurors": 12 if smoke else 60,
        "idea_repeats": 5 if smoke else 30,
        "idea_baseline_repeats": 2 if smoke else 5,
        "output": str(ROOT / "bench" / ("RESULTS-smoke.md" if smoke else "RESULTS.md")),
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    args.database_url = os.environ.get("BENCH_DATABASE_URL") or (
        SMOKE_URL if smoke else DEFAULT_URL
    )
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    return args


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def write_standalone_report(path, title, command, smoke, section, checks, elapsed):
    """The report of one part run on its own (``bench/drafts.py``, ``bench/ideas.py``)."""
    lines = [
        title,
        "",
        f"One run of `{command}` on {time.strftime('%Y-%m-%d %H:%M %Z')}, {elapsed / 60:.1f} min."
        + (" **Smoke run: tiny sizes, figures mean nothing.**" if smoke else "")
        + " `make bench` runs the same measurements within `bench/run.py` (bench/RESULTS.md).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine().items()),
        "",
        *section,
        "## Checks",
        "",
        *(f"- {check}" for check in checks),
        "",
    ]
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def machine():
    import django
    import wagtail

    memory = "?"
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    from bench import seed, throughput

    redis, _pid, _error = throughput.redis_for_bench(
        os.environ.get("BENCH_REDIS_URL", throughput.DEFAULT_REDIS_URL)
    )
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "PostgreSQL": seed.postgres_version(),
        "Redis": redis or "not reachable",
        "Python": platform.python_version(),
        "Django / Wagtail": f"{django.get_version()} / {wagtail.__version__}",
        "gunicorn / whitenoise / openpyxl": " / ".join(
            version(name) for name in ("gunicorn", "whitenoise", "openpyxl")
        ),
        "OS": platform.platform(),
    }


def plan_targets(sizes, submissions, per_response):
    """(label, submissions) for each point, ascending; answer sizes become submissions."""
    targets = {}
    for size in sizes:
        targets[max(1, round(size / per_response))] = f"{size:,} answers"
    if submissions:
        targets[submissions] = f"{submissions:,} submissions × 20 questions"
    return [(label, count) for count, label in sorted(targets.items())]


def answers_per_response():
    from bench import questionnaire as bq

    rng = bq.new_rng(12345)
    sample = [len(bq.answer_rows(bq.generate_response(rng))) for _ in range(2000)]
    return sum(sample) / len(sample)


def run_results(args, checks, workdir):
    """The results at each size, and the exports at each size unless ``--no-exports``.

    Returns:
        tuple: (results rows, export rows as (label, submissions, answers, runs)).
    """
    from bench import benchmarks, exports, report, seed
    from bench.report import ms
    from participation.submissions.models import Answer, Submission

    survey = seed.create_survey("bench-results")
    baseline = seed.create_baseline("bench-results-form")
    if not args.no_exports:
        exports.ensure_admin()
    export_rows = []
    diagnosed = False
    per_response = answers_per_response()
    targets = plan_targets(
        [int(size) for size in args.sizes.split(",") if size], args.submissions, per_response
    )
    log(f"results: {len(targets)} sizes, ~{per_response:.1f} answers per response")
    rows = []
    have = 0
    for index, (label, count) in enumerate(targets):
        started = time.perf_counter()
        seed.add_responses(
            survey,
            baseline,
            count - have,
            seed=1000 + index,
            progress=lambda done, total: (
                log(f"  seeded {done:,}/{total:,}") if done % 100_000 == 0 else None
            ),
        )
        have = count
        seed_seconds = time.perf_counter() - started
        started = time.perf_counter()
        tally_rows = seed.rebuild_tallies(survey)
        tally_seconds = time.perf_counter() - started
        answers = Answer.objects.filter(submission__call_key=survey.call_key).count()
        assert Submission.objects.filter(call_key=survey.call_key).count() == count
        log(
            f"{label}: {count:,} submissions, {answers:,} answers seeded in {seed_seconds:.1f} s;"
            f" {tally_rows:,} tally rows rebuilt in {tally_seconds:.1f} s"
        )
        if args.smoke:
            differences = seed.verify_tallies(survey)
            assert not differences, f"tallies differ from tally.tally_keys: {differences[:5]}"
            checks.append(
                f"tallies rebuilt in SQL equal `tally.tally_keys` at {count:,} submissions"
            )
        row = benchmarks.bench_results(
            survey,
            baseline,
            label=label,
            submissions=count,
            answers=answers,
            repeats=args.repeats,
            baseline_repeats=args.baseline_repeats,
        )
        log(
            f"  ours {ms(benchmarks.median(row.ours))} ms, page {ms(benchmarks.median(row.page))}"
            f" ms, baseline {ms(benchmarks.median(row.baseline))} ms → {row.ratio:,.0f}×"
        )
        rows.append(row)
        last = index == len(targets) - 1
        if not args.no_exports and (not args.smoke or last):
            diagnostic = not diagnosed and (answers >= report.EXPORT_GOAL_ANSWERS or last)
            diagnosed = diagnosed or diagnostic
            runs = exports.bench_exports(
                survey,
                baseline,
                submissions=count,
                answers=answers,
                database_url=args.database_url,
                workdir=workdir,
                diagnostic=diagnostic,
            )
            for run in runs:
                log(
                    f"  export {run.format} {run.side} {run.chunk_size or ''}: {run.rows:,} rows"
                    f" in {run.seconds:.1f} s"
                    f" = {run.rows_per_second:,.0f}/s, peak RSS {run.peak_rss_kib / 1024:,.0f} MiB"
                )
            export_rows.append((label, count, answers, runs))
    checks.append("our per-choice counts equal the baseline's at every size")
    if export_rows:
        checks.append(
            "every export, ours and the baseline's, read back: its data rows equal the"
            " submissions at each size exported"
        )
    return rows, export_rows


def run_submissions(args, checks):
    from wagtail.contrib.forms.models import FormSubmission

    from bench import benchmarks, load, seed
    from bench import questionnaire as bq
    from bench.baseline.models import BaselineFormPage
    from participation.opinions.models import StatementVote
    from participation.questions.forms import sign_started_at
    from participation.submissions.models import Answer, Submission

    survey = seed.create_survey("bench-submit")
    baseline = seed.create_baseline("bench-submit-form")
    statements = seed.add_statements(survey)
    per_round = args.clients * args.posts
    total = per_round * args.rounds
    sessions = seed.create_participants(4 * total, "bench-submit")
    survey_sessions, baseline_sessions = sessions[:total], sessions[total : 2 * total]
    post_only_sessions = sessions[2 * total : 3 * total]
    vote_sessions = sessions[3 * total :]
    rng = bq.new_rng(777)
    started_at = sign_started_at()
    responses = [bq.generate_response(rng) for _ in range(total)]
    survey_jobs = [
        (key, benchmarks.survey_post(answers, started_at))
        for key, answers in zip(survey_sessions, responses, strict=True)
    ]
    baseline_jobs = [
        (key, bq.baseline_post(answers))
        for key, answers in zip(baseline_sessions, responses, strict=True)
    ]
    post_only_jobs = [
        (key, benchmarks.survey_post(answers, started_at))
        for key, answers in zip(post_only_sessions, responses, strict=True)
    ]
    vote_jobs = [
        (
            key,
            [
                ("statement", str(statements[index % len(statements)].uuid)),
                ("value", str(rng.choice([-1, 0, 1]))),
            ],
        )
        for index, key in enumerate(vote_sessions)
    ]
    server = load.Gunicorn(port=args.port, workers=args.workers, database_url=args.database_url)
    log_path = ROOT / "bench" / ".gunicorn.log"
    results = {"survey": [], "baseline": [], "survey_post_only": [], "statement_vote": []}
    log(f"submissions: gunicorn with {args.workers} workers, {args.clients} clients")
    with server.start(log_path):
        import requests

        for path in (survey.url, baseline.url):  # warm every worker's caches
            for _ in range(args.workers * 3):
                requests.get(server.base_url + path, timeout=30)
        send_survey = benchmarks.post_survey(server.base_url, survey.url)
        send_baseline = benchmarks.post_baseline(server.base_url, baseline.url)
        send_post_only = benchmarks.post_survey(server.base_url, survey.url, follow_thanks=False)
        send_vote = benchmarks.vote_on_statement(server.base_url, survey.call_key)
        requests.get(f"{server.base_url}/statements/{survey.call_key}/", timeout=30)
        for round_index in range(args.rounds):
            chunk = slice(round_index * per_round, (round_index + 1) * per_round)
            sides = [
                ("survey", send_survey, survey_jobs[chunk]),
                ("baseline", send_baseline, baseline_jobs[chunk]),
                ("survey_post_only", send_post_only, post_only_jobs[chunk]),
                ("statement_vote", send_vote, vote_jobs[chunk]),
            ]
            if round_index % 2:
                sides.reverse()  # alternate who goes first
            for name, send, jobs in sides:
                result = load.run_clients(name, benchmarks.split(jobs, args.clients), send)
                results[name].append(result)
                log(
                    f"  round {round_index + 1} {name}: {result.succeeded}/{result.attempted} ok"
                    f" in {result.seconds:.1f} s = {result.per_second:.1f}/s"
                    + (f"; failures: {result.failures}" if result.failures else "")
                )
    stored_votes = StatementVote.objects.filter(statement__call_key=survey.call_key).count()
    stored_survey = Submission.objects.filter(call_key=survey.call_key).count()
    stored_answers = Answer.objects.filter(submission__call_key=survey.call_key).count()
    stored_baseline = FormSubmission.objects.filter(page=baseline).count()
    ok_survey = sum(result.succeeded for result in results["survey"] + results["survey_post_only"])
    ok_baseline = sum(result.succeeded for result in results["baseline"])
    expected_answers = 2 * sum(len(bq.answer_rows(answers)) for answers in responses)
    assert BaselineFormPage.objects.filter(pk=baseline.pk).exists()
    tally_total = survey_response_total(survey)
    return {
        "survey": results["survey"],
        "baseline": results["baseline"],
        "survey_post_only": results["survey_post_only"],
        "statement_vote": results["statement_vote"],
        "ok_votes": sum(result.succeeded for result in results["statement_vote"]),
        "stored_votes": stored_votes,
        "ok_survey": ok_survey,
        "ok_baseline": ok_baseline,
        "stored_survey": stored_survey,
        "stored_answers": stored_answers,
        "expected_answers": expected_answers,
        "stored_baseline": stored_baseline,
        "tally_total": tally_total,
        "total": total,
        "log": log_path,
        "checks": checks,
    }


def survey_response_total(survey):
    from participation.results.tally import ALL, CALL_TOTAL
    from participation.submissions.models import AnswerTally

    row = AnswerTally.objects.filter(
        call_key=survey.call_key,
        segment=ALL,
        question_id=CALL_TOTAL[0],
        row_id=CALL_TOTAL[1],
        choice_id=CALL_TOTAL[2],
        value=CALL_TOTAL[3],
    ).first()
    return row.count if row else 0


def check_submissions(submissions, checks, problems):
    """Harness problems of the submissions run: failures, lost or extra rows."""
    responses = 2 * submissions["total"]  # the survey side and the POST-only side
    if submissions["ok_survey"] == 0 or submissions["ok_baseline"] == 0:
        problems.append("no successful POST on one side")
    if submissions["ok_survey"] != submissions["stored_survey"]:
        problems.append("stored survey submissions differ from successful POSTs")
    if submissions["ok_baseline"] != submissions["stored_baseline"]:
        problems.append("stored baseline submissions differ from successful POSTs")
    if submissions["ok_survey"] == responses and (
        submissions["stored_answers"] != submissions["expected_answers"]
        or submissions["tally_total"] != responses
    ):
        problems.append("stored answers or tallies differ from what was posted")
    if submissions["ok_votes"] != submissions["stored_votes"]:
        problems.append("stored statement votes differ from successful vote POSTs")
    for side in ("survey", "baseline", "survey_post_only", "statement_vote"):
        failed = sum(result.failed for result in submissions[side])
        if failed:
            problems.append(f"{failed} {side} POSTs failed: {submissions[side][0].failures}")
    if not problems:
        checks.append(
            "every POST succeeded; stored submissions, answers, tallies and statement votes equal"
            " what was posted"
        )


def run_blocks(args, checks):
    from bench import content

    call, standard = content.create_block_pages()
    rows = content.bench_blocks(call, standard, args.blocks_repeats, checks)
    for label, row in rows:
        log(f"blocks: {label}: {row['median'] * 1000:.1f} ms median, {row['queries']} queries")
    return call, rows


def run_api(args, checks):
    from bench import content

    started = time.perf_counter()
    content.seed_api_pages(
        args.api_pages, progress=lambda done, total: log(f"  api pages {done:,}/{total:,}")
    )
    log(f"api: {args.api_pages:,} survey pages in {time.perf_counter() - started:.0f} s")
    rows = content.bench_api(args.api_pages, args.api_repeats, checks)
    for label, ours, plain in rows:
        log(
            f"  {label}: project {ours['median'] * 1000:.1f} ms ({ours['queries']} queries),"
            f" plain Wagtail {plain['median'] * 1000:.1f} ms ({plain['queries']} queries)"
        )
    return rows


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    workdir = Path(tempfile.mkdtemp(prefix="hadaf-bench-"))
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    try:
        return run_parts(args, command, workdir, started)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_parts(args, command, workdir, started):
    from bench import seed

    log(f"database {args.database_url} (recreated); parts: {', '.join(args.parts)}")
    seed.ensure_database(args.database_url, recreate=True)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import drafts, ideas, report, throughput

    call_command("migrate", verbosity=0)
    result = report.Report(args, machine(), command)
    checks, problems = [], []

    loads = []

    def attempt(name, function):
        """Run one part; a failed assertion is a harness problem, the run goes on."""
        loads.append((name, load_average()))
        try:
            return function()
        except (AssertionError, RuntimeError) as error:
            problems.append(f"{name}: {error}")
            log(f"HARNESS PROBLEM in {name}: {error}")
            return None
        finally:
            loads[-1] = (name, loads[-1][1], load_average())

    if "results" in args.parts:
        measured = attempt("results", lambda: run_results(args, checks, workdir))
        if measured:
            result.add_results(measured[0])
            if measured[1]:
                result.add_exports(measured[1])
    if "submissions" in args.parts:
        submissions = attempt("submissions", lambda: run_submissions(args, checks))
        if submissions:
            check_submissions(submissions, checks, problems)
            result.add_submissions(submissions)
    call = None
    if "blocks" in args.parts or "cache" in args.parts:
        blocks = attempt("blocks", lambda: run_blocks(args, checks))
        if blocks:
            call, rows = blocks
            result.add_blocks(rows)
    if "cache" in args.parts and call is not None:
        cached = attempt("cache", lambda: throughput.run(args, call, workdir, log))
        if cached:
            problems.extend(f"cache: {problem}" for problem in cached.problems)
            if not cached.problems:
                checks.append(
                    "cache: every response a 200 of the page's size; every page response a hit"
                    if cached.cache_module
                    else "cache: every response a 200 of the page's size (no page cache yet)"
                )
            result.add_cache(cached)
    if "drafts" in args.parts:
        measured = attempt(
            "drafts",
            lambda: drafts.run_drafts(
                args.draft_clauses, args.draft_comments, args.draft_repeats, checks
            ),
        )
        if measured:
            result.add_drafts(*measured)
    if "api" in args.parts:
        rows = attempt("api", lambda: run_api(args, checks))
        if rows:
            result.add_api(rows, args.api_pages)
    if "ideas" in args.parts:
        measured = attempt(
            "ideas",
            lambda: ideas.run_ideas(
                args.idea_submissions,
                args.idea_reviews,
                args.idea_criteria,
                args.idea_jurors,
                args.idea_repeats,
                args.idea_baseline_repeats,
                checks,
            ),
        )
        if measured:
            rows, facts = measured
            result.sections.append(ideas.section_lines(rows, facts, heading="## 8."))
            result.summary.append(ideas.summary_row(rows, facts, number=8))
    if "effectiveness" in args.parts:
        from bench import effectiveness

        repeats = 3 if args.smoke else 20
        rounds = attempt(
            "effectiveness",
            lambda: effectiveness.run_effectiveness(args.smoke, repeats, checks),
        )
        if rounds:
            result.sections.append(effectiveness.section_lines(rounds, repeats, heading="## 9."))
    result.info["load average (1 min, the bench's own processes too), each part's start → end"] = (
        "; ".join(f"{name} {start} → {end}" for name, start, end in loads)
    )
    result.sections.sort(key=section_number)
    result.summary.sort(key=lambda row: row[0])
    elapsed = time.perf_counter() - started
    result.write(checks, problems, elapsed)
    log(f"wrote {args.output}")
    for problem in problems:
        log(f"HARNESS PROBLEM: {problem}")
    log(f"done in {elapsed:.0f} s")
    return 1 if problems else 0


def load_average():
    """The 1-minute load average: other work on the machine shows here."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def section_number(lines):
    """Sections are numbered in the report's order ("## 3. …"), not the run's."""
    heading = lines[0].removeprefix("## ")
    number = heading.split(".", 1)[0]
    return int(number) if number.isdigit() else 99


if __name__ == "__main__":
    sys.exit(main())
