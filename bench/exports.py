"""Export benchmark: rows per second and peak memory of a survey's XLSX and CSV exports.

Each export runs in a fresh subprocess (this file run as a script), so its peak RSS
(``VmHWM``) is its own: Django's start-up plus the export.

* ours: ``participation.results.exports.write_xlsx(page, path)`` and ``csv_lines(page)``
  written to a file;
* baseline: wagtail.contrib.forms' own export of the ``BaselineFormPage`` submissions —
  the admin's submissions list with ``?export=xlsx`` / ``?export=csv``, requested by a
  superuser through Django's test client, its response written to a file.

    .venv/bin/python bench/exports.py --side ours --format xlsx --page 12 --output /tmp/x.xlsx

At the 1M-answer size one more run of ours (CSV) reads 500 submissions at a time instead
of ``exports.STREAM_CHUNK_SIZE``: a diagnostic of where the peak memory goes.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_EMAIL = "bench-admin@bench.hadaf.test"
FORMATS = ("xlsx", "csv")
SIDES = ("ours", "baseline")


@dataclass
class ExportRun:
    side: str
    format: str
    submissions: int
    answers: int
    rows: int
    seconds: float
    rss_start_kib: int
    peak_rss_kib: int
    bytes: int
    chunk_size: int | None = None  # a diagnostic run with another STREAM_CHUNK_SIZE
    cpu_seconds: float = 0.0  # the export process's own CPU time
    db_cpu_seconds: float = 0.0  # its PostgreSQL backend's

    @property
    def rows_per_second(self):
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def answers_per_second(self):
        return self.answers / self.seconds if self.seconds else 0.0


# --- In the parent -------------------------------------------------------------------------


def ensure_admin():
    """The superuser the baseline's admin export is requested as."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(email=ADMIN_EMAIL).first()
    if user is None:
        user = user_model.objects.create_superuser(
            email=ADMIN_EMAIL, password=None, first_name="بنچ", last_name="مدیر"
        )
    return user


def worker_command(side, export_format, page_id, output, chunk_size=None):
    extra = ["--chunk-size", str(chunk_size)] if chunk_size else []
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--side",
        side,
        "--format",
        export_format,
        "--page",
        str(page_id),
        "--output",
        str(output),
        *extra,
    ]


def run_export(
    side, export_format, page_id, output, *, submissions, answers, database_url, chunk_size=None
):
    """One export in a fresh subprocess; raises if it fails or its row count is wrong.

    ``chunk_size`` replaces ``exports.STREAM_CHUNK_SIZE`` (ours only): the diagnostic run.
    """
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "site.settings.bench",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        worker_command(side, export_format, page_id, output, chunk_size),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{side} {export_format} export failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    Path(output).unlink(missing_ok=True)
    run = ExportRun(
        side=side,
        format=export_format,
        submissions=submissions,
        answers=answers,
        rows=result["rows"],
        seconds=result["seconds"],
        cpu_seconds=result.get("cpu_seconds", 0.0),
        db_cpu_seconds=result.get("db_cpu_seconds", 0.0),
        rss_start_kib=result["rss_start_kib"],
        peak_rss_kib=result["peak_rss_kib"],
        bytes=result["bytes"],
        chunk_size=chunk_size,
    )
    if run.rows != submissions:
        raise AssertionError(
            f"{side} {export_format}: {run.rows:,} rows exported for {submissions:,} submissions"
        )
    return run


DIAGNOSTIC_CHUNK_SIZE = 10_000  # rows per fetch five times larger: where the memory goes


