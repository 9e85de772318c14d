"""bench/RESULTS.md: every figure of one run beside its baseline, with the machine and commands."""

import time
from pathlib import Path

from . import benchmarks, content, drafts

RESULTS_GOAL_MS = 50
RESULTS_GOAL_RATIO = 100
CACHE_GOAL_RATIO = 0.5
SUBMIT_GOAL_RATIO = 1.0
# A vote and the next statement against a survey POST and its thank-you page (issue 19).
VOTE_GOAL_RATIO = 1.0
EXPORT_GOAL_MB = 200
EXPORT_FLAT_GROWTH = 1.10  # "flat": the largest export's peak within 10 % of the smallest's
EXPORT_GOAL_ANSWERS = 1_000_000


def exports_chunk_size():
    from participation.results import exports

    return exports.STREAM_CHUNK_SIZE


def ms(seconds):
    return f"{seconds * 1000:,.1f}"


def mb(kib):
    """KiB (as /proc reports them) as decimal megabytes, the goal's unit."""
    return kib * 1024 / 1_000_000


def verdict(ok):
    return "met" if ok else "**NOT met**"


def plain_verdict(ok):
    """The verdict inside text that is already bold."""
    return "met" if ok else "NOT met"


def attempted(results):
    return sum(result.attempted for result in results)


def med(values):
    return benchmarks.median(values) if values else 0.0


def p95(values):
    return benchmarks.p95(values) if values else 0.0


def timing(values):
    """Median and p95 in milliseconds: "12.3 (15.0)"."""
    return f"{ms(med(values))} ({ms(p95(values))})"


