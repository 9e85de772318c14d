"""Load and fault tests (``make loadtest``): no submission lost, none counted twice, no 500.

    .venv/bin/python bench/loadtest/run.py            # the full run (bench/LOADTEST.md)
    .venv/bin/python bench/loadtest/run.py --quick    # a small one while developing
    .venv/bin/python bench/loadtest/run.py --phases sqlite,fault

Three phases, each in its own process (``phase.py``) against gunicorn on 127.0.0.1:

* postgres: 50 locust clients post 2,000 survey responses (the bench's 20 questions)
  and 2,000 clause comments, each from a different signed-in participant, to gunicorn
  (5 sync workers, the production default here) on a fresh PostgreSQL database
  (``LOADTEST_DATABASE_URL``, default ``hadaf_bench_loadtest``, recreated from a
  migrated template kept as ``hadaf_bench_loadtest_template``);
* sqlite: the same on a fresh embedded SQLite file (copied from a migrated template
  in bench/loadtest/.cache/) (WAL, ``IMMEDIATE`` transactions, a
  busy timeout) with 20 clients and 20 request threads (4 workers × 5 threads), so 20
  writers really are at the database at once; "database is locked" errors are counted;
* fault: the postgres load again (smaller, new pages and people) while every server
  connection of the database is terminated several times (what a PostgreSQL restart
  looks like to the app; the server itself is not restarted), then responses posted
  one at a time must all succeed.

Then it counts, per phase: successful POSTs against the rows stored, duplicates per
person, responses without all their answers, 5xx, and the latency percentiles; writes
bench/LOADTEST.md; and exits non-zero when rows differ from successes, a row is
duplicated or partial, a 500 is answered, or (outside the fault phase) any 5xx.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/hadaf_bench_loadtest"
PHASES = ("postgres", "sqlite", "fault")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"some of {','.join(PHASES)}")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--responses", type=int, default=None, help="survey POSTs (2000)")
    parser.add_argument("--comments", type=int, default=None, help="comment POSTs (2000)")
    parser.add_argument("--sqlite-writers", type=int, default=20)
    parser.add_argument("--fault-responses", type=int, default=None, help="(400)")
    parser.add_argument("--kills", type=int, default=4, help="connection cuts in the fault phase")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--output", default=None, help="the report (bench/LOADTEST.md)")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        "responses": 200 if quick else 2000,
        "comments": 200 if quick else 2000,
        "fault_responses": 150 if quick else 400,
        "output": str(ROOT / "bench" / ("LOADTEST-quick.md" if quick else "LOADTEST.md")),
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    args.postgres_url = os.environ.get("LOADTEST_DATABASE_URL") or DEFAULT_POSTGRES_URL
    return args


def log(message):
    print(f"[loadtest {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


CACHE = ROOT / "bench" / "loadtest" / ".cache"


def migrate_template(name, database_url):
    """Migrate a template database in a phase process (quick when it is up to date)."""
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        str(ROOT / "bench" / "loadtest" / "phase.py"),
        "--name",
        name,
        "--database-url",
        database_url,
        "--migrate-only",
    ]
    subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 (our own script)


def fresh_postgres(url):
    """Drop the load test's PostgreSQL database and copy it afresh from its migrated template.

    The template (``<name>_template``) is kept between runs, so only new migrations
    are applied; bench.seed.ensure_database refuses any database not named hadaf_bench*.
    """
    import site_package

    site_package.activate()
    import psycopg
    from psycopg import sql

    from bench.seed import ensure_database

    name = url.rsplit("/", 1)[1].split("?")[0]
    template_url = url.replace(f"/{name}", f"/{name}_template", 1)
    template = ensure_database(template_url)
    migrate_template("postgres-template", template_url)
    ensure_database(url, recreate=True)  # checks the name, ends its connections
    parsed = psycopg.conninfo.conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    parsed["dbname"] = "postgres"
    with psycopg.connect(**parsed, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return name


def fresh_sqlite(path):
    """A new SQLite file copied from a migrated template kept in bench/loadtest/.cache/."""
    import sqlite3

    CACHE.mkdir(parents=True, exist_ok=True)
    template = CACHE / "template.sqlite3"
    migrate_template("sqlite-template", f"sqlite:///{template}")
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return path


def phase_plans(args, workdir):
    sqlite_path = workdir / "loadtest.sqlite3"
    plans = {
        "postgres": {
            "database_url": args.postgres_url,
            "clients": args.clients,
            "responses": args.responses,
            "comments": args.comments,
            "workers": 5,
            "threads": 1,
        },
        "sqlite": {
            "database_url": f"sqlite:///{sqlite_path}",
            "clients": args.sqlite_writers,
            "responses": args.responses,
            "comments": args.comments,
            "workers": 4,
            "threads": max(1, args.sqlite_writers // 4),
        },
        "fault": {
            "database_url": args.postgres_url,
            "clients": args.clients,
            "responses": args.fault_responses,
            "comments": args.fault_responses,
            "workers": 5,
            "threads": 1,
            "kills": args.kills,
            "recovery": 20,
        },
    }
    return {name: plans[name] for name in args.phases}


def run_phase(name, plan, args, workdir):
    result_path = workdir / f"{name}.json"
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        str(ROOT / "bench" / "loadtest" / "phase.py"),
        "--name",
        name,
        "--database-url",
        plan["database_url"],
        "--clients",
        str(plan["clients"]),
        "--responses",
        str(plan["responses"]),
        "--comments",
        str(plan["comments"]),
        "--workers",
        str(plan["workers"]),
        "--threads",
        str(plan["threads"]),
        "--port",
        str(args.port),
        "--kills",
        str(plan.get("kills", 0)),
        "--recovery",
        str(plan.get("recovery", 0)),
        "--workdir",
        str(workdir),
        "--result",
        str(result_path),
    ]
    completed = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 (our own script)
    if completed.returncode != 0 or not result_path.exists():
        return {"name": name, "crashed": f"phase.py exited with {completed.returncode}"}
    return json.loads(result_path.read_text(encoding="utf-8"))


# --- Verdicts -------------------------------------------------------------------------------------


def problems_of(result):
    """What makes this phase fail: lost, extra, duplicated or partial rows, 500s."""
    if "crashed" in result:
        return [result["crashed"]]
    problems = []
    fault = result["name"] == "fault"
    for kind in ("survey", "comment"):
        figures = result[kind]
        if figures["lost"]:
            problems.append(f"{kind}: {figures['lost']} told stored but not in the database")
        if figures["duplicates"]:
            problems.append(f"{kind}: {figures['duplicates']} duplicates")
        if not fault and figures["stored"] != figures["successes"]:
            problems.append(
                f"{kind}: {figures['stored']} rows for {figures['successes']} successful POSTs"
            )
    if result["partial"]:
        problems.append(f"{result['partial']} responses without all their answers")
    if result["server_errors"]:
        problems.append(f"{result['server_errors']} server errors (5xx other than 503)")
    if not fault and result["unavailable"]:
        problems.append(f"{result['unavailable']} answered 503")
    if result["unclear_503"]:
        problems.append(f"{result['unclear_503']} 503s without the page or Retry-After")
    refused = result["outcomes"].get("refused", 0)
    if refused:
        problems.append(f"{refused} POSTs refused: {result['first_failures'].get('refused')}")
    no_answer = result["outcomes"].get("no_answer", 0)
    if no_answer:
        problems.append(f"{no_answer} POSTs got no answer: {result['first_failures']['no_answer']}")
    recovery = result["recovery"]
    if recovery["stored"] != recovery["posted"]:
        problems.append(f"after the cuts, {recovery['stored']}/{recovery['posted']} stored")
    return problems


# --- Report ---------------------------------------------------------------------------------------


def machine():
    cpu, memory = platform.processor() or "?", "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    from importlib.metadata import version

    versions = " / ".join(
        f"{name} {version(name)}" for name in ("Django", "wagtail", "gunicorn", "locust")
    )
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    import sqlite3

    return {
        "load average at the start (1, 5, 15 min)": LOAD_AT_START,
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "PostgreSQL": postgres or "?",
        "SQLite": sqlite3.sqlite_version,
        "Python": platform.python_version(),
        "versions": versions,
        "OS": platform.platform(),
    }


def ms(value):
    return f"{value:,.0f}"


TITLES = {
    "postgres": "PostgreSQL, {clients} clients",
    "sqlite": "SQLite, {clients} writers",
    "fault": "PostgreSQL, {clients} clients, connections cut",
}


def results_table(results):
    lines = [
        "| phase | POSTs (survey + comment) | successes | rows stored | lost | duplicates"
        " | partial | 503 | other 5xx | database is locked | POSTs/s | p50 / p95 / p99 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        if "crashed" in result:
            lines.append(f"| {result['name']} | crashed: {result['crashed']} |" + " |" * 10)
            continue
        survey, comment, latency = result["survey"], result["comment"], result["latency"]
        lines.append(
            f"| {TITLES[result['name']].format(**result)}"
            f" | {survey['posted']:,} + {comment['posted']:,}"
            f" | {survey['successes']:,} + {comment['successes']:,}"
            f" | {survey['stored']:,} + {comment['stored']:,}"
            f" | {survey['lost'] + comment['lost']}"
            f" | {survey['duplicates'] + comment['duplicates']}"
            f" | {result['partial']}"
            f" | {result['unavailable']}"
            f" | {result['server_errors']}"
            f" | {result['database_is_locked']}"
            f" | {result['posts_per_second']:.1f}"
            f" | {ms(latency['p50'])} / {ms(latency['p95'])} / {ms(latency['p99'])} |"
        )
    return lines


def latency_table(results):
    lines = [
        "| phase | POST | count | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        if "crashed" in result:
            continue
        for kind in ("survey", "comment"):
            figures = result[f"latency_{kind}"]
            lines.append(
                f"| {result['name']} | {kind} | {figures['count']:,} | {ms(figures['p50'])}"
                f" | {ms(figures['p95'])} | {ms(figures['p99'])} | {ms(figures['max'])} |"
            )
    return lines


def phase_notes(result):
    if "crashed" in result:
        return []
    notes = [
        f"- **{result['name']}**: gunicorn {result['workers']} workers × {result['threads']}"
        f" threads, {result['clients']} locust clients, {result['jobs']:,} POSTs in"
        f" {result['wall_seconds']:.0f} s; statuses {result['statuses']}."
    ]
    if result["name"] == "sqlite":
        notes.append(f'  - "database is locked" in the server log: {result["database_is_locked"]}.')
    if result["kills"]:
        cuts = ", ".join(f"{count} at {at:.0f} s" for at, count in result["kills"])
        notes.append(f"  - Connections terminated (`pg_terminate_backend`): {cuts}.")
        notes.append(
            f"  - Answered 503 (the page, `Retry-After`): {result['unavailable']}; 500:"
            f" {result['server_errors']}; stored though the client was not told so"
            f" (survey + comment): {result['survey']['stored_though_not_told']} +"
            f" {result['comment']['stored_though_not_told']}; responses without all their"
            f" answers: {result['partial']}."
        )
        recovery = result["recovery"]
        notes.append(
            f"  - Afterwards, {recovery['stored']} of {recovery['posted']} responses posted one"
            " at a time were stored (the workers reconnected by themselves)."
        )
    return notes


def write_report(args, results, problems, elapsed):
    lines = [
        "# Load and fault tests",
        "",
        f"One run of `make loadtest{' LOADTEST_ARGS=--quick' if args.quick else ''}`"
        f" (`bench/loadtest/run.py`) on {time.strftime('%Y-%m-%d %H:%M %Z')},"
        f" {elapsed / 60:.1f} min." + (" **Quick run: small sizes.**" if args.quick else ""),
        "",
        "## Results",
        "",
        *results_table(results),
        "",
        "Latencies and POSTs/s are this machine's at the time of the run, shared with other"
        " work (its load average at the start is under *Machine*); the counts are what the run"
        " checks.",
        "",
        "*successes*: POSTs answered as stored (a survey's redirect to its thank-you page, a"
        " comment's redirect to itself); *rows stored*: `Submission` rows of the survey and"
        " top-level `ClauseComment` rows of the draft; *lost*: told stored, not in the"
        " database; *duplicates*: a second row for the same person (and clause); *partial*: a"
        " response without every one of its answer rows. Latency is every POST's, measured by"
        " the client, over the whole run (the per-kind figures are below).",
        "",
        *latency_table(results),
        "",
        "## Phases",
        "",
        *[note for result in results for note in phase_notes(result)],
        "",
        "## Verdict",
        "",
        *([f"- {problem}" for problem in problems] or ["- every check passed"]),
        "",
        "## How it runs",
        "",
        "Each POST comes from a different participant (users and signed-in sessions written"
        " straight into the database, as `bench/seed.py` does for the benchmarks), with the"
        " CSRF cookie and token, without following the redirect. Survey: the 20 questions of"
        " `bench/questionnaire.py` (22 values) stored by `submit_response` with its answers"
        " and tallies in one transaction. Comments: a stance and a comment on one of the"
        " draft's provisions through `drafts.services.post_comment`. Settings"
        " `bench.loadtest.settings`: DEBUG off, page cache off, per-process memory cache,"
        " PostgreSQL with `CONN_MAX_AGE=60` and `CONN_HEALTH_CHECKS`; SQLite in WAL mode with"
        " `IMMEDIATE` transactions and a 20 s busy timeout (`site/settings/environment.py`)."
        " The per-address rate limits and the minimum fill-in time are off: every client is"
        " 127.0.0.1 and posts at once. locust's own statistics are in"
        " `bench/loadtest/.runs/*-locust_stats.csv`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine().items()),
        "",
    ]
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")


LOAD_AT_START = "?"


def main(argv=None):
    global LOAD_AT_START  # noqa: PLW0603 (read once, reported with the machine)
    LOAD_AT_START = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    args = parse_args(argv)
    began = time.monotonic()
    workdir = ROOT / "bench" / "loadtest" / ".runs"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="hadaf-loadtest-") as scratch:
        if {"postgres", "fault"} & set(args.phases):
            log(f"PostgreSQL database {fresh_postgres(args.postgres_url)}, migrated")
        if "sqlite" in args.phases:
            log(f"SQLite file {fresh_sqlite(Path(scratch) / 'loadtest.sqlite3')}, migrated")
        plans = phase_plans(args, Path(scratch))
        results = []
        for name, plan in plans.items():
            log(f"phase {name}")
            results.append(run_phase(name, plan, args, workdir))
    problems = [f"{r['name']}: {problem}" for r in results for problem in problems_of(r)]
    elapsed = time.monotonic() - began
    write_report(args, results, problems, elapsed)
    log(f"report: {args.output} ({elapsed / 60:.1f} min)")
    for problem in problems:
        log(f"PROBLEM {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
