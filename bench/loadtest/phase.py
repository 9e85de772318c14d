"""One phase of ``make loadtest`` in its own process: seed, serve, load, count.

    .venv/bin/python bench/loadtest/phase.py --name postgres --database-url postgres://… \
        --clients 50 --responses 2000 --comments 2000 --result /tmp/…/postgres.json

run.py starts one process per phase, because each phase may use another database
(Django's settings are read once per process); it gives each phase a copy of a
migrated template database (``--migrate-only`` migrates the template). The phase:

1. seeds an open survey (the bench's 20 questions), an open
   regulation draft, and one signed-in participant per POST (sessions written
   directly, as ``bench.seed.create_participants`` does);
2. starts gunicorn with ``bench.loadtest.settings`` and runs locust headless, one job
   per participant (``locustfile.py``); with ``--kills`` it terminates every server
   connection of the app's database that many times during the load;
3. posts ``--recovery`` more responses one at a time after the load (they must all
   succeed: the app reconnects by itself);
4. compares what the clients were told with the rows stored, and writes the figures
   as JSON to ``--result``.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import site_package  # noqa: E402

site_package.activate()

CLAUSES = 20
# The answers' start time: long enough ago for every speed check.
STARTED_MINUTES_AGO = 10
KILL_FIRST_AFTER_SECONDS = 3.0
KILL_INTERVAL_SECONDS = 4.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--migrate-only", action="store_true", help="migrate, then stop")
    parser.add_argument("--clients", type=int, default=0)
    parser.add_argument("--responses", type=int, default=0)
    parser.add_argument("--comments", type=int, default=0)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--kills", type=int, default=0, help="times to cut every connection")
    parser.add_argument("--recovery", type=int, default=0, help="responses posted afterwards")
    parser.add_argument("--workdir")
    parser.add_argument("--result")
    return parser.parse_args(argv)


def log(name, message):
    print(f"[loadtest {time.strftime('%H:%M:%S', time.gmtime())} UTC {name}] {message}", flush=True)


def setup_django(database_url):
    os.environ["LOADTEST_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.loadtest.settings"
    os.environ["HADAF_PAGE_CACHE_SECONDS"] = "0"
    os.environ.pop("REDIS_URL", None)  # one memory cache per process; nothing shared to empty
    import django

    django.setup()


# --- Seeding ------------------------------------------------------------------------------------


def create_draft(slug):
    """An open regulation draft of ``CLAUSES`` articles and clauses, published."""
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from bench import seed
    from pages.models import RegulationDraftPage

    _home, calls = seed.ensure_tree()
    existing = calls.get_children().filter(slug=slug).first()
    if existing is not None:
        existing.delete()
    blocks = [{"type": "chapter", "id": str(uuid.uuid4()), "value": {"title": "کلیات"}}]
    for number in range(CLAUSES):
        text = f"تشکل‌های دانشجویی گزارش شمارهٔ {number + 1} را در پایان هر نیم‌سال ارائه می‌کنند."
        if number % 4 == 0:
            value, kind = {"title": "", "text": text}, "article"
        else:
            value, kind = {"text": text}, "clause"
        blocks.append({"type": kind, "id": str(uuid.uuid4()), "value": value})
    now = timezone.now()
    page = RegulationDraftPage(
        title=f"پیش‌نویس آیین‌نامه ({slug})",
        slug=slug,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        draft_text=blocks,
    )
    with transaction.atomic():
        calls.add_child(instance=page)
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def participant_ids(prefix):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(email__startswith=f"{prefix}-").order_by("email")
    return list(users.values_list("pk", flat=True))


def comment_body(index):
    """A valid clause comment; stances vary as real ones do."""
    stances = ["agree", "oppose", "agree", "delete"]
    stance = stances[index % len(stances)]
    text = f"نظر شمارهٔ {index + 1}: این بند برای تشکل‌ها روشن و قابل اجراست."
    return [("kind", "clause"), ("stance", stance), ("body", text), ("proposed_text", "")]


def build_jobs(name, responses, comments, recovery):
    """Seed the pages and participants; returns (survey, draft, jobs, recovery jobs)."""
    from django.utils import timezone

    from bench import benchmarks, seed
    from bench import questionnaire as bq
    from participation.drafts import outline
    from participation.questions.forms import sign_started_at

    survey = seed.create_survey(f"loadtest-{name}")
    draft = create_draft(f"loadtest-draft-{name}")
    clause_ids = list(outline.commentable(outline.outline_of(draft.draft_text)))
    prefix = f"loadtest-{name}"
    total = responses + comments + recovery
    sessions = seed.create_participants(total, prefix)
    ids = participant_ids(prefix)
    started_at = sign_started_at(timezone.now() - datetime.timedelta(minutes=STARTED_MINUTES_AGO))
    rng = bq.new_rng(2026)
    survey_jobs, comment_jobs = [], []
    for index in range(responses + recovery):
        answers = bq.generate_response(rng)
        survey_jobs.append(
            {
                "kind": "survey",
                "user": ids[index],
                "session": sessions[index],
                "path": survey.url,
                "body": benchmarks.survey_post(answers, started_at),
                "answers": len(bq.answer_rows(answers)),
            }
        )
    for index in range(comments):
        position = responses + recovery + index
        clause_id = clause_ids[index % len(clause_ids)]
        comment_jobs.append(
            {
                "kind": "comment",
                "user": ids[position],
                "session": sessions[position],
                "path": f"{draft.url}clause/{clause_id}/",
                "body": comment_body(index),
                "clause": clause_id,
            }
        )
    recovery_jobs = survey_jobs[responses:]
    survey_jobs = survey_jobs[:responses]
    # Interleaved, so both kinds of POST run side by side the whole time.
    jobs = []
    for index in range(max(len(survey_jobs), len(comment_jobs))):
        jobs.extend(kind[index] for kind in (survey_jobs, comment_jobs) if index < len(kind))
    return survey, draft, jobs, recovery_jobs


# --- Load -----------------------------------------------------------------------------------------


def database_name():
    from django.db import connection

    return connection.settings_dict["NAME"]


def kill_connections(database_url, name):
    """Terminate every server connection to database ``name`` but this one; returns how many."""
    import psycopg

    parsed = psycopg.conninfo.conninfo_to_dict(
        database_url.replace("postgres://", "postgresql://", 1)
    )
    parsed["dbname"] = "postgres"
    with psycopg.connect(**parsed, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return sum(1 for (done,) in rows if done)


class Killer(threading.Thread):
    """Cuts the app's connections ``times`` times while the load runs (a PostgreSQL restart,
    as the app sees it; the server itself keeps running for everyone else)."""

    def __init__(self, database_url, name, times):
        super().__init__(daemon=True)
        self.database_url, self.name, self.times = database_url, name, times
        self.killed = []  # (seconds after the start, connections terminated)
        self.stop_event = threading.Event()

    def run(self):
        began = time.monotonic()
        delay = KILL_FIRST_AFTER_SECONDS
        for _ in range(self.times):
            if self.stop_event.wait(delay):
                return
            count = kill_connections(self.database_url, self.name)
            self.killed.append((round(time.monotonic() - began, 1), count))
            delay = KILL_INTERVAL_SECONDS


def run_locust(args, base_url, jobs_path, outcomes_path, csv_prefix, log_path):
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.clients),
        "--spawn-rate",
        str(args.clients),
        "--host",
        base_url,
        "--run-time",
        "15m",  # a ceiling: the run ends by itself when every job is done
        "--stop-timeout",
        "30",
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "LOADTEST_JOBS": str(jobs_path), "LOADTEST_OUTCOMES": str(outcomes_path)}
    with open(log_path, "w") as locust_log:
        completed = subprocess.run(  # noqa: S603 (our own command line)
            command, cwd=ROOT, env=env, stdout=locust_log, stderr=subprocess.STDOUT, check=False
        )
    return completed.returncode


def post_recovery(base_url, recovery_jobs):
    """The responses posted one by one after the load: each must be stored."""
    import requests

    from bench.loadtest.answers import CSRF_SECRET, classify

    outcomes = []
    http = requests.Session()
    for job in recovery_jobs:
        http.cookies.clear()
        http.cookies.set("sessionid", job["session"])
        http.cookies.set("csrftoken", CSRF_SECRET)
        started = time.perf_counter()
        try:
            response = http.post(
                base_url + job["path"],
                data=[*job["body"], ("csrfmiddlewaretoken", CSRF_SECRET)],
                allow_redirects=False,
                timeout=60,
            )
            outcome, detail = classify(job, response)
            status = response.status_code
        except requests.RequestException as error:
            outcome, detail, status = "no_answer", str(error), 0
        outcomes.append(
            {
                "kind": job["kind"],
                "user": job["user"],
                "status": status,
                "outcome": outcome,
                "detail": detail[:300],
                "ms": (time.perf_counter() - started) * 1000,
                "recovery": True,
            }
        )
    return outcomes


# --- Counting -------------------------------------------------------------------------------------


def percentile(values, fraction):
    """The ``fraction`` quantile (nearest rank) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def latency(outcomes):
    values = [outcome["ms"] for outcome in outcomes]
    return {
        "count": len(values),
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": max(values, default=0.0),
        "mean": statistics.fmean(values) if values else 0.0,
    }


