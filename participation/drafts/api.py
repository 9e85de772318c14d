"""A regulation draft's public discussion figures and decisions, for the read API.

Exactly what the public draft page shows for its current round: per clause, the counts
of published comments, replies and proposed new clauses and the stances taken (never a
comment, and nothing pending, hidden or removed), and each clause's decision once the
round's decisions are public (:func:`.services.decisions_are_public`). Three queries for
any number of listed drafts; nothing is written (a draft nobody has commented on yet
has no round row: it is round 1, open).
"""

from collections import defaultdict

from django.db.models import Count

from . import outline
from .choices import CommentKind, DecisionOutcome, ModerationState, Stance
from .discussion import ClauseStats
from .models import ClauseComment, ClauseDecision, DraftRound
from .services import decisions_are_public


class DraftData:
    """The current round, discussion counts and decisions of several drafts, loaded together."""

    def __init__(self, pages):
        keys = {page.call_key for page in pages}
        self.rounds = {}
        for review_round in DraftRound.objects.filter(call_key__in=keys).order_by("number"):
            self.rounds[review_round.call_key] = review_round  # the latest wins
        self.stats = defaultdict(dict)
        self.decisions = defaultdict(dict)
        if not keys:
            return
        counts = (
            ClauseComment.objects.filter(
                call_key__in=keys, moderation_state=ModerationState.PUBLISHED
            )
            .values("call_key", "round_number", "clause_id", "kind", "stance")
            .annotate(count=Count("id"))
            .order_by()
        )
        for row in counts:
            if row["round_number"] != self.round_number(row["call_key"]):
                continue
            clause = self.stats[row["call_key"]].setdefault(row["clause_id"], ClauseStats())
            if row["kind"] == CommentKind.REPLY:
                clause.replies += row["count"]
            elif row["kind"] == CommentKind.NEW_CLAUSE:
                clause.new_clauses += row["count"]
            else:
                clause.comments += row["count"]
                clause.stances[row["stance"]] += row["count"]
        for decision in ClauseDecision.objects.filter(call_key__in=keys):
            if decision.round_number == self.round_number(decision.call_key):
                self.decisions[decision.call_key][decision.clause_id] = decision

    def round_number(self, call_key):
        review_round = self.rounds.get(call_key)
        return review_round.number if review_round else 1

    def decisions_public(self, page):
        review_round = self.rounds.get(page.call_key) or DraftRound(call_key=page.call_key)
        return decisions_are_public(page, review_round)


def provisions_of(page, review_round):
    """The text of the round as the public page shows it: frozen once closed, else live."""
    if review_round is not None and review_round.is_closed:
        return outline.build_outline(outline.raw_items(review_round.text))
    return outline.outline_of(page.draft_text)


def clause_json(provision, stats, decision):
    stats = stats or ClauseStats()
    return {
        "id": provision.id,
        "kind": provision.kind,
        "label": str(provision.label),
        "comments": stats.comments,
        "replies": stats.replies,
        "new_clauses": stats.new_clauses,
        "stances": {stance.value: stats.stances.get(stance.value, 0) for stance in Stance},
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "outcome_label": str(DecisionOutcome(decision.outcome).label),
            "reason": decision.reason,
        },
    }


def discussion_json(page, data):
    """The current round's per-clause figures and public decisions of ``page``.

    Args:
        page: a regulation draft page.
        data: a :class:`DraftData` loaded for the listed pages (including ``page``).
    """
    review_round = data.rounds.get(page.call_key)
    stats = data.stats.get(page.call_key, {})
    public = data.decisions_public(page)
    decisions = data.decisions.get(page.call_key, {}) if public else {}
    clauses = [
        clause_json(provision, stats.get(provision.id), decisions.get(provision.id))
        for provision in provisions_of(page, review_round)
        if provision.commentable
    ]
    return {
        "round": data.round_number(page.call_key),
        "round_closed": bool(review_round and review_round.is_closed),
        "decisions_public": public,
        "contributions": sum(clause.total for clause in stats.values()),
        "clauses": clauses,
    }
