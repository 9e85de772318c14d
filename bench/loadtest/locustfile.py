"""Locust users for ``make loadtest``: each job is one participant posting once.

Reads the jobs ``bench/loadtest/phase.py`` wrote (``LOADTEST_JOBS``, JSON): a signed-in
session, the path and the form body of a survey response or a clause comment. Every
simulated client takes the next job, so no two requests share a participant. Every
answer is classified (stored, refused, 503, 500…) and written with its latency to
``LOADTEST_OUTCOMES`` when the run ends; the run ends by itself once every job is done.

Run by phase.py as ``locust -f bench/loadtest/locustfile.py --headless -u N -r N``;
Django is not imported here.
"""

import json
import os
import sys
import time
from collections import deque
from pathlib import Path

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.loadtest.answers import CSRF_SECRET, classify  # noqa: E402

REQUEST_TIMEOUT = 60

JOBS = deque()
OUTCOMES = []
STATE = {"total": 0}


@events.init.add_listener
def load_jobs(environment, **kwargs):
    with open(os.environ["LOADTEST_JOBS"], encoding="utf-8") as jobs_file:
        jobs = json.load(jobs_file)
    JOBS.extend(jobs)
    STATE["total"] = len(jobs)


@events.test_start.add_listener
def quit_when_done(environment, **kwargs):
    """Stop the run once every job has its answer (a user cannot stop the runner itself:
    stopping kills the users' greenlets, its own included)."""

    def watch():
        while len(OUTCOMES) < STATE["total"]:
            gevent.sleep(0.2)
        environment.runner.quit()

    gevent.spawn(watch)


@events.quitting.add_listener
def write_outcomes(environment, **kwargs):
    with open(os.environ["LOADTEST_OUTCOMES"], "w", encoding="utf-8") as out:
        json.dump(OUTCOMES, out)


class Participant(HttpUser):
    wait_time = constant(0)

    @task
    def post_once(self):
        if not JOBS:
            raise StopUser()
        job = JOBS.popleft()
        self.client.cookies.clear()
        self.client.cookies.set("sessionid", job["session"])
        self.client.cookies.set("csrftoken", CSRF_SECRET)
        body = [*job["body"], ("csrfmiddlewaretoken", CSRF_SECRET)]
        started = time.perf_counter()
        try:
            with self.client.post(
                job["path"],
                data=body,
                name=f"{job['kind']} POST",
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
                catch_response=True,
            ) as response:
                outcome, detail = classify(job, response)
                if outcome == "stored":
                    response.success()
                else:
                    response.failure(f"{outcome}: {detail[:120]}")
                status = response.status_code
        except Exception as error:  # noqa: BLE001 - a dropped connection is an outcome too
            outcome, detail, status = "no_answer", f"{type(error).__name__}: {error}", 0
        OUTCOMES.append(
            {
                "kind": job["kind"],
                "user": job["user"],
                "status": status,
                "outcome": outcome,
                "detail": detail[:300],
                "ms": (time.perf_counter() - started) * 1000,
                "at": time.time(),
            }
        )