def compare(kind, outcomes, stored_by_user):
    """What the clients were told against the rows stored, for one kind of POST."""
    told = [outcome for outcome in outcomes if outcome["kind"] == kind]
    ok_users = {outcome["user"] for outcome in told if outcome["outcome"] == "stored"}
    stored_users = {user for user, count in stored_by_user.items() if count}
    return {
        "posted": len(told),
        "successes": sum(1 for outcome in told if outcome["outcome"] == "stored"),
        "stored": sum(stored_by_user.values()),
        "lost": len(ok_users - stored_users),
        "stored_though_not_told": len(stored_users - ok_users),
        "duplicates": sum(count - 1 for count in stored_by_user.values() if count > 1),
    }


def count_rows(survey, draft, jobs):
    """Rows per participant, and responses whose answers are not all there."""
    from django.db.models import Count

    from participation.drafts.models import ClauseComment
    from participation.submissions.models import Submission

    expected_answers = {job["user"]: job.get("answers") for job in jobs if job["kind"] == "survey"}
    submissions = (
        Submission.objects.filter(call_key=survey.call_key)
        .values("pk", "participant_id")
        .annotate(answer_count=Count("answers"))
    )
    survey_rows, partial = Counter(), 0
    for row in submissions:
        survey_rows[row["participant_id"]] += 1
        if row["answer_count"] != expected_answers.get(row["participant_id"]):
            partial += 1
    comment_rows = Counter(
        ClauseComment.objects.filter(call_key=draft.call_key, parent=None).values_list(
            "author_id", flat=True
        )
    )
    return survey_rows, comment_rows, partial


