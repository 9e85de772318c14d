"""A small load generator and a gunicorn runner, loopback only.

Two clients, both bounded (a fixed number of requests per client and a timeout), so a
broken server ends the run instead of hanging it:

* :func:`run_clients`: one thread per client with its own ``requests`` session (the
  survey POSTs, which need cookies and form bodies);
* :func:`get_load`: one process per client sending plain GETs with ``http.client``, so
  the client's own Python (and its GIL) limits a fast server as little as it can — for
  the page cache and the static file it is measured against.
"""

import http.client
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30


@dataclass
class Gunicorn:
    """gunicorn serving the project with the bench settings on 127.0.0.1."""

    port: int
    workers: int
    database_url: str
    env: dict = field(default_factory=dict)  # extra environment (cache settings…)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base_url(self):
        return f"http://{HOST}:{self.port}"

    def command(self):
        return [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
        ]

    def start(self, log_path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site.settings.bench",
            "BENCH_DATABASE_URL": self.database_url,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESSLOG": "/dev/null",
            **self.env,
        }
        self.log_path = log_path
        log = open(log_path, "w")  # noqa: SIM115 (kept open for the child's lifetime)
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {log_path}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def pids(self):
        """The master's and its workers' process ids."""
        if self.process is None:
            return []
        master = self.process.pid
        found = [master]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
        return found

    def cpu_seconds(self):
        """CPU time (user + system) the master and its live workers have used so far."""
        return sum(process_cpu_seconds(pid) for pid in self.pids())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def process_cpu_seconds(pid):
    """CPU time (user + system) process ``pid`` has used so far; 0 if it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


@dataclass
class LoadResult:
    label: str
    clients: int
    attempted: int = 0
    succeeded: int = 0
    failed: int = 0
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    @property
    def per_second(self):
        return self.succeeded / self.seconds if self.seconds else 0.0


def run_clients(label, jobs_per_client, send):
    """Run one thread per entry of ``jobs_per_client``; ``send(http, job)`` returns
    (ok, detail). Returns a :class:`LoadResult` with wall-clock throughput."""
    result = LoadResult(label=label, clients=len(jobs_per_client))
    lock = threading.Lock()
    start_gate = threading.Barrier(len(jobs_per_client) + 1)

    def client(jobs):
        http = requests.Session()
        start_gate.wait()
        for job in jobs:
            started = time.perf_counter()
            try:
                ok, detail = send(http, job)
            except requests.RequestException as error:
                ok, detail = False, f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - started
            with lock:
                result.attempted += 1
                result.latencies.append(elapsed)
                if ok:
                    result.succeeded += 1
                else:
                    result.failed += 1
                    if len(result.failures) < 5:
                        result.failures.append(detail)
        http.close()

    threads = [threading.Thread(target=client, args=(jobs,)) for jobs in jobs_per_client]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * (max(map(len, jobs_per_client)) + 1))
    result.seconds = time.perf_counter() - began
    if any(thread.is_alive() for thread in threads):
        print("warning: a client thread is still running", file=sys.stderr)
    return result


# --- Plain GETs from one process per client ---------------------------------------------------


@dataclass
class GetResult(LoadResult):
    headers: Counter = field(default_factory=Counter)  # values of the watched header
    wrong_size: int = 0
    client_cpu: float = 0.0  # seconds of CPU the client processes used
    server_cpu: float = 0.0  # seconds of CPU gunicorn used during the round
    cache_cpu: float = 0.0  # seconds of CPU Redis used during the round (when it is local)

    def cpu_ms_per_request(self, seconds):
        return seconds * 1000 / self.succeeded if self.succeeded else 0.0


def _get_client(path, port, count, expect_bytes, header, gate, results):
    """One client process: ``count`` sequential GETs, a new connection each (gunicorn's
    sync workers close every connection)."""
    latencies, failures, headers = [], [], Counter()
    ok = failed = wrong_size = 0
    gate.wait(timeout=120)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.monotonic()
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            body = response.read()
            value = response.getheader(header) if header else None
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            failed += 1
            if len(failures) < 5:
                failures.append(f"{type(error).__name__}: {error}")
            continue
        latencies.append(time.perf_counter() - started)
        headers[value or "-"] += 1
        if response.status != 200:
            failed += 1
            if len(failures) < 5:
                failures.append(f"{response.status} {body[:200]!r}")
            continue
        if expect_bytes is not None and len(body) != expect_bytes:
            wrong_size += 1
        ok += 1
    ended = time.monotonic()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    results.put(
        {
            "began": began,
            "ended": ended,
            "ok": ok,
            "failed": failed,
            "wrong_size": wrong_size,
            "latencies": latencies,
            "failures": failures,
            "headers": dict(headers),
            "cpu": cpu,
        }
    )


def get_load(
    label, server, path, *, clients, per_client, expect_bytes=None, header=None, cache_pid=None
):
    """``clients`` processes each GET ``path`` ``per_client`` times from ``server`` at once.

    Returns a :class:`GetResult`: throughput over the wall-clock span from the first
    client's start to the last one's end, every latency, the values of ``header``, the
    responses whose size was not ``expect_bytes``, and the CPU both sides (and the cache
    server ``cache_pid``) used.
    """
    context = multiprocessing.get_context("spawn")
    gate = context.Barrier(clients + 1)
    results = context.Queue()
    processes = [
        context.Process(
            target=_get_client,
            args=(path, server.port, per_client, expect_bytes, header, gate, results),
            daemon=True,
        )
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    cpu_before = server.cpu_seconds()
    cache_before = process_cpu_seconds(cache_pid) if cache_pid else 0.0
    gate.wait(timeout=120)
    reports = [results.get(timeout=REQUEST_TIMEOUT * (per_client + 1)) for _ in processes]
    server_cpu = server.cpu_seconds() - cpu_before
    cache_cpu = process_cpu_seconds(cache_pid) - cache_before if cache_pid else 0.0
    for process in processes:
        process.join(timeout=30)
    result = GetResult(label=label, clients=clients)
    for report in reports:
        result.attempted += report["ok"] + report["failed"]
        result.succeeded += report["ok"]
        result.failed += report["failed"]
        result.wrong_size += report["wrong_size"]
        result.latencies.extend(report["latencies"])
        result.failures.extend(report["failures"][: 5 - len(result.failures)])
        result.headers.update(report["headers"])
        result.client_cpu += report["cpu"]
    result.seconds = max(r["ended"] for r in reports) - min(r["began"] for r in reports)
    result.server_cpu = server_cpu
    result.cache_cpu = cache_cpu
    return result
