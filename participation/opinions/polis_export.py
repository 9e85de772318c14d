"""Read a Pol.is conversation export (the CSV files of Pol.is's data export).

Pure reading, no database: the agreement benchmark and tests run the engine on it, and the
``import_polis`` command (issue 19) can build its records from it.

Files read from the export's folder:

* ``participants-votes.csv``: ``participant``, ``group-id`` (Pol.is's own opinion group,
  empty when Pol.is did not cluster the participant), four count columns, then one column
  per statement id with ``1`` agree, ``-1`` disagree, ``0`` pass, empty unseen;
* ``comments.csv``: per statement, ``moderated`` (``-1`` moderated out, ``0`` not yet
  moderated, ``1`` accepted), ``comment-body`` and the rest.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIRST_VOTE_COLUMN = 6  # participant, group-id, n-comments, n-votes, n-agree, n-disagree
MODERATED_OUT = "-1"


@dataclass(frozen=True)
class PolisExport:
    """One conversation: rows in participant-id order, which is the order Pol.is's
    participants joined in (it numbers them as they arrive), the order the engine wants."""

    name: str
    participant_ids: np.ndarray
    polis_groups: np.ndarray  # Pol.is's group per participant, -1 where it clustered none
    votes: np.ndarray  # participant × statement: 1, -1, 0, NaN unseen
    statement_ids: tuple[str, ...]
    statement_texts: tuple[str, ...]
    moderated_out: tuple[int, ...]  # column indices of statements moderated out

    @property
    def polis_k(self):
        return len(np.unique(self.polis_groups[self.polis_groups >= 0]))


def parse_vote(cell):
    return float(cell) if cell else np.nan


def read_polis_export(folder):
    """The export in ``folder`` as a :class:`PolisExport`."""
    folder = Path(folder)
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    with open(folder / "comments.csv", newline="", encoding="utf-8") as handle:
        comments = {row["comment-id"]: row for row in csv.DictReader(handle)}
    statement_ids = tuple(header[FIRST_VOTE_COLUMN:])
    participant_ids = np.array([int(row[0]) for row in rows], dtype=int)
    groups = np.array([int(row[1]) if row[1] else -1 for row in rows], dtype=int)
    votes = np.array([[parse_vote(c) for c in row[FIRST_VOTE_COLUMN:]] for row in rows])
    order = np.argsort(participant_ids, kind="stable")
    return PolisExport(
        name=folder.name,
        participant_ids=participant_ids[order],
        polis_groups=groups[order],
        votes=votes[order].reshape(len(rows), len(statement_ids)),
        statement_ids=statement_ids,
        statement_texts=tuple(comments.get(s, {}).get("comment-body", "") for s in statement_ids),
        moderated_out=tuple(
            i
            for i, s in enumerate(statement_ids)
            if comments.get(s, {}).get("moderated") == MODERATED_OUT
        ),
    )