def summarize(outcomes, recovery_outcomes, survey_rows, comment_rows, partial):
    everything = outcomes + recovery_outcomes
    statuses = Counter(str(outcome["status"]) for outcome in everything)
    outcome_counts = Counter(outcome["outcome"] for outcome in everything)
    first_failures = {}
    for outcome in everything:
        if outcome["outcome"] != "stored" and outcome["outcome"] not in first_failures:
            first_failures[outcome["outcome"]] = f"{outcome['status']} {outcome['detail'][:200]}"
    times = [outcome["at"] for outcome in outcomes if "at" in outcome]
    seconds = (max(times) - min(times)) if len(times) > 1 else 0.0
    return {
        "statuses": dict(statuses),
        "outcomes": dict(outcome_counts),
        "first_failures": first_failures,
        "server_errors": sum(
            1 for o in everything if 500 <= o["status"] < 600 and o["status"] != 503
        ),
        "unavailable": statuses.get("503", 0),
        "unclear_503": sum(1 for o in everything if o["outcome"] == "unavailable" and o["detail"]),
        "survey": compare("survey", everything, survey_rows),
        "comment": compare("comment", everything, comment_rows),
        "partial": partial,
        "latency": latency(outcomes),
        "latency_survey": latency([o for o in outcomes if o["kind"] == "survey"]),
        "latency_comment": latency([o for o in outcomes if o["kind"] == "comment"]),
        "seconds": seconds,
        "posts_per_second": len(outcomes) / seconds if seconds else 0.0,
        "recovery": {
            "posted": len(recovery_outcomes),
            "stored": sum(1 for o in recovery_outcomes if o["outcome"] == "stored"),
        },
    }


