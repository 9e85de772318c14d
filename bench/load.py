"""A small load generator and a gunicorn runner, loopback only.

Each client is a thread with its own HTTP session; every request is bounded (a fixed
number per client and a timeout), so a broken server ends the run instead of hanging it.
"""

import os
import signal
import subprocess
import sys
import threading
import time
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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


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
