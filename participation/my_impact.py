""" "My impact": what became of a person's contributions, for their dashboard.

The dashboard (``participation.dashboard``) shows each person which of their contributions
commitments cite and how those commitments stand, and asks "did we hear you?" after a
call's outcome. Commitments belong to the impact app (``participation.impact``); the two
feature apps do not import each other (pyproject.toml). The impact app registers, in its
``AppConfig.ready``, the function that reads a person's impact (:func:`register_reader`);
the dashboard calls :func:`of` and renders the plain records below. Nothing here traces an
anonymous-verified contribution: the contributions come from
:func:`participation.sources.contributed_by`, whose providers leave those calls out.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CitedContribution:
    """One contribution of the person that a commitment cites, as the public sees it."""

    label: str
    outcome: str = ""
    url: str = ""


@dataclass(frozen=True)
class TracedCommitment:
    """A commitment one of the person's contributions led to, as it stands now.

    Attributes:
        title: what will be done.
        url: its page on the public tracker.
        status: the status value (``planned``, ``in_progress``, ``done``, ``dropped``).
        status_label: the status in the active language.
        tone: the style modifier of its status badge.
        progress: percent done, 0–100.
        reason: why it was dropped (public), or empty.
        update_date: the date of its latest public update, or ``None``.
        update_label: what that update was ("Commitment made", "News" …).
        update_text: the update's words (a reason, news), or empty.
    """

    title: str
    url: str
    status: str
    status_label: str
    tone: str
    progress: int
    reason: str = ""
    update_date: datetime.date | None = None
    update_label: str = ""
    update_text: str = ""


@dataclass(frozen=True)
class HeardQuestion:
    """ "Did we hear you?" for one call: where to answer, and the answer if given.

    Attributes:
        url: where the answer is posted (a GET there shows the question on its own page).
        score: the person's answer, 1–5, or ``None`` while they have not answered.
        choices: ``((score, label), …)`` for the form, in the active language.
    """

    url: str
    score: int | None = None
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def answered(self) -> bool:
        return self.score is not None


@dataclass
class CallImpact:
    """One call the person took part in, with what became of their part in it.

    Attributes:
        call_key: the call's translation key.
        call_title: its title in the active language (where it has one).
        call_url: its page, or empty.
        outcome_published_at: when its outcome was published, or ``None``.
        tracker_url: the public tracker filtered to this call.
        contributions: the person's contributions that commitments cite.
        commitments: the commitments they led to.
        heard: the "did we hear you?" question, or ``None`` while it is not asked.
    """

    call_key: uuid.UUID
    call_title: str
    call_url: str = ""
    outcome_published_at: datetime.datetime | None = None
    tracker_url: str = ""
    contributions: list[CitedContribution] = field(default_factory=list)
    commitments: list[TracedCommitment] = field(default_factory=list)
    heard: HeardQuestion | None = None


Reader = Callable[[Any], list[CallImpact]]

_reader: list[Reader] = []


def register_reader(function: Reader) -> None:
    """Make ``function(person)`` → ``[CallImpact]`` the way a person's impact is read."""
    _reader[:] = [function]


def of(person: Any) -> list[CallImpact]:
    """``person``'s impact, newest outcome first, in a fixed number of queries; empty when
    no app registered a reader or the person is not signed in."""
    if not _reader or not getattr(person, "pk", None):
        return []
    return _reader[0](person)