class Report:
    """Collects the sections and the summary rows, then writes the file."""

    def __init__(self, args, info, command):
        self.args = args
        self.info = info
        self.command = command
        self.summary = []  # (benchmark, ours, baseline, ratio, goal, verdict)
        self.sections = []
        self.gaps = []

    # --- 1. Page cache vs whitenoise ---------------------------------------------------------

    def add_cache(self, result):
        args = self.args
        cached_rates = [r.per_second for r in result.cached]
        static_rates = [r.per_second for r in result.static]
        if not cached_rates or not static_rates:
            self.sections.append(
                ["## 1. Anonymous call page from the page cache vs a static file", ""]
                + [f"Not measured: {problem}" for problem in result.problems]
                + [""]
            )
            return
        # Rounds alternate, so each cached round ran beside the static round of the same
        # number, under the same background: the ratio is the median of those pairs'.
        paired = [
            cached.per_second / static.per_second
            for cached, static in zip(result.cached, result.static, strict=True)
        ]
        ratio = med(paired)
        ratio_of_medians = med(cached_rates) / med(static_rates)

        def cpu(rounds, attribute):
            total = sum(getattr(r, attribute) for r in rounds)
            ok = sum(r.succeeded for r in rounds)
            return total * 1000 / ok if ok else 0.0

        def serving(rounds):  # gunicorn and Redis: the server side of a response
            return cpu(rounds, "server_cpu") + cpu(rounds, "cache_cpu")

        server_ratio = serving(result.static) / serving(result.cached)
        hits = sum(r.headers.get("hit", 0) for r in result.cached)
        lines = [
            "## 1. Anonymous call page from the page cache vs whitenoise serving a static file",
            "",
            f"The 30-block survey page of section 2 (`{result.page_url}`, {result.page_bytes:,}"
            f" bytes), requested anonymously from gunicorn (`gunicorn.conf.py`, {args.workers}"
            f" sync workers, `site.settings.bench`) with the page cache on"
            f" (`HADAF_PAGE_CACHE_SECONDS={result.cache_seconds}`) and {result.cache_backend}"
            " as the cache, as in production. Beside it, from the same gunicorn, the same bytes"
            " as a static file whitenoise serves (`WHITENOISE_ROOT`): the practical ceiling on"
            f" this machine. Client: {args.cache_clients} processes (`bench.load.get_load`,"
            " `http.client`, a new connection per request, as the sync workers close each),"
            f" {args.cache_requests} GETs each per round, {args.cache_rounds} rounds per side"
            " alternating which goes first; throughput is successful responses over the"
            " span from the first client's start to the last one's end. CPU is user + system"
            " time from `/proc` over each round, per successful response, of the gunicorn"
            " processes, of the Redis server and of the client processes: all three share"
            " the machine's cores. Before the rounds, one uncounted round on each path warms"
            " every worker.",
            "",
            "| side | rounds (requests/s) | median requests/s | latency median (p95) ms"
            " | gunicorn CPU ms/request | Redis CPU ms/request | client CPU ms/request"
            " | ok / attempted |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        rows = [
            ("page from the page cache", result.cached),
            ("baseline: static file (whitenoise)", result.static),
        ]
        if result.uncached:
            rows.append(("same page, page cache off (for scale)", result.uncached))
        for label, rounds in rows:
            latencies = [value for r in rounds for value in r.latencies]
            lines.append(
                f"| {label} | {', '.join(f'{r.per_second:,.0f}' for r in rounds)}"
                f" | {med([r.per_second for r in rounds]):,.1f} | {timing(latencies)}"
                f" | {cpu(rounds, 'server_cpu'):.2f} | {cpu(rounds, 'cache_cpu'):.2f}"
                f" | {cpu(rounds, 'client_cpu'):.2f}"
                f" | {sum(r.succeeded for r in rounds):,} / {attempted(rounds):,} |"
            )
        lines += [
            "",
            f"`X-Hadaf-Cache: hit` on {hits:,} of {attempted(result.cached):,} page responses"
            f" (on warming: `{result.warm_header or 'no header'}`).",
            "",
            "Ratio cached page ÷ static file, round by round (each pair ran back to back):"
            f" {', '.join(f'{value:.2f}' for value in paired)}; median **{ratio:.3f}** (goal ≥"
            f" {CACHE_GOAL_RATIO}: {verdict(ratio >= CACHE_GOAL_RATIO)}). Ratio of the two"
            f" medians: {ratio_of_medians:.2f}. Server-side CPU per response (gunicorn +"
            f" Redis), static ÷ cached: {server_ratio:.2f} — the ratio the machine would show"
            " if the client ran elsewhere.",
            "",
            *(f"- {note}" for note in result.notes),
            "",
        ]
        if result.uncached:
            speedup = med(cached_rates) / med([r.per_second for r in result.uncached])
            lines[-1:-1] = [
                f"The page cache serves the page {speedup:,.0f}× as fast as rendering it.",
                "",
            ]
        self.sections.append(lines)
        self.summary.append(
            (
                "1. Anonymous call page, page cache vs static file (requests/s)",
                f"{med(cached_rates):,.0f}",
                f"{med(static_rates):,.0f}",
                f"{ratio:.3f} (median of the rounds' ratios)",
                f"≥ {CACHE_GOAL_RATIO}",
                verdict(ratio >= CACHE_GOAL_RATIO),
            )
        )
        if ratio < CACHE_GOAL_RATIO:
            self.gaps.append(
                f"**Page cache {ratio:.3f} of the static file's throughput (goal ≥"
                f" {CACHE_GOAL_RATIO}).** Server-side CPU (gunicorn + Redis) per response:"
                f" cached page {serving(result.cached):.2f} ms, static file"
                f" {serving(result.static):.2f} ms. Both go through gunicorn, Django's handler"
                " and the middleware before the page cache; beyond that, a hit makes two"
                " Redis round trips (the generation, then the page), unpickles the page and"
                " builds a new response from it, where whitenoise hands gunicorn an open file"
                + (
                    "; the page cache is not in the tree yet, so the page was rendered."
                    if not result.cache_module
                    else "."
                )
            )

    # --- 2. 30 blocks ------------------------------------------------------------------------

    def add_blocks(self, rows):
        baseline = rows[0][1]
        lines = [
            "## 2. Uncached render of a call page with 30 blocks",
            "",
            "A survey page (open, signed-in audience: an anonymous visitor sees the page and"
            " a sign-in notice instead of the form; 20 questions) whose body has 30 content"
            f" blocks from `pages/blocks.py`: {content.plan_summary()} (images: 1600×1000 JPEG"
            " shown as the `max-1200x1200` rendition; FAQ of 5 questions, timeline of 4 phases,"
            " tables of 10 rows × 4 columns, downloads of 2 documents). Baseline: a"
            " StandardPage with the same introduction and the same 30 blocks, so the ratio is"
            " what the call features add. For reference, the home page. Page cache off; in"
            " process with Django's test client as an anonymous visitor;"
            f" {self.args.blocks_repeats} timed requests after 5 untimed ones (the first creates"
            " the renditions); the query count is one steady-state request's.",
            "",
            "| page | median ms | p95 ms | queries | KiB | median vs baseline |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label, row in rows:
            lines.append(
                f"| {label} | {ms(row['median'])} | {ms(row['p95'])} | {row['queries']}"
                f" | {row['bytes'] / 1024:.0f} | {row['median'] / baseline['median']:.2f}× |"
            )
        lines.append("")
        self.sections.append(lines)
        call = rows[1][1]
        self.summary.append(
            (
                "2. Call page with 30 blocks, uncached render (ms)",
                f"{ms(call['median'])} (p95 {ms(call['p95'])})",
                f"{ms(baseline['median'])} (p95 {ms(baseline['p95'])})",
                f"{call['median'] / baseline['median']:.2f}×",
                "— (median and p95 asked)",
                "measured",
            )
        )

    # --- 3. Results --------------------------------------------------------------------------

    def add_results(self, results_rows):
        args = self.args
        lines = [
            "## 3. Survey results: tallies vs wagtail.contrib.forms JSON",
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
                f" | {timing(row.ours)} | {timing(row.page)} | {timing(row.baseline)}"
                f" | {row.ratio:,.0f}× | {row.page_ratio:,.0f}× |"
            )
        first, last = results_rows[0], results_rows[-1]
        growth = last.submissions / first.submissions
        lines += [
            "",
            f"Growth from the smallest to the largest data ({growth:,.0f}× the submissions):"
            f" ours ×{med(last.ours) / med(first.ours):.2f},"
            f" page ×{med(last.page) / med(first.page):.2f},"
            f" baseline ×{med(last.baseline) / med(first.baseline):.1f}.",
            "",
        ]
        goal = [row for row in results_rows if row.submissions >= 100_000]
        if goal:
            row = goal[0]
            ours_ok = med(row.ours) * 1000 <= RESULTS_GOAL_MS and row.ratio >= RESULTS_GOAL_RATIO
            page_ok = (
                med(row.page) * 1000 <= RESULTS_GOAL_MS and row.page_ratio >= RESULTS_GOAL_RATIO
            )
            lines += [
                f"Goal at {row.submissions:,} submissions × 20 questions (survey issue): ≤"
                f" {RESULTS_GOAL_MS} ms median and ≥ {RESULTS_GOAL_RATIO}× the baseline."
                f" Computation: {ms(med(row.ours))} ms, {row.ratio:,.0f}× — {verdict(ours_ok)}."
                f" Whole page: {ms(med(row.page))} ms, {row.page_ratio:,.0f}× —"
                f" {verdict(page_ok)}.",
                "",
            ]
            self.summary.append(
                (
                    f"3. Survey results at {row.submissions:,} submissions (ms)",
                    f"computation {timing(row.ours)}; page {timing(row.page)}",
                    timing(row.baseline),
                    f"{row.ratio:,.0f}×; page {row.page_ratio:,.0f}×",
                    f"≤ {RESULTS_GOAL_MS} ms and ≥ {RESULTS_GOAL_RATIO}×",
                    f"computation {verdict(ours_ok)}; page {verdict(page_ok)}",
                )
            )
            if not page_ok:
                fast = med(row.page) * 1000 <= RESULTS_GOAL_MS
                self.gaps.append(
                    f"**Results page at {row.submissions:,} submissions: {ms(med(row.page))} ms"
                    f" median (≤ {RESULTS_GOAL_MS} ms: {plain_verdict(fast)}),"
                    f" {row.page_ratio:,.0f}× the baseline (≥ {RESULTS_GOAL_RATIO}×:"
                    f" {plain_verdict(row.page_ratio >= RESULTS_GOAL_RATIO)}).** The computation"
                    " meets"
                    f" both ({ms(med(row.ours))} ms, {row.ratio:,.0f}×) and the page does not grow"
                    f" with the responses (×{med(last.page) / med(first.page):.2f} over"
                    f" {growth:,.0f}× the data). The page adds what every page of the site costs"
                    " — routing, the site's navigation and page context, the template — plus"
                    " the cross-tabs by role and university (thousands of numbers formatted one"
                    " by one), while the baseline renders no page at all (section 2 shows what"
                    " a page costs here). With the page cache on, anonymous visitors get it as"
                    " in section 1."
                )
        else:
            for row in results_rows[-1:]:
                self.summary.append(
                    (
                        f"3. Survey results at {row.answers:,} answers (ms)",
                        f"computation {timing(row.ours)}; page {timing(row.page)}",
                        timing(row.baseline),
                        f"{row.ratio:,.0f}×; page {row.page_ratio:,.0f}×",
                        f"≤ {RESULTS_GOAL_MS} ms at 100,000 submissions",
                        "not at that size here",
                    )
                )
        self.sections.append(lines)

    # --- 4. Submissions ----------------------------------------------------------------------

    def add_submissions(self, submissions):
        args = self.args
        survey_rates = [result.per_second for result in submissions["survey"]]
        baseline_rates = [result.per_second for result in submissions["baseline"]]
        survey_latencies = [value for r in submissions["survey"] for value in r.latencies]
        baseline_latencies = [value for r in submissions["baseline"] for value in r.latencies]
        ratio = med(survey_rates) / med(baseline_rates)
        post_only_rates = [result.per_second for result in submissions["survey_post_only"]]
        post_only_latencies = [
            value for r in submissions["survey_post_only"] for value in r.latencies
        ]
        post_only_ratio = med(post_only_rates) / med(baseline_rates)
        vote_rates = [result.per_second for result in submissions["statement_vote"]]
        vote_latencies = [value for r in submissions["statement_vote"] for value in r.latencies]
        vote_ratio = med(vote_rates) / med(survey_rates)
        lost_survey = submissions["ok_survey"] - submissions["stored_survey"]
        lost_baseline = submissions["ok_baseline"] - submissions["stored_baseline"]
        lines = [
            "## 4. Submissions: survey POST vs wagtail.contrib.forms FormPage POST",
            "",
            f"gunicorn (`gunicorn.conf.py`, {args.workers} sync workers, bench settings,"
            " PostgreSQL, page cache off, per-process memory cache) on 127.0.0.1;"
            f" {args.clients} concurrent client threads (Python `requests`), {args.posts} POSTs"
            f" each per round, {args.rounds} rounds per side alternating which side goes first."
            " Every POST is a different signed-in user (session rows written directly) with the"
            " same generated answers on both sides; CSRF from the `csrftoken` cookie. Survey:"
            " the 20 questions (22 values: the matrix has 3 statements) to the page URL,"
            " `submit_response` storing the submission, its answer rows and tallies in one"
            " transaction, a 302 to `?thanks=1`, **and the GET of that thank-you page** (counted"
            " in the survey's time). Baseline: the same values as 22 wagtail form fields to the"
            " `BaselineFormPage` URL, stored as one `FormSubmission`, answered with its landing"
            " page (200).",
            "",
            "| side | rounds (POSTs/s) | median POSTs/s | latency median (p95) ms"
            " | ok / attempted |",
            "|---|---|---:|---:|---:|",
            f"| survey | {', '.join(f'{rate:.1f}' for rate in survey_rates)}"
            f" | {med(survey_rates):.1f} | {timing(survey_latencies)}"
            f" | {sum(r.succeeded for r in submissions['survey'])}"
            f" / {attempted(submissions['survey'])} |",
            f"| baseline | {', '.join(f'{rate:.1f}' for rate in baseline_rates)}"
            f" | {med(baseline_rates):.1f} | {timing(baseline_latencies)}"
            f" | {submissions['ok_baseline']} / {attempted(submissions['baseline'])} |",
            f"| survey, POST only (the 302, no thank-you GET)"
            f" | {', '.join(f'{rate:.1f}' for rate in post_only_rates)}"
            f" | {med(post_only_rates):.1f} | {timing(post_only_latencies)}"
            f" | {sum(r.succeeded for r in submissions['survey_post_only'])}"
            f" / {attempted(submissions['survey_post_only'])} |",
            f"| statement vote (POST, 302, and the GET of the next statement)"
            f" | {', '.join(f'{rate:.1f}' for rate in vote_rates)}"
            f" | {med(vote_rates):.1f} | {timing(vote_latencies)}"
            f" | {submissions['ok_votes']} / {attempted(submissions['statement_vote'])} |",
            "",
            f"Ratio survey ÷ baseline (median throughput, POST and thank-you GET):"
            f" **{ratio:.2f}**; POST only: **{post_only_ratio:.2f}** (goal ≥"
            f" {SUBMIT_GOAL_RATIO}: {verdict(post_only_ratio >= SUBMIT_GOAL_RATIO)}).",
            "",
            "A vote on a statement of the same survey's conversation (40 statements; each POST"
            " a different signed-in user, as above) and the next statement, against the survey"
            " POST with its thank-you GET: vote ÷ survey (median throughput)"
            f" **{vote_ratio:.2f}** (a vote costs no more than a survey POST when ≥"
            f" {VOTE_GOAL_RATIO}: {verdict(vote_ratio >= VOTE_GOAL_RATIO)}); the opinion map's"
            " recomputation is queued after the vote commits, never run in the request."
            f" Stored votes {submissions['stored_votes']} for {submissions['ok_votes']}"
            " successful vote POSTs.",
            "",
            "Stored afterwards: survey submissions"
            f" {submissions['stored_survey']} for {submissions['ok_survey']} successful POSTs"
            f" (lost: {max(lost_survey, 0)}, extra: {max(-lost_survey, 0)}), answer rows"
            f" {submissions['stored_answers']:,} of {submissions['expected_answers']:,} expected"
            f" for all {2 * submissions['total']} survey responses (both survey sides), tallied"
            f" response count {submissions['tally_total']}; baseline FormSubmissions"
            f" {submissions['stored_baseline']} for {submissions['ok_baseline']} successful POSTs"
            f" (lost: {max(lost_baseline, 0)}).",
            "",
        ]
        self.sections.append(lines)
        lost = max(lost_survey, 0) + max(lost_baseline, 0)
        self.summary.append(
            (
                "4. Survey submissions (POSTs/s)",
                f"POST only {med(post_only_rates):.1f}; with thank-you GET {med(survey_rates):.1f}",
                f"{med(baseline_rates):.1f}",
                f"{post_only_ratio:.2f}; {ratio:.2f}",
                f"≥ {SUBMIT_GOAL_RATIO} (POST only), zero lost",
                f"{verdict(post_only_ratio >= SUBMIT_GOAL_RATIO)}; lost {lost}",
            )
        )
        self.summary.append(
            (
                "4. Statement votes (votes/s)",
                f"{med(vote_rates):.1f}",
                f"{med(survey_rates):.1f} (survey POST + thank-you GET)",
                f"{vote_ratio:.2f}",
                f"≥ {VOTE_GOAL_RATIO}",
                verdict(vote_ratio >= VOTE_GOAL_RATIO),
            )
        )
        if post_only_ratio < SUBMIT_GOAL_RATIO:
            self.gaps.append(
                f"**Submission throughput {post_only_ratio:.2f} of the baseline's (POST only;"
                f" goal ≥ {SUBMIT_GOAL_RATIO}).** The survey's POST stores a submission, about"
                " 24 answer rows and their tallies in one transaction; the baseline stores one"
                " JSON row. Rounds vary by tens of percent on this 2-core machine (see the"
                " per-round figures)."
            )

    # --- 5. API ------------------------------------------------------------------------------

    def add_api(self, rows, count):
        lines = [
            f"## 5. API list latency with {count:,} pages",
            "",
            f"{count:,} live `SurveyCampaignPage` under the call index, each with the 20 bench"
            " questions (the `form` field), live public results (`results`) and a 6-block body"
            " (heading, paragraph, key figures, timeline, notice, FAQ).",
            " `GET /api/v2/pages/?type=pages.SurveyCampaignPage…` through the project's viewset"
            " (`site.api`: translations, results and related rows fetched once per listing),"
            " beside the baseline: the same URL served by Wagtail's own `PagesAPIViewSet` in the"
            " same run (same page types and fields, fetched item by item). In process with"
            " Django's test client (anonymous, page and API caches off),"
            f" {self.args.api_repeats} timed requests after 5 untimed ones.",
            "",
            "| listing | project median (p95) ms | queries | KiB | plain Wagtail median"
            " (p95) ms | queries | KiB | project ÷ Wagtail |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, survey, standard in rows:
            lines.append(
                f"| {label} | {ms(survey['median'])} ({ms(survey['p95'])}) | {survey['queries']}"
                f" | {survey['bytes'] / 1024:.0f} | {ms(standard['median'])}"
                f" ({ms(standard['p95'])}) | {standard['queries']}"
                f" | {standard['bytes'] / 1024:.0f}"
                f" | {survey['median'] / standard['median']:.2f}× |"
            )
        lines += [
            "",
            f"`meta.total_count`: {rows[0][1]['total']:,} survey pages (the bench's other"
            " surveys included).",
            "",
        ]
        self.sections.append(lines)
        label, survey, standard = rows[0]
        self.summary.append(
            (
                f"5. API list, {count:,} survey pages, `fields=*` limit 20 (ms)",
                f"{ms(survey['median'])} (p95 {ms(survey['p95'])})",
                f"{ms(standard['median'])} (p95 {ms(standard['p95'])})",
                f"{survey['median'] / standard['median']:.2f}×",
                "— (latency asked)",
                "measured",
            )
        )

    # --- 6. Exports --------------------------------------------------------------------------

    def add_exports(self, export_rows):
        """``export_rows``: (label, submissions, answers, [ExportRun])."""
        lines = [
            "## 6. Export: rows per second and peak memory",
            "",
            "The results survey of section 3 at each of its sizes. *Ours*:"
            " `participation.results.exports.write_xlsx(page, path)` and `csv_lines(page)`"
            " written to a file (one row per submission: its fields, then a column per"
            " question, choice or matrix statement: 43 columns). *Baseline*:"
            " wagtail.contrib.forms' own export of the `BaselineFormPage`'s `FormSubmission`"
            " rows (22 columns) — the admin's submissions list with `?export=xlsx` /"
            " `?export=csv`, requested as a superuser through Django's test client, the"
            " response written to a file. Each export runs in a fresh subprocess"
            " (`.venv/bin/python bench/exports.py --side … --format …`); *peak RSS* is that"
            " process's high-water mark, `VmHWM` in `/proc/self/status` (Python, Django and"
            " Wagtail included; not `getrusage().ru_maxrss`, which on Linux starts from the"
            " parent's high-water mark when a large process starts a subprocess), *at start*"
            " its RSS just before exporting. Every file is read back: its data rows equal the"
            " submissions. MB = 10⁶ bytes.",
            "",
            "| data | format | side | rows | seconds | rows/s | answers/s | RSS at start MB"
            " | peak RSS MB | file MB | rows/s ours ÷ baseline |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]

        def side(run):
            if run.chunk_size:
                return f"ours, {run.chunk_size} submissions per read (diagnostic)"
            return run.side

        def main_run(runs, export_format, wanted):
            return next(
                run
                for run in runs
                if run.format == export_format and run.side == wanted and not run.chunk_size
            )

        for label, _submissions, _answers, runs in export_rows:
            for run in runs:
                baseline = main_run(runs, run.format, "baseline")
                ratio = (
                    f"{run.rows_per_second / baseline.rows_per_second:.2f}×"
                    if run.side == "ours" and baseline.rows_per_second
                    else ""
                )
                lines.append(
                    f"| {label} | {run.format.upper()} | {side(run)} | {run.rows:,}"
                    f" | {run.seconds:,.1f} | {run.rows_per_second:,.0f}"
                    f" | {run.answers_per_second:,.0f} | {mb(run.rss_start_kib):,.0f}"
                    f" | {mb(run.peak_rss_kib):,.0f} | {run.bytes / 1e6:,.1f} | {ratio} |"
                )
        lines.append("")
        goal_rows = [row for row in export_rows if row[2] >= EXPORT_GOAL_ANSWERS]
        chunk_size = exports_chunk_size()
        lines += [
            f"Ours reads rows {chunk_size:,} at a time (`exports.STREAM_CHUNK_SIZE`) from two"
            " streams, the submissions' fields and their answers as plain tuples, so its memory"
            " grows until the first chunk is full and should then stay flat: flatness is judged"
            f" from the first size with {chunk_size:,} submissions or more to the largest.",
            "",
        ]
        for export_format in ("xlsx", "csv"):
            # Memory fills up with the first chunk of submissions, then should stay put: flat
            # is judged from the first size with a full chunk (the smallest, if none has).
            full = [row for row in export_rows if row[1] >= chunk_size] or export_rows[:1]
            peaks = [
                (label, main_run(runs, export_format, "ours").peak_rss_kib)
                for label, submissions, _a, runs in export_rows
                if submissions >= full[0][1]
            ]
            growth = peaks[-1][1] / peaks[0][1]
            flat = growth <= EXPORT_FLAT_GROWTH
            if not goal_rows:
                continue
            label, _s, _a, runs = goal_rows[0]
            goal = main_run(runs, export_format, "ours")
            base = main_run(runs, export_format, "baseline")
            under = mb(goal.peak_rss_kib) <= EXPORT_GOAL_MB
            ok = under and flat
            lines += [
                f"{export_format.upper()} at {label}: {goal.rows_per_second:,.0f} rows/s"
                f" ({goal.answers_per_second:,.0f} answers/s), peak RSS"
                f" {mb(goal.peak_rss_kib):,.0f} MB, of which {mb(goal.rss_start_kib):,.0f} MB"
                f" before the export (baseline: {base.rows_per_second:,.0f} rows/s,"
                f" {mb(base.peak_rss_kib):,.0f} MB); peak from {peaks[0][0]} to"
                f" {peaks[-1][0]}: ×{growth:.2f}. Goal ≤ {EXPORT_GOAL_MB} MB"
                f" ({verdict(under)}) and flat, within {EXPORT_FLAT_GROWTH - 1:.0%}"
                f" ({verdict(flat)}).",
                "",
            ]
            self.summary.append(
                (
                    f"6. Export of {label}, {export_format.upper()}",
                    f"{goal.rows_per_second:,.0f} rows/s, peak {mb(goal.peak_rss_kib):,.0f} MB"
                    f" (×{growth:.2f} from {peaks[0][0]})",
                    f"{base.rows_per_second:,.0f} rows/s, peak {mb(base.peak_rss_kib):,.0f} MB",
                    f"{goal.rows_per_second / base.rows_per_second:.2f}× rows/s",
                    f"peak ≤ {EXPORT_GOAL_MB} MB, flat",
                    f"≤ {EXPORT_GOAL_MB} MB {verdict(under)}; flat {verdict(flat)}",
                )
            )
            if not ok:
                diagnostic = next((run for run in runs if run.chunk_size), None)
                cause = (
                    f" Of it, {mb(goal.rss_start_kib):,.0f} MB is the process before the"
                    " export starts (Python, Django, Wagtail, openpyxl); the rest is one chunk"
                    f" of {chunk_size:,} rows of each stream, and the XLSX writer's row"
                )
                if diagnostic:
                    cause += (
                        f": read {diagnostic.chunk_size} at a time, the CSV export peaks at"
                        f" {mb(diagnostic.peak_rss_kib):,.0f} MB at"
                        f" {diagnostic.rows_per_second:,.0f} rows/s (the diagnostic row)"
                        + (
                            ", so a smaller `exports.STREAM_CHUNK_SIZE` would meet the goal."
                            if mb(diagnostic.peak_rss_kib) <= EXPORT_GOAL_MB
                            else "."
                        )
                    )
                else:
                    cause += "."
                self.gaps.append(
                    f"**{export_format.upper()} export peak {mb(goal.peak_rss_kib):,.0f} MB at"
                    f" {label} (×{growth:.2f} from {peaks[0][0]}; goal ≤ {EXPORT_GOAL_MB} MB,"
                    f" flat).**" + cause
                )
        if not goal_rows:
            lines += [f"(No size reaches {EXPORT_GOAL_ANSWERS:,} answers in this run.)", ""]
        compared = [
            (main_run(runs, export_format, "ours"), main_run(runs, export_format, "baseline"))
            for _label, _s, _a, runs in goal_rows
            for export_format in ("xlsx", "csv")
        ]
        if any(ours.rows_per_second < base.rows_per_second for ours, base in compared):
            lines += [
                "Ours writes fewer rows per second than the baseline: each of our rows is"
                " built from ~24 answer tuples, while the baseline's row is one JSON column;"
                " the XLSX writes twice the baseline's columns, each cell a Python call of"
                " xlsxwriter's (see the Exports section for the profile).",
                "",
            ]
        self.sections.append(lines)

    # --- 7. Drafts ---------------------------------------------------------------------------

    def add_drafts(self, rows, facts):
        self.sections.append(
            drafts.section_lines(rows, facts, self.args.draft_repeats, heading="## 7.")
        )
        base, draft = rows[0][1], dict(rows)["draft page (anonymous)"]
        ok = drafts.met(rows)
        self.summary.append(
            (
                f"7. Draft page, {facts['clauses']} clauses, {facts['comments']:,} comments (ms)",
                f"{ms(draft['median'])} (p95 {ms(draft['p95'])})",
                f"{ms(base['median'])} (p95 {ms(base['p95'])})",
                f"{draft['median'] / base['median']:.2f}×",
                f"≤ {drafts.GOAL_MS} ms",
                verdict(ok),
            )
        )

    # --- The file ----------------------------------------------------------------------------

    def write(self, checks, problems, elapsed):
        args = self.args
        lines = [
            "# Benchmarks",
            "",
            f"One run of `{self.command}` on {time.strftime('%Y-%m-%d %H:%M %Z')},"
            f" {elapsed / 60:.1f} min."
            + (" **Smoke run: tiny sizes, figures mean nothing.**" if args.smoke else ""),
            "",
            "## Summary",
            "",
            "| benchmark | ours | baseline | ratio | goal | verdict |",
            "|---|---|---|---|---|---|",
            *(f"| {' | '.join(row)} |" for row in self.summary),
            "",
        ]
        if self.gaps:
            lines += ["Goals not met, and why:", "", *(f"- {gap}" for gap in self.gaps), ""]
        if problems:
            lines += [
                "**Harness problems in this run:**",
                "",
                *(f"- {problem}" for problem in problems),
                "",
            ]
        lines += [
            "## Machine",
            "",
            "| | |",
            "|---|---|",
            *(f"| {key} | {value} |" for key, value in self.info.items()),
            "",
            "## Commands",
            "",
            "```sh",
            "make bench          # = .venv/bin/python bench/run.py",
            "make bench-smoke    # = .venv/bin/python bench/run.py --smoke (CI)",
            self.command,
            "```",
            "",
            f"Settings `site.settings.bench` (DEBUG off, PostgreSQL database `{args.database_url}`"
            " recreated at the start, `bench.baseline` installed); media in a temporary folder."
            " The page cache is off (`HADAF_PAGE_CACHE_SECONDS=0`) everywhere except section 1's"
            " first server; in-process measurements use the per-process memory cache. gunicorn:"
            " `.venv/bin/gunicorn -c gunicorn.conf.py` with `GUNICORN_BIND=127.0.0.1:"
            f"{args.port}`, `GUNICORN_WORKERS={args.workers}`, `GUNICORN_THREADS=1`. Timings are"
            " wall-clock medians and 95th percentiles; one machine, one run, other processes"
            " kept off it.",
            "",
        ]
        for section in self.sections:
            lines += section
        lines += ["## Harness checks", "", *(f"- {check}" for check in checks), ""]
        Path(args.output).write_text("\n".join(lines), encoding="utf-8")
