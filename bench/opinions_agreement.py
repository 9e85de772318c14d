"""Opinion-map engine vs Pol.is's own groups and vs red-dwarf, on real and synthetic data.

    .venv/bin/python bench/opinions_agreement.py                  # agreement + speed
    .venv/bin/python bench/opinions_agreement.py --skip-speed     # agreement only (seconds)
    .venv/bin/python bench/opinions_agreement.py --conversations DIR [DIR ...]
    .venv/bin/python bench/opinions_agreement.py --output bench/OPINIONS.md  # also to a file

1. Agreement (issue 19): each Pol.is conversation in ``../shared/data/polis/`` (or the
   folders given) carries the group Pol.is itself assigned to every participant it
   clustered (``group-id``). ``participation.opinions.engine.compute_map`` and red-dwarf
   0.4.0's ``run_pipeline`` (its defaults, told the moderated-out statements as the engine
   is) each group the same votes; the table gives the adjusted Rand index (scikit-learn)
   of each against Pol.is over the participants both clustered. Goal: ≥ 0.8 on each, and
   at least red-dwarf's.
2. Speed: 10,000 participants × 500 statements, 30 % of the cells voted (three planted
   opinion groups), the engine and red-dwarf on the same votes, each in a fresh subprocess
   of this script (``--speed-side``) so its peak RSS (``VmHWM``) is its own, alternating
   over rounds. The timed span starts from (participant, statement, vote) triples: the
   engine builds its matrix, red-dwarf its DataFrame from its list of vote dicts. Goal:
   ratio ≤ 1.0, ≤ 30 s, peak ≤ 1 GB.

Rows are given to the engine in participant-id order: Pol.is numbers participants as they
join, and its k-means seeds are the first distinct participants in that order.
Exits non-zero only when the harness breaks, never because of a number.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

# red-dwarf's pydantic models warn on import; nothing of ours.
warnings.filterwarnings("ignore", module="pydantic")
from reddwarf.implementations.polis import run_pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.shared_data import shared_data  # noqa: E402
from participation.opinions import engine  # noqa: E402
from participation.opinions.polis_export import (  # noqa: E402
    PolisExportError,
    read_polis_export,
)

SHARED_POLIS = shared_data("polis")
SPEED_SHAPE = (10_000, 500)
SPEED_DENSITY = 0.3
SPEED_ROUNDS = 3
GOAL_ARI = 0.8
GOAL_SECONDS = 30
GOAL_PEAK_MB = 1024


def reddwarf_votes(participant_ids, statement_ids, votes):
    """red-dwarf's input: one dict per vote."""
    rows, columns = np.nonzero(~np.isnan(votes))
    return [
        {
            "participant_id": int(participant_ids[r]),
            "statement_id": int(statement_ids[c]),
            "vote": float(votes[r, c]),
        }
        for r, c in zip(rows, columns, strict=True)
    ]


