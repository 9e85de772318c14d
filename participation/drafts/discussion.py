"""How much discussion each clause drew, in a fixed number of queries.

Only published comments count: what is pending, hidden or removed never shows.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from .choices import CommentKind, ModerationState, Stance
from .models import ClauseComment, ClauseDecision


@dataclass
class ClauseStats:
    """The published discussion on one clause in one round."""

    comments: int = 0
    replies: int = 0
    new_clauses: int = 0
    stances: Counter = field(default_factory=Counter)

    @property
    def total(self):
        return self.comments + self.replies + self.new_clauses

    def stance_rows(self):
        """(stance, label, count) for every stance, in a fixed order."""
        return [(stance, str(stance.label), self.stances.get(stance.value, 0)) for stance in Stance]

    def key(self):
        """What the discussion summary shows, as a hashable value (for caching its HTML)."""
        return (self.comments, self.replies, self.new_clauses, tuple(sorted(self.stances.items())))


def public_comments(call_key, round_number):
    return ClauseComment.objects.filter(
        call_key=call_key, round_number=round_number, moderation_state=ModerationState.PUBLISHED
    )


def clause_statistics(call_key, round_number, clause_id=None):
    """{clause id: ClauseStats} of a round (or of one clause), from one grouped query."""
    stats = {}
    comments = public_comments(call_key, round_number)
    if clause_id is not None:
        comments = comments.filter(clause_id=clause_id)
    rows = comments.values("clause_id", "kind", "stance").annotate(count=Count("id")).order_by()
    for row in rows:
        clause = stats.setdefault(row["clause_id"], ClauseStats())
        if row["kind"] == CommentKind.REPLY:
            clause.replies += row["count"]
        elif row["kind"] == CommentKind.NEW_CLAUSE:
            clause.new_clauses += row["count"]
        else:
            clause.comments += row["count"]
            clause.stances[row["stance"]] += row["count"]
    return stats


def concentration(provisions, stats, top=5):
    """Where the discussion concentrates: the most discussed clauses and each one's share.

    Returns:
        (list of (provision, ClauseStats) most discussed first, {clause id: percent of the
        most discussed clause}, total count of published contributions)
    """
    ranked = sorted(
        (
            (provision, stats[provision.id])
            for provision in provisions
            if provision.id in stats and stats[provision.id].total
        ),
        key=lambda pair: (-pair[1].total, pair[0].position),
    )
    highest = ranked[0][1].total if ranked else 0
    heat = {
        provision.id: round(100 * clause.total / highest) if highest else 0
        for provision, clause in ranked
    }
    total = sum(clause.total for clause in stats.values())
    return ranked[:top], heat, total


def decisions_of(call_key, round_number):
    """{clause id: ClauseDecision} of a round."""
    return {
        decision.clause_id: decision
        for decision in ClauseDecision.objects.filter(call_key=call_key, round_number=round_number)
    }