def bench_exports(
    survey, baseline, *, submissions, answers, database_url, workdir, diagnostic=False
):
    """XLSX and CSV, ours then the baseline's, each in its own subprocess (and with
    ``diagnostic`` ours again, CSV, in chunks of :data:`DIAGNOSTIC_CHUNK_SIZE`)."""
    runs = []
    for export_format in FORMATS:
        for side in SIDES:
            page = survey if side == "ours" else baseline
            runs.append(
                run_export(
                    side,
                    export_format,
                    page.pk,
                    Path(workdir) / f"export-{side}.{export_format}",
                    submissions=submissions,
                    answers=answers,
                    database_url=database_url,
                )
            )
    if diagnostic:
        runs.append(
            run_export(
                "ours",
                "csv",
                survey.pk,
                Path(workdir) / "export-ours-chunks.csv",
                submissions=submissions,
                answers=answers,
                database_url=database_url,
                chunk_size=DIAGNOSTIC_CHUNK_SIZE,
            )
        )
    return runs


# --- In the subprocess ---------------------------------------------------------------------


def status_kib(field):
    """A memory figure of this process from ``/proc/self/status``, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def count_csv_rows(path):
    """Data rows of a CSV file (the header excluded), read as CSV (quoted newlines too)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _row in csv.reader(handle)) - 1


def count_xlsx_rows(path):
    """Data rows of the workbook's first sheet, counted in its XML without loading it."""
    pattern = b'<row r="'  # openpyxl numbers every row it writes
    with zipfile.ZipFile(path) as archive:
        name = min(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        count, tail = 0, b""
        with archive.open(name) as sheet:
            while chunk := sheet.read(1 << 20):
                data = tail + chunk
                count += data.count(pattern)
                tail = data[-(len(pattern) - 1) :]  # too short to hold a whole match
    return count - 1


def backend_pid():
    """The process id of the PostgreSQL backend serving this process's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def backend_cpu_seconds(pid):
    """CPU time so far of the PostgreSQL backend ``pid`` (0 once it has gone).

    Read from ``/proc`` (the server runs on this machine): on a busy machine, wall time
    measures the queue for the cores; CPU time, ours and the database's, what the export
    costs.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def export_ours(page, export_format, output):
    from participation.results import exports

    if export_format == "xlsx":
        exports.write_xlsx(page, str(output))
        return
    with open(output, "w", encoding="utf-8", newline="") as handle:
        for line in exports.csv_lines(page):
            handle.write(line)


def export_baseline(page, export_format, output):
    """What an editor gets from wagtail.contrib.forms' "Download XLSX/CSV" buttons."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(email=ADMIN_EMAIL))
    url = reverse("wagtailforms:list_submissions", args=[page.pk])
    response = client.get(url, {"export": export_format})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    with open(output, "wb") as handle:
        if response.streaming:
            for chunk in response.streaming_content:
                handle.write(chunk)
        else:
            handle.write(response.content)
    response.close()


def worker(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", choices=SIDES, required=True)
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--page", type=int, required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--chunk-size", type=int, default=None, help="ours: submissions per read")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    import site_package

    site_package.activate()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.bench")
    import django

    django.setup()
    import openpyxl  # noqa: F401 - imported before the start, on both sides alike
    from wagtail.models import Page

    from participation.results import exports

    if args.chunk_size:
        exports.STREAM_CHUNK_SIZE = args.chunk_size
    page = Page.objects.get(pk=args.page).specific
    rss_start = status_kib("VmRSS")
    pid = backend_pid()
    db_cpu_started = backend_cpu_seconds(pid)
    started = time.perf_counter()
    cpu_started = time.process_time()
    if args.side == "ours":
        export_ours(page, args.format, args.output)
    else:
        export_baseline(page, args.format, args.output)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    db_cpu_seconds = max(0.0, backend_cpu_seconds(pid) - db_cpu_started)
    # The peak of this process image. Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries
    # the parent's high-water mark across fork and exec into it, so a subprocess of a large
    # bench/run.py would report the parent's size.
    peak = status_kib("VmHWM")
    rows = (count_xlsx_rows if args.format == "xlsx" else count_csv_rows)(args.output)
    result = {
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "db_cpu_seconds": db_cpu_seconds,
        "rss_start_kib": rss_start,
        "peak_rss_kib": peak,
        "bytes": Path(args.output).stat().st_size,
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(worker())
