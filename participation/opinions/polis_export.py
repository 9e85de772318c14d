"""Read a Pol.is conversation export (the CSV files of Pol.is's data export).

Pure reading, no database: the agreement benchmark and tests run the engine on it, and the
``import_polis`` command builds its records from it.

Files read from the export's folder:

* ``participants-votes.csv``: ``participant`` (and, in newer exports, ``xid``),
  ``group-id`` (Pol.is's own opinion group, empty when Pol.is did not cluster the
  participant), four count columns, then one column per statement id with ``1`` agree,
  ``-1`` disagree, ``0`` pass, empty unseen;
* ``comments.csv``: per statement, ``comment-id``, ``moderated`` (``-1`` moderated out,
  ``0`` not yet moderated, ``1`` accepted), ``comment-body`` and the rest.

A folder that is not such an export raises :class:`PolisExportError`, whose ``code`` and
``params`` say what is wrong (the command turns them into a translated message).
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PARTICIPANTS_FILE = "participants-votes.csv"
COMMENTS_FILE = "comments.csv"
# The columns before the votes (newer exports add ``xid`` after ``participant``).
COUNT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
MODERATED_OUT = "-1"
VOTE_CELLS = {"1": 1.0, "-1": -1.0, "0": 0.0, "": np.nan}
COMMENT_COLUMNS = ("comment-id", "moderated", "comment-body")


class PolisExportError(ValueError):
    """The folder is not a readable Pol.is export. ``code`` names the problem:

    ``missing_folder``, ``missing_file`` (``file``), ``unreadable`` (``file``),
    ``bad_header`` (``file``), ``bad_row`` (``file``, ``line``), ``bad_vote`` (``line``,
    ``value``), ``duplicate`` (``file``, ``value``), ``unknown_statement`` (``value``).
    """

    def __init__(self, code, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class PolisComment:
    id: str
    body: str
    moderated: str  # "-1", "0" or "1"

    @property
    def moderated_out(self):
        return self.moderated == MODERATED_OUT


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
    comments: tuple[PolisComment, ...] = ()  # every row of comments.csv, in id order

    @property
    def polis_k(self):
        return len(np.unique(self.polis_groups[self.polis_groups >= 0]))


def parse_vote(cell, line=0):
    try:
        return VOTE_CELLS[cell.strip()]
    except KeyError:
        raise PolisExportError("bad_vote", line=line, value=cell) from None


def read_rows(path):
    """Every row of a CSV file as lists of strings (UTF-8, a byte-order mark allowed)."""
    if not path.is_file():
        raise PolisExportError("missing_file", file=path.name)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error, OSError):
        raise PolisExportError("unreadable", file=path.name) from None


def read_comments(folder):
    rows = read_rows(folder / COMMENTS_FILE)
    if not rows or not set(COMMENT_COLUMNS) <= set(rows[0]):
        raise PolisExportError("bad_header", file=COMMENTS_FILE)
    header = rows[0]
    comments = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise PolisExportError("bad_row", file=COMMENTS_FILE, line=line)
        record = dict(zip(header, row, strict=True))
        comment_id = record["comment-id"].strip()
        if not comment_id.isdigit() or record["moderated"].strip() not in ("-1", "0", "1"):
            raise PolisExportError("bad_row", file=COMMENTS_FILE, line=line)
        if comment_id in comments:
            raise PolisExportError("duplicate", file=COMMENTS_FILE, value=comment_id)
        comments[comment_id] = PolisComment(
            comment_id, record["comment-body"].strip(), record["moderated"].strip()
        )
    return comments


def read_participants(folder):
    rows = read_rows(folder / PARTICIPANTS_FILE)
    header = [cell.strip() for cell in rows[0]] if rows else []
    if not set(COUNT_COLUMNS) <= set(header) or header[0] != "participant":
        raise PolisExportError("bad_header", file=PARTICIPANTS_FILE)
    body = rows[1:]
    group_column = header.index("group-id")
    first_vote = header.index("n-disagree") + 1
    statement_ids = tuple(header[first_vote:])
    if not all(s.isdigit() for s in statement_ids):
        raise PolisExportError("bad_header", file=PARTICIPANTS_FILE)
    if len(set(statement_ids)) != len(statement_ids):
        raise PolisExportError("duplicate", file=PARTICIPANTS_FILE, value="comment-id")
    ids, groups, votes = [], [], []
    for line, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header) or not row[0].strip().isdigit():
            raise PolisExportError("bad_row", file=PARTICIPANTS_FILE, line=line)
        participant, group = row[0].strip(), row[group_column].strip()
        if group and not group.isdigit():
            raise PolisExportError("bad_row", file=PARTICIPANTS_FILE, line=line)
        ids.append(int(participant))
        groups.append(int(group) if group else -1)
        votes.append([parse_vote(cell, line) for cell in row[first_vote:]])
    if len(set(ids)) != len(ids):
        raise PolisExportError("duplicate", file=PARTICIPANTS_FILE, value="participant")
    return statement_ids, ids, groups, votes


def read_polis_export(folder):
    """The export in ``folder`` as a :class:`PolisExport`.

    Raises:
        PolisExportError: the folder or a file is missing, or a file is not as Pol.is
            writes it (nothing is read partly).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisExportError("missing_folder")
    statement_ids, ids, groups, votes = read_participants(folder)
    comments = read_comments(folder)
    for statement_id in statement_ids:
        if statement_id not in comments:
            raise PolisExportError("unknown_statement", value=statement_id)
    participant_ids = np.array(ids, dtype=int)
    order = np.argsort(participant_ids, kind="stable")
    matrix = np.array(votes, dtype=float).reshape(len(ids), len(statement_ids))
    return PolisExport(
        name=folder.name,
        participant_ids=participant_ids[order],
        polis_groups=np.array(groups, dtype=int)[order],
        votes=matrix[order],
        statement_ids=statement_ids,
        statement_texts=tuple(comments[s].body for s in statement_ids),
        moderated_out=tuple(i for i, s in enumerate(statement_ids) if comments[s].moderated_out),
        comments=tuple(sorted(comments.values(), key=lambda c: int(c.id))),
    )