def log_counts(log_path):
    text = Path(log_path).read_text(encoding="utf-8", errors="replace")
    return {
        "database_is_locked": text.count("database is locked"),
        "database_unavailable_logged": text.count("Database unavailable while serving"),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


# --- The phase ------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connections

    from bench import load

    name = args.name
    if args.migrate_only:
        log(name, "migrating the template database")
        call_command("migrate", verbosity=0, interactive=False)
        return 0
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    log(name, f"seeding {args.responses} + {args.comments} participants (+{args.recovery})")
    survey, draft, jobs, recovery_jobs = build_jobs(
        name, args.responses, args.comments, args.recovery
    )
    jobs_path = workdir / f"{name}-jobs.json"
    outcomes_path = workdir / f"{name}-outcomes.json"
    jobs_path.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    db_name = database_name()
    vendor = connections["default"].vendor
    connections.close_all()  # the killer spares only its own connection

    server = load.Gunicorn(
        port=args.port,
        workers=args.workers,
        database_url=args.database_url,
        env={
            "DJANGO_SETTINGS_MODULE": "bench.loadtest.settings",
            "LOADTEST_DATABASE_URL": args.database_url,
            "GUNICORN_THREADS": str(args.threads),
            "GUNICORN_TIMEOUT": "120",
        },
    )
    gunicorn_log = workdir / f"{name}-gunicorn.log"
    killer = None
    with server.start(gunicorn_log):
        import requests

        for path in (survey.url, jobs[1]["path"] if len(jobs) > 1 else survey.url):
            for _ in range(args.workers * args.threads * 2):  # every worker warm
                requests.get(server.base_url + path, timeout=60)
        log(
            name,
            f"locust: {args.clients} clients, {len(jobs)} POSTs, gunicorn {args.workers}"
            f" workers × {args.threads} threads"
            + (f", cutting the database connections {args.kills} times" if args.kills else ""),
        )
        if args.kills:
            killer = Killer(args.database_url, db_name, args.kills)
            killer.start()
        began = time.monotonic()
        locust_code = run_locust(
            args,
            server.base_url,
            jobs_path,
            outcomes_path,
            workdir / f"{name}-locust",
            workdir / f"{name}-locust.log",
        )
        elapsed = time.monotonic() - began
        if killer is not None:
            killer.stop_event.set()
            killer.join(timeout=30)
        recovery_outcomes = post_recovery(server.base_url, recovery_jobs)
    outcomes = json.loads(outcomes_path.read_text(encoding="utf-8"))
    survey_rows, comment_rows, partial = count_rows(survey, draft, jobs + recovery_jobs)
    result = summarize(outcomes, recovery_outcomes, survey_rows, comment_rows, partial)
    result.update(
        name=name,
        vendor=vendor,
        database=db_name if vendor == "postgresql" else Path(db_name).name,
        clients=args.clients,
        workers=args.workers,
        threads=args.threads,
        jobs=len(jobs),
        wall_seconds=elapsed,
        locust_exit=locust_code,
        kills=killer.killed if killer else [],
        locust_csv=str(workdir / f"{name}-locust_stats.csv"),
        **log_counts(gunicorn_log),
    )
    Path(args.result).write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")
    log(
        name,
        f"{result['survey']['successes']}/{result['survey']['stored']} survey and"
        f" {result['comment']['successes']}/{result['comment']['stored']} comment"
        f" (successes/stored); statuses {result['statuses']}; p95"
        f" {result['latency']['p95']:.0f} ms",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
