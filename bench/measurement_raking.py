"""Raking 100,000 respondents to 4 margins: Hadaf's ``weighting.rake`` beside weightipy
called directly on the same arrays, in the same run (issue 20).

    .venv/bin/python bench/measurement_raking.py [--respondents 100000] [--repeats 3]

Prints the best time of each and their ratio; the difference is Hadaf's checks (empty
categories, categories outside the margins) and the margin-error report.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import weightipy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from participation.measurement import weighting  # noqa: E402

SIZES = {"university": 40, "role": 3, "gender": 2, "degree_level": 5}


def data(respondents, seed=1):
    rng = np.random.default_rng(seed)
    columns, targets = {}, {}
    for dimension, size in SIZES.items():
        categories = [f"{dimension}{k}" for k in range(size)]
        columns[dimension] = list(
            rng.choice(categories, respondents, p=rng.dirichlet(np.ones(size)))
        )
        counts = rng.integers(100, 9000, size)
        targets[dimension] = {c: int(n) for c, n in zip(categories, counts, strict=True)}
    return columns, targets


def best(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    columns, targets = data(args.respondents)
    shares = weighting.target_shares(targets)

    def direct():
        import pandas as pd

        scheme = weightipy.scheme_from_dict(
            {d: {c: 100 * s for c, s in t.items()} for d, t in shares.items()}
        )
        return weightipy.weight(pd.DataFrame(columns), scheme).to_numpy()

    hadaf_time, result = best(lambda: weighting.rake(columns, targets), args.repeats)
    direct_time, weights = best(direct, args.repeats)
    agreement = float(np.abs(result.weights - weights / weights.mean()).max())
    print(f"respondents {args.respondents:,}, margins {len(SIZES)}")
    print(
        f"hadaf rake      {hadaf_time:.3f} s  ({result.iterations} iterations, "
        f"max margin error {result.max_margin_error:.2e} pp)"
    )
    print(f"weightipy alone {direct_time:.3f} s")
    print(f"ratio           {hadaf_time / direct_time:.2f}")
    print(f"largest weight difference {agreement:.2e}")


if __name__ == "__main__":
    main()
