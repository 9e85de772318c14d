"""The jury: assigning reviewers fairly, conflicts of interest, scores, and the ranking.

(Interface fixed; the implementation lands with the jury work.)
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Criterion:
    """One of the call's criteria (its block id, name, weight and highest score)."""

    id: str
    name: str
    weight: int
    max_score: int


@dataclass
class ReviewerScore:
    """One juror's weighted score of one submission, raw and normalized (both 0–100)."""

    reviewer_id: int
    raw: float
    normalized: float


@dataclass
class RankedIdea:
    """A submission's place in the ranking."""

    idea_id: int
    rank: int
    score: float | None  # mean of the normalized weighted scores, 0–100
    raw_score: float | None  # mean of the raw weighted scores, 0–100
    reviews: int  # scored reviews
    spread: float  # highest minus lowest normalized score
    disagreement: bool  # spread above DISAGREEMENT_SPREAD
    reviewer_scores: list = field(default_factory=list)
    criterion_means: dict = field(default_factory=dict)


# Interface used by the editors' admin screens and the jurors' views. ---------------


def criteria_of(page):
    """The call's criteria as :class:`Criterion` objects, in the editor's order."""
    raise NotImplementedError


def conflicts_of_interest(idea, juror):
    """Translated reasons ``juror`` may not review ``idea`` (empty list: no conflict).

    A juror may not review a submission by themselves, by someone from their own
    university, or by (or on behalf of) an organization they belong to.
    """
    raise NotImplementedError


def assign_reviewers(page, *, actor):
    """Give every submission in jury review ``page.reviews_per_submission`` reviewers.

    Evenly (the least-loaded eligible jurors first), never a conflicted juror, never
    twice the same juror, keeping assignments already made. Returns an
    :class:`AssignmentReport` (how many were made; which submissions are short of
    reviewers and why).
    """
    raise NotImplementedError


def recuse(assignment, juror, reason):
    """The juror steps back from a review (with a reason); a replacement can be assigned."""
    raise NotImplementedError


def save_scores(assignment, juror, scores, comment=""):
    """Record ``scores`` ({criterion id: int}) for every criterion, within its range."""
    raise NotImplementedError


def ranking(page):
    """The submissions in jury review or later, best first, as :class:`RankedIdea`."""
    raise NotImplementedError