def run_reddwarf(votes, mod_out=()):
    """red-dwarf 0.4.0's Pol.is pipeline with its defaults; returns its fitted result."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_pipeline(votes=votes, mod_out_statement_ids=list(mod_out))


def reddwarf_labels(conversation):
    """red-dwarf's group per participant, in the conversation's row order (-1: none)."""
    statement_ids = [int(s) for s in conversation.statement_ids]
    votes = reddwarf_votes(conversation.participant_ids, statement_ids, conversation.votes)
    mod_out = [statement_ids[i] for i in conversation.moderated_out]
    result = run_reddwarf(votes, mod_out)
    by_id = result.participants_df["cluster_id"].astype("float").fillna(-1).astype(int)
    return np.array([by_id.get(int(pid), -1) for pid in conversation.participant_ids])


def engine_labels(conversation):
    result = engine.compute_map(conversation.votes, excluded_items=conversation.moderated_out)
    return result.labels


def agreement(polis_groups, labels):
    """Adjusted Rand index over the participants both clustered, their count, and k."""
    both = (polis_groups >= 0) & (labels >= 0)
    ari = adjusted_rand_score(polis_groups[both], labels[both])
    return ari, int(both.sum()), len(set(labels[labels >= 0].tolist()))


def agreement_table(folders):
    """Runs both sides on every conversation; prints and returns the rows."""
    print("## Agreement with Pol.is's groups (adjusted Rand index)\n")
    print(
        "| conversation | participants × statements | Pol.is k | engine ARI (k, n) "
        "| red-dwarf ARI (k, n) | engine s | red-dwarf s |"
    )
    print("|---|---|---:|---|---|---:|---:|")
    rows = []
    for folder in folders:
        try:
            conversation = read_polis_export(folder)
        except PolisExportError as error:
            print(f"| {Path(folder).name} | skipped: {error} | | | | | |")
            continue
        started = time.perf_counter()
        ours = agreement(conversation.polis_groups, engine_labels(conversation))
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        theirs = agreement(conversation.polis_groups, reddwarf_labels(conversation))
        theirs_seconds = time.perf_counter() - started
        shape = "{:,} × {:,}".format(*conversation.votes.shape)
        print(
            f"| {conversation.name} | {shape} | {conversation.polis_k} "
            f"| **{ours[0]:.3f}** ({ours[2]}, {ours[1]}) | {theirs[0]:.3f} ({theirs[2]}, "
            f"{theirs[1]}) | {ours_seconds:.2f} | {theirs_seconds:.2f} |",
            flush=True,
        )
        rows.append((conversation.name, ours[0], theirs[0]))
    if rows:
        mean_ours = statistics.mean(r[1] for r in rows)
        mean_theirs = statistics.mean(r[2] for r in rows)
        print(f"| mean | | | **{mean_ours:.3f}** | {mean_theirs:.3f} | | |")
        reached = sum(r[1] >= GOAL_ARI for r in rows)
        at_least = sum(r[1] >= r[2] - 1e-9 for r in rows)
        print(
            f"\nARI ≥ {GOAL_ARI}: {reached} of {len(rows)}; engine ≥ red-dwarf: "
            f"{at_least} of {len(rows)}.\n"
        )
    return rows


# --- Speed ----------------------------------------------------------------------------------


def synthetic_triples(shape=SPEED_SHAPE, density=SPEED_DENSITY, seed=0):
    """(participant, statement, vote) triples: three planted opinion groups, each cell
    voted with probability ``density``."""
    rng = np.random.default_rng(seed)
    n_participants, n_statements = shape
    group = rng.integers(0, 3, n_participants)
    agree_probability = rng.uniform(0.1, 0.9, (3, n_statements))
    voted = rng.random(shape) < density
    rows, columns = np.nonzero(voted)
    draw = rng.random(len(rows))
    p_agree = 0.9 * agree_probability[group[rows], columns]  # and 10 % pass
    votes = np.where(draw < p_agree, 1.0, np.where(draw < p_agree + 0.1, 0.0, -1.0))
    return rows, columns, votes


def status_kib(field):
    """A memory figure of this process from ``/proc/self/status``, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def speed_worker(side):
    """One side on the synthetic votes, in this process; prints a JSON line."""
    rows, columns, votes = synthetic_triples()
    if side == "reddwarf":
        dicts = [
            {"participant_id": int(r), "statement_id": int(c), "vote": float(v)}
            for r, c, v in zip(rows, columns, votes, strict=True)
        ]
    rss_start = status_kib("VmRSS")
    started = time.perf_counter()
    if side == "engine":
        matrix = engine.votes_from_triples(rows, columns, votes, SPEED_SHAPE)
        result = engine.compute_map(matrix)
        k = result.k
    else:
        result = run_reddwarf(dicts)
        k = int(result.participants_df["cluster_id"].max()) + 1
    seconds = time.perf_counter() - started
    peak = status_kib("VmHWM")  # not ru_maxrss: Linux carries the parent's across exec
    print(
        json.dumps(
            {
                "side": side,
                "seconds": seconds,
                "k": k,
                "rss_start_kib": rss_start,
                "peak_rss_kib": peak,
            }
        )
    )


def run_side(side):
    output = subprocess.run(
        [sys.executable, __file__, "--speed-side", side],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def speed_table(rounds=SPEED_ROUNDS):
    print(
        "## Speed: {:,} participants × {:,} statements, {:.0%} voted\n".format(
            *SPEED_SHAPE, SPEED_DENSITY
        )
    )
    runs = {"engine": [], "reddwarf": []}
    for round_number in range(rounds):
        order = ("engine", "reddwarf") if round_number % 2 == 0 else ("reddwarf", "engine")
        for side in order:
            runs[side].append(run_side(side))
    print("| side | rounds (s) | median s | k | RSS at start MB | peak RSS MB |")
    print("|---|---|---:|---:|---:|---:|")
    medians = {}
    for side, label in (("engine", "engine"), ("reddwarf", "red-dwarf 0.4.0")):
        seconds = [r["seconds"] for r in runs[side]]
        medians[side] = statistics.median(seconds)
        peak = max(r["peak_rss_kib"] for r in runs[side]) / 1024
        start = max(r["rss_start_kib"] for r in runs[side]) / 1024
        print(
            f"| {label} | {', '.join(f'{s:.2f}' for s in seconds)} | {medians[side]:.2f} "
            f"| {runs[side][0]['k']} | {start:,.0f} | {peak:,.0f} |"
        )
    ratio = medians["engine"] / medians["reddwarf"]
    peak_mb = max(r["peak_rss_kib"] for r in runs["engine"]) / 1024
    print(
        f"\nengine ÷ red-dwarf time: {ratio:.3f} (goal ≤ 1.0); engine {medians['engine']:.2f} s "
        f"(goal ≤ {GOAL_SECONDS} s); engine peak {peak_mb:,.0f} MB (goal ≤ {GOAL_PEAK_MB} MB)."
    )


class Tee:
    """Standard output that is also written to a file (``--output``)."""

    def __init__(self, stream, handle):
        self.stream, self.handle = stream, handle

    def write(self, text):
        self.handle.write(text)
        return self.stream.write(text)

    def flush(self):
        self.handle.flush()
        self.stream.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", nargs="*", help="Pol.is export folders")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--rounds", type=int, default=SPEED_ROUNDS)
    parser.add_argument("--output", help="also write the report to this file")
    parser.add_argument("--speed-side", choices=("engine", "reddwarf"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_side:
        speed_worker(args.speed_side)
        return 0
    folders = args.conversations or sorted(p for p in SHARED_POLIS.iterdir() if p.is_dir())
    if args.output:
        handle = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        sys.stdout = Tee(sys.stdout, handle)
    try:
        agreement_table(folders)
        if not args.skip_speed:
            speed_table(args.rounds)
    finally:
        if args.output:
            sys.stdout = sys.stdout.stream
            handle.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
