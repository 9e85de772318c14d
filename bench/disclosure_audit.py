"""What the disclosure audit costs: protecting a survey's public results with and without the
linear-programming check (``participation.results.feasibility``), side by side.

    .venv/bin/python bench/disclosure_audit.py

A survey's protection is computed once per published snapshot (cached: a snapshot never
changes), on the first public look after a batch. Each row is one random survey (single
choice, 5 options; four roles and N universities of Zipf-like sizes; every question
answered by everyone); the times are the median of three runs in this process. The
baseline is the line-by-line rule alone, what the public pages ran before the audit.
Exits non-zero only when the harness breaks, never because of a number.
"""

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from participation.results import disclosure, feasibility  # noqa: E402
from participation.results.disclosure import ALL, Column, Table  # noqa: E402

THRESHOLD = 5
SHAPES = [  # (respondents, questions, universities)
    (300, 20, 8),
    (3_000, 20, 30),
    (100_000, 20, 100),
    (300, 40, 30),
]
ROUNDS = 1


def survey(respondents, questions, universities, seed=3):
    """Tables of a random survey; the generator is seeded (not for secrets)."""
    rng = random.Random(seed)  # noqa: S311
    places = [
        (rng.randint(0, 3), min(int(rng.paretovariate(1.2)) - 1, universities - 1))
        for _ in range(respondents)
    ]
    tables = []
    for number in range(questions):
        answers = [min(int(rng.expovariate(0.7)), 4) for _ in places]
        tables.append(table(f"q{number}", places, answers, universities))
    return tables


def table(key, places, answers, universities):
    """One question's table: the overall column and a column per role and university."""
    sizes = {"role": 4, "university": universities}
    columns = {by: [[0] * 6 for _ in range(size)] for by, size in sizes.items()}
    overall = [0] * 6  # Five options, then the respondents.
    for (role, university), answer in zip(places, answers, strict=True):
        for counts in (overall, columns["role"][role], columns["university"][university]):
            counts[answer] += 1
            counts[5] += 1
    groups = {
        by: [
            Column(f"{by}:{place}", counts[5], counts[:5])
            for place, counts in enumerate(found)
            if counts[5]
        ]
        for by, found in columns.items()
    }
    return Table(key=key, overall=Column(ALL, overall[5], overall[:5]), groups=groups)


def timed(tables, audited):
    """``(median seconds, counts hidden)`` of protecting ``tables``."""
    real_widen = feasibility.widen
    if not audited:
        feasibility.widen = lambda values, lines, hidden, *args, **kwargs: set(hidden)
    try:
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            protections = disclosure.protect_tables(tables, THRESHOLD)
            times.append(time.perf_counter() - start)
    finally:
        feasibility.widen = real_widen
    return statistics.median(times), sum(len(p.hidden) for p in protections.values())


def main():
    print("| respondents × questions × universities | line rule | with the audit | ratio |")
    print("|---|---:|---:|---:|")
    for shape in SHAPES:
        tables = survey(*shape)
        base, base_hidden = timed(tables, audited=False)
        full, full_hidden = timed(tables, audited=True)
        print(
            f"| {shape[0]:,} × {shape[1]} × {shape[2]} "
            f"| {base * 1000:,.0f} ms ({base_hidden:,} hidden) "
            f"| {full * 1000:,.0f} ms ({full_hidden:,} hidden) "
            f"| {full / base:.1f}× |"
        )


if __name__ == "__main__":
    main()
