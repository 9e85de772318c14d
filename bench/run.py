"""Run the survey benchmarks and write bench/RESULTS.md.

    .venv/bin/python bench/run.py                 # the full set (make bench)
    .venv/bin/python bench/run.py --smoke         # a few seconds, for CI (make bench-smoke)

Uses its own PostgreSQL database (``BENCH_DATABASE_URL``, default ``hadaf_bench``; the
smoke run uses ``hadaf_bench_smoke``), recreated at the start, so the tests' database is
never touched. Exits non-zero when the harness breaks (a failed request, numbers that
disagree, a lost response), never because of a timing.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import site_package  # noqa: E402

site_package.activate()
os.environ["DJANGO_SETTINGS_MODULE"] = "site.settings.bench"

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench"
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_smoke"
GOAL_MS = 50
GOAL_RATIO = 100


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
        "output": str(ROOT / "bench" / ("RESULTS-smoke.md" if smoke else "RESULTS.md")),
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.database_url = os.environ.get("BENCH_DATABASE_URL") or (
        SMOKE_URL if smoke else DEFAULT_URL
    )
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    return args


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


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
    from bench import seed

    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "PostgreSQL": seed.postgres_version(),
        "Python": platform.python_version(),
        "Django / Wagtail": f"{django.get_version()} / {wagtail.__version__}",
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


def run_results(args, checks):
    from bench import benchmarks, seed
    from participation.submissions.models import Answer, Submission

    survey = seed.create_survey("bench-results")
    baseline = seed.create_baseline("bench-results-form")
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
    checks.append("our per-choice counts equal the baseline's at every size")
    return rows


def run_submissions(args, checks):
    from wagtail.contrib.forms.models import FormSubmission

    from bench import benchmarks, load, seed
    from bench import questionnaire as bq
    from bench.baseline.models import BaselineFormPage
    from participation.submissions.models import Answer, Submission
    from participation.surveys.forms import sign_started_at

    survey = seed.create_survey("bench-submit")
    baseline = seed.create_baseline("bench-submit-form")
    per_round = args.clients * args.posts
    total = per_round * args.rounds
    sessions = seed.create_participants(3 * total, "bench-submit")
    survey_sessions, baseline_sessions = sessions[:total], sessions[total : 2 * total]
    post_only_sessions = sessions[2 * total :]
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
    server = load.Gunicorn(port=args.port, workers=args.workers, database_url=args.database_url)
    log_path = ROOT / "bench" / ".gunicorn.log"
    results = {"survey": [], "baseline": [], "survey_post_only": []}
    log(f"submissions: gunicorn with {args.workers} workers, {args.clients} clients")
    with server.start(log_path):
        import requests

        for path in (survey.url, baseline.url):  # warm every worker's caches
            for _ in range(args.workers * 3):
                requests.get(server.base_url + path, timeout=30)
        send_survey = benchmarks.post_survey(server.base_url, survey.url)
        send_baseline = benchmarks.post_baseline(server.base_url, baseline.url)
        send_post_only = benchmarks.post_survey(server.base_url, survey.url, follow_thanks=False)
        for round_index in range(args.rounds):
            chunk = slice(round_index * per_round, (round_index + 1) * per_round)
            sides = [
                ("survey", send_survey, survey_jobs[chunk]),
                ("baseline", send_baseline, baseline_jobs[chunk]),
                ("survey_post_only", send_post_only, post_only_jobs[chunk]),
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


def ms(seconds):
    return f"{seconds * 1000:,.1f}"


def med(values):
    from bench import benchmarks

    return benchmarks.median(values)


def verdict(ok):
    return "met" if ok else "NOT met"


def attempted(results):
    return sum(result.attempted for result in results)


def write_report(args, info, command, results_rows, submissions, checks, elapsed):
    from bench import benchmarks

    lines = [
        "# Survey benchmarks",
        "",
        f"One run of `{command}` on {time.strftime('%Y-%m-%d %H:%M %Z')}, {elapsed / 60:.1f} min."
        + (" **Smoke run: tiny sizes, figures mean nothing.**" if args.smoke else ""),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in info.items()),
        "",
        "## Commands",
        "",
        "```sh",
        "make bench        # = .venv/bin/python bench/run.py",
        f"{command}",
        "```",
        "",
        f"Settings `site.settings.bench` (DEBUG off, PostgreSQL database `{args.database_url}`"
        " recreated at the start, `bench.baseline` installed). Timings are wall-clock medians"
        " and 95th percentiles.",
        "",
    ]
    if results_rows:
        lines += [
            "## Results: tallies vs wagtail.contrib.forms JSON",
            "",
            "*ours* = `participation.results.aggregates.survey_results(page, public=True)`"
            " (one query on `AnswerTally`, then arithmetic per question); *page* = the whole"
            " public `results/` page (routing, every question's chart data, cross-tabs by role"
            " and university, template) through Django's test client in process;"
            " *baseline* = reading the same responses' `FormSubmission.form_data` for the"
            " `BaselineFormPage` and counting each field's answers (plus mean and median of the"
            " scale and number fields) in Python, as wagtail.contrib.forms' submission views"
            " read them (only the JSON column, in chunks of 2,000: generous to the baseline)."
            f" Ours and page: {args.repeats} timed runs each after 3 warm-ups; baseline:"
            f" {args.baseline_repeats} after 1.",
            "",
            "| data | submissions | answers | ours median (p95) ms | page median (p95) ms"
            " | baseline median (p95) ms | baseline ÷ ours | baseline ÷ page |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in results_rows:
            lines.append(
                f"| {row.label} | {row.submissions:,} | {row.answers:,}"
                f" | {ms(benchmarks.median(row.ours))} ({ms(benchmarks.p95(row.ours))})"
                f" | {ms(benchmarks.median(row.page))} ({ms(benchmarks.p95(row.page))})"
                f" | {ms(benchmarks.median(row.baseline))} ({ms(benchmarks.p95(row.baseline))})"
                f" | {row.ratio:,.0f}× | {row.page_ratio:,.0f}× |"
            )
        first, last = results_rows[0], results_rows[-1]
        growth = last.submissions / first.submissions
        lines += [
            "",
            f"Growth from the smallest to the largest data ({growth:,.0f}× the submissions):"
            f" ours ×{benchmarks.median(last.ours) / benchmarks.median(first.ours):.2f},"
            f" page ×{benchmarks.median(last.page) / benchmarks.median(first.page):.2f},"
            f" baseline ×{med(last.baseline) / med(first.baseline):.1f}.",
            "",
        ]
        goal = [row for row in results_rows if row.submissions >= 100_000]
        if goal:
            row = goal[0]
            page_ok = benchmarks.median(row.page) * 1000 <= GOAL_MS
            ours_ok = benchmarks.median(row.ours) * 1000 <= GOAL_MS
            lines += [
                f"Goal at {row.submissions:,} submissions × 20 questions: ≤ {GOAL_MS} ms median"
                f" and ≥ {GOAL_RATIO}× the baseline. Computation: {ms(benchmarks.median(row.ours))}"
                f" ms, {row.ratio:,.0f}× — {verdict(ours_ok and row.ratio >= GOAL_RATIO)}."
                f" Whole page: {ms(benchmarks.median(row.page))} ms, {row.page_ratio:,.0f}× —"
                f" {verdict(page_ok and row.page_ratio >= GOAL_RATIO)}.",
                "",
            ]
    if submissions:
        survey_rates = [result.per_second for result in submissions["survey"]]
        baseline_rates = [result.per_second for result in submissions["baseline"]]
        survey_latencies = [value for r in submissions["survey"] for value in r.latencies]
        baseline_latencies = [value for r in submissions["baseline"] for value in r.latencies]
        ratio = benchmarks.median(survey_rates) / benchmarks.median(baseline_rates)
        post_only_rates = [result.per_second for result in submissions["survey_post_only"]]
        post_only_latencies = [
            value for r in submissions["survey_post_only"] for value in r.latencies
        ]
        post_only_ratio = benchmarks.median(post_only_rates) / benchmarks.median(baseline_rates)
        lost_survey = submissions["ok_survey"] - submissions["stored_survey"]
        lost_baseline = submissions["ok_baseline"] - submissions["stored_baseline"]
        lines += [
            "## Submissions: survey POST vs wagtail.contrib.forms FormPage POST",
            "",
            f"gunicorn (`gunicorn.conf.py`, {args.workers} sync workers, bench settings,"
            f" PostgreSQL) on 127.0.0.1; {args.clients} concurrent client threads (Python"
            f" `requests`), {args.posts} POSTs each per round, {args.rounds} rounds per side"
            " alternating which side goes first. Every POST is a different signed-in user"
            " (session rows written directly) with the same generated answers on both sides;"
            " CSRF from the `csrftoken` cookie. Survey: the 20 questions (22 values: the matrix"
            " has 3 statements) to the page URL, `submit_response` storing the submission, its"
            " answer rows and tallies in one transaction, a 302 to `?thanks=1`, **and the GET of"
            " that thank-you page** (counted in the survey's time). Baseline: the same values as"
            " 22 wagtail form fields to the `BaselineFormPage` URL, stored as one"
            " `FormSubmission`, answered with its landing page (200).",
            "",
            "| side | rounds (POSTs/s) | median POSTs/s | latency median (p95) ms"
            " | ok / attempted |",
            "|---|---|---:|---:|---:|",
            f"| survey | {', '.join(f'{rate:.1f}' for rate in survey_rates)}"
            f" | {benchmarks.median(survey_rates):.1f}"
            f" | {ms(benchmarks.median(survey_latencies))} ({ms(benchmarks.p95(survey_latencies))})"
            f" | {sum(r.succeeded for r in submissions['survey'])}"
            f" / {attempted(submissions['survey'])} |",
            f"| baseline | {', '.join(f'{rate:.1f}' for rate in baseline_rates)}"
            f" | {benchmarks.median(baseline_rates):.1f}"
            f" | {ms(med(baseline_latencies))} ({ms(benchmarks.p95(baseline_latencies))})"
            f" | {submissions['ok_baseline']} / {attempted(submissions['baseline'])} |",
            f"| survey, POST only (the 302, no thank-you GET)"
            f" | {', '.join(f'{rate:.1f}' for rate in post_only_rates)}"
            f" | {benchmarks.median(post_only_rates):.1f}"
            f" | {ms(med(post_only_latencies))} ({ms(benchmarks.p95(post_only_latencies))})"
            f" | {sum(r.succeeded for r in submissions['survey_post_only'])}"
            f" / {attempted(submissions['survey_post_only'])} |",
            "",
            f"Ratio survey ÷ baseline (median throughput, POST and thank-you GET):"
            f" **{ratio:.2f}**; POST only: **{post_only_ratio:.2f}** (goal ≥ 1.0:"
            f" {'met' if post_only_ratio >= 1.0 else 'NOT met'}).",
            "",
            "Stored afterwards: survey submissions"
            f" {submissions['stored_survey']} for {submissions['ok_survey']} successful POSTs"
            f" (lost: {max(lost_survey, 0)}, extra: {max(-lost_survey, 0)}), answer rows"
            f" {submissions['stored_answers']:,} of {submissions['expected_answers']:,} expected"
            f" for all {2 * submissions['total']} survey responses, tallied response count"
            f" {submissions['tally_total']}; baseline FormSubmissions"
            f" {submissions['stored_baseline']} for {submissions['ok_baseline']} successful POSTs"
            f" (lost: {max(lost_baseline, 0)}).",
            "",
        ]
    lines += ["## Harness checks", "", *(f"- {check}" for check in checks), ""]
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    log(f"wrote {args.output}")


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    from bench import seed

    log(f"database {args.database_url} (recreated)")
    seed.ensure_database(args.database_url, recreate=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    info = machine()
    checks = []
    results_rows = run_results(args, checks)
    submissions = run_submissions(args, checks)
    problems = []
    if submissions["ok_survey"] == 0 or submissions["ok_baseline"] == 0:
        problems.append("no successful POST on one side")
    if submissions["ok_survey"] != submissions["stored_survey"]:
        problems.append("stored survey submissions differ from successful POSTs")
    if submissions["ok_baseline"] != submissions["stored_baseline"]:
        problems.append("stored baseline submissions differ from successful POSTs")
    if submissions["ok_survey"] == submissions["total"] and (
        submissions["stored_answers"] != submissions["expected_answers"]
        or submissions["tally_total"] != submissions["total"]
    ):
        problems.append("stored answers or tallies differ from what was posted")
    for side in ("survey", "baseline"):
        failed = sum(result.failed for result in submissions[side])
        if failed:
            problems.append(f"{failed} {side} POSTs failed: {submissions[side][0].failures}")
    if not problems:
        checks.append(
            "every POST succeeded; stored submissions, answers and tallies equal what was posted"
        )
    write_report(
        args, info, command, results_rows, submissions, checks, time.perf_counter() - started
    )
    if problems:
        for problem in problems:
            log(f"HARNESS PROBLEM: {problem}")
        return 1
    log(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
