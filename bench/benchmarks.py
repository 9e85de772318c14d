"""The survey benchmarks, each beside its wagtail.contrib.forms baseline.

* results: ``aggregates.survey_results`` and the whole ``results/`` page (Django's test
  client, in process) vs counting the same per-choice answers, means and medians from
  ``FormSubmission.form_data`` JSON in Python, as wagtail.contrib.forms' submission views do;
* submissions: POSTs of a 20-question response through gunicorn vs POSTs of the same
  answers to a ``BaselineFormPage``, then the stored rows are counted.
"""

import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from . import questionnaire as bq


def median(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function, repeats, warmup=1):
    """Seconds per call of ``function`` over ``repeats`` runs (after ``warmup`` runs)."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


# --- Results ---------------------------------------------------------------------------------


def our_results(page):
    """What the results page and an API compute: every question's counts, percentages,
    means and medians, from the tallies (one query)."""
    from participation.results import aggregates

    results = aggregates.survey_results(page, public=True)
    assert results.questions, "survey_results returned no questions"
    return results


def results_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


def baseline_results(page):
    """The wagtail.contrib.forms way: read the page's ``FormSubmission`` rows and count
    each field's answers from ``form_data`` in Python (counts per choice; mean and median
    of the numeric and scale fields), like its submissions list and CSV views read them.

    Generous to the baseline: it reads only the JSON column (``values_list``), in chunks,
    rather than whole model instances.
    """
    from wagtail.contrib.forms.models import FormSubmission

    fields = bq.baseline_fields()
    numeric = {
        question.code
        for question in bq.QUESTIONS
        if question.type in {"likert", "rating", "number"}
    } | {name for name, _label, kind, _choices in fields if kind == "radio" and "_r" in name}
    counts = defaultdict(Counter)
    numbers = defaultdict(list)
    respondents = 0
    rows = FormSubmission.objects.filter(page=page).values_list("form_data", flat=True)
    for data in rows.iterator(chunk_size=2000):
        respondents += 1
        for name, _label, kind, _choices in fields:
            value = data.get(name)
            if value in (None, "", []):
                continue
            if kind == "checkboxes":
                counts[name].update(value)
            else:
                counts[name][value] += 1
            if name in numeric:
                numbers[name].append(float(value))
    summary = {
        name: (statistics.fmean(values), statistics.median(values))
        for name, values in numbers.items()
    }
    assert respondents, "the baseline page has no submissions"
    return respondents, counts, summary


@dataclass
class ResultsRow:
    label: str
    submissions: int
    answers: int
    ours: list
    page: list
    baseline: list

    @property
    def ratio(self):
        return median(self.baseline) / median(self.ours)

    @property
    def page_ratio(self):
        return median(self.baseline) / median(self.page)


def bench_results(survey, baseline, *, label, submissions, answers, repeats, baseline_repeats):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    url = survey.url + "results/"
    # Same numbers on both sides before timing anything.
    respondents, counts, _summary = baseline_results(baseline)
    ours = our_results(survey)
    assert respondents == submissions, (respondents, submissions)
    assert ours.responses == submissions, (ours.responses, submissions)
    first = bq.QUESTIONS[0]
    by_label = {cell.label: cell.count for cell in ours.questions[0].choices}
    assert by_label == {label_: counts[first.code][label_] for label_ in first.choices}, (
        "our counts differ from the baseline's"
    )
    return ResultsRow(
        label=label,
        submissions=submissions,
        answers=answers,
        ours=timed(lambda: our_results(survey), repeats, warmup=3),
        page=timed(lambda: results_page(client, url), repeats, warmup=3),
        baseline=timed(lambda: baseline_results(baseline), baseline_repeats, warmup=1),
    )


# --- Submissions -----------------------------------------------------------------------------


def jalali(date):
    import jdatetime

    value = jdatetime.date.fromgregorian(date=date)
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def survey_post(answers, started_at):
    """The POST body of the survey form for one generated response."""
    pairs = [("started_at", started_at), ("_action", "submit")]
    for question in bq.QUESTIONS:
        name = f"q_{question.id}"
        value = answers[question.code]
        kind = question.type
        if kind == "single_choice":
            pairs.append((name, question.choice_ids()[value]))
        elif kind == "multiple_choice":
            ids = question.choice_ids()
            pairs.extend((name, ids[index]) for index in value)
        elif kind == "matrix":
            pairs.extend(
                (f"{name}__{row_id}", str(point))
                for row_id, point in zip(question.row_ids(), value, strict=True)
            )
        elif kind == "date":
            pairs.append((name, jalali(value)))
        else:
            pairs.append((name, str(value)))
    return pairs


CSRF_SECRET = "benchcsrfsecret0123456789abcdefg"  # noqa: S105 (32 characters, a test token)
assert len(CSRF_SECRET) == 32

BASELINE_THANKS = "پاسخ شما ثبت شد"


def _prepare(http, session_key):
    http.cookies.clear()
    http.cookies.set("sessionid", session_key)
    http.cookies.set("csrftoken", CSRF_SECRET)


def post_survey(base_url, path, follow_thanks=True):
    """Send one survey response; with ``follow_thanks`` also load the thank-you page."""

    def send(http, job):
        session_key, body = job
        _prepare(http, session_key)
        response = http.post(
            base_url + path,
            data=[*body, ("csrfmiddlewaretoken", CSRF_SECRET)],
            timeout=30,
            allow_redirects=False,
        )
        location = response.headers.get("Location", "")
        if response.status_code != 302 or "thanks=1" not in location:
            return False, f"{response.status_code} {location or response.text[:200]}"
        if not follow_thanks:
            return True, ""
        # The participant lands on the thank-you page (POST/redirect/GET): counted too.
        thanks = http.get(base_url + location.split("#")[0], timeout=30, allow_redirects=False)
        if thanks.status_code != 200:
            return False, f"thanks page {thanks.status_code}"
        return True, ""

    return send


def vote_on_statement(base_url, call_key):
    """Vote on a statement of the call's conversation and load the next one (the block's
    plain form: POST, a 302 back to the statements, and the GET of the next statement)."""
    path = f"/statements/{call_key}/"

    def send(http, job):
        session_key, body = job
        _prepare(http, session_key)
        response = http.post(
            base_url + path + "vote/",
            data=[*body, ("csrfmiddlewaretoken", CSRF_SECRET)],
            timeout=30,
            allow_redirects=False,
        )
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.endswith(path):
            return False, f"{response.status_code} {location or response.text[:200]}"
        following = http.get(base_url + location, timeout=30, allow_redirects=False)
        if following.status_code != 200:
            return False, f"next statement {following.status_code}"
        return True, ""

    return send


def post_baseline(base_url, path):
    def send(http, job):
        session_key, body = job
        _prepare(http, session_key)
        response = http.post(
            base_url + path,
            data=[*body, ("csrfmiddlewaretoken", CSRF_SECRET)],
            timeout=30,
            allow_redirects=False,
        )
        if response.status_code != 200 or BASELINE_THANKS not in response.text:
            return False, f"{response.status_code} {response.text[:200]}"
        return True, ""

    return send


def split(items, parts):
    return [items[index::parts] for index in range(parts)]
