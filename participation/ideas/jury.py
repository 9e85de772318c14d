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
