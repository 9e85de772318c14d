"""Decisions on clauses and clause comments as the sources of commitments.

Registered with ``participation.sources`` from ``apps.ready``: the impact app cites a
draft's decisions and comments without importing this app. A decision is described
publicly only once it is public (its round closed or the outcome out); a comment's words
only while it is published. Drafts cannot be anonymous-verified, so every author of a
published comment a decision answers may be told what became of it.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from participation.calls import call_page_model, live_calls_by_key, traceable
from participation.choices import AnonymityMode, CallKind, SourceKind
from participation.persian import localize_digits
from participation.sources import SourceInfo, SourceProvider, SourceRef

from . import outline
from .choices import DecisionOutcome, ModerationState
from .models import ClauseComment, ClauseDecision, DraftRound
from .services import decisions_are_public

EXCERPT_WORDS = 30
# Decisions a commitment can follow from: something of the proposals was taken up.
CITABLE_OUTCOMES = (DecisionOutcome.ACCEPTED, DecisionOutcome.PARTLY_ACCEPTED)


class _Drafts:
    """The pages, rounds and round texts of a set of drafts, read once for a batch."""

    def __init__(self, call_keys):
        self.pages = live_calls_by_key(call_page_model(CallKind.DRAFT), call_keys)
        self.rounds = {
            (review_round.call_key, review_round.number): review_round
            for review_round in DraftRound.objects.filter(call_key__in=set(call_keys))
        }
        self._provisions = {}

    def provisions(self, call_key, round_number):
        """{clause id: Provision} of the text the round was about."""
        key = (call_key, round_number)
        if key not in self._provisions:
            review_round = self.rounds.get(key)
            page = self.pages.get(call_key)
            if review_round is not None and review_round.is_closed:
                items = outline.build_outline(outline.raw_items(review_round.text))
            elif page is not None:
                items = outline.outline_of(page.draft_text)
            else:
                items = []
            self._provisions[key] = outline.commentable(items)
        return self._provisions[key]

    def label(self, call_key, round_number, clause_id):
        provisions = self.provisions(call_key, round_number)
        provision = provisions.get(clause_id)
        if provision is None:
            return _("a clause no longer in the text")
        return outline.full_label(provision, provisions)

    def is_public(self, call_key, round_number):
        page = self.pages.get(call_key)
        review_round = self.rounds.get((call_key, round_number))
        return (
            page is not None
            and review_round is not None
            and decisions_are_public(page, review_round)
        )

    def clause_url(self, call_key, round_number, clause_id):
        page = self.pages.get(call_key)
        if page is None or not page.url:
            return ""
        return f"{page.url}clause/{clause_id}/?round={round_number}"


def describe_decisions(refs):
    decisions = ClauseDecision.objects.in_bulk([ref.object_id for ref in refs])
    drafts = _Drafts({decision.call_key for decision in decisions.values()})
    described = {}
    for ref in refs:
        decision = decisions.get(ref.object_id)
        if decision is None:
            described[ref] = SourceInfo(label=_("a decision no longer on record"))
            continue
        public = drafts.is_public(decision.call_key, decision.round_number)
        described[ref] = SourceInfo(
            label=drafts.label(decision.call_key, decision.round_number, decision.clause_id),
            outcome=decision.get_outcome_display() if public else "",
            url=drafts.clause_url(decision.call_key, decision.round_number, decision.clause_id)
            if public
            else "",
            excerpt=Truncator(decision.reason).words(EXCERPT_WORDS) if public else "",
        )
    return described


def describe_comments(refs):
    comments = ClauseComment.objects.in_bulk([ref.object_id for ref in refs])
    call_keys = {comment.call_key for comment in comments.values()}
    drafts = _Drafts(call_keys)
    outcomes = {
        (decision.call_key, decision.round_number, decision.clause_id): decision
        for decision in ClauseDecision.objects.filter(call_key__in=call_keys)
    }
    described = {}
    for ref in refs:
        comment = comments.get(ref.object_id)
        if comment is None:
            described[ref] = SourceInfo(label=_("a comment no longer on record"))
            continue
        decision = outcomes.get((comment.call_key, comment.round_number, comment.clause_id))
        decided = decision is not None and drafts.is_public(comment.call_key, comment.round_number)
        published = comment.moderation_state == ModerationState.PUBLISHED
        words = comment.proposed_text or comment.body
        described[ref] = SourceInfo(
            label=_("A comment on %(clause)s")
            % {"clause": drafts.label(comment.call_key, comment.round_number, comment.clause_id)},
            outcome=decision.get_outcome_display() if decided else "",
            url=drafts.clause_url(comment.call_key, comment.round_number, comment.clause_id)
            if published
            else "",
            excerpt=Truncator(words).words(EXCERPT_WORDS) if published else "",
        )
    return described


def _anonymous(call_key):
    page = live_calls_by_key(call_page_model(CallKind.DRAFT), [call_key]).get(call_key)
    return page is None or page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED


def decision_contributors(ref):
    """The authors of the published comments the decision answered."""
    decision = ClauseDecision.objects.filter(pk=ref.object_id).first()
    if decision is None or _anonymous(decision.call_key):
        return []
    comments = ClauseComment.objects.filter(
        call_key=decision.call_key,
        round_number=decision.round_number,
        clause_id=decision.clause_id,
        parent__isnull=True,
        moderation_state=ModerationState.PUBLISHED,
        author__isnull=False,
    ).select_related("author")
    people = {comment.author_id: comment.author for comment in comments}
    return list(people.values())


def comment_contributors(ref):
    comment = ClauseComment.objects.filter(pk=ref.object_id).select_related("author").first()
    if comment is None or comment.author is None or _anonymous(comment.call_key):
        return []
    return [comment.author]


def candidates(page):
    """The public accepted or partly accepted decisions of a draft, and the comments they
    answered, labelled for the editor."""
    if getattr(page, "call_kind", None) != CallKind.DRAFT:
        return []
    call_key = page.translation_key
    drafts = _Drafts([call_key])
    decisions = [
        decision
        for decision in ClauseDecision.objects.filter(
            call_key=call_key, outcome__in=CITABLE_OUTCOMES
        ).order_by("round_number", "pk")
        if drafts.is_public(call_key, decision.round_number)
    ]
    found = []
    for decision in decisions:
        label = drafts.label(call_key, decision.round_number, decision.clause_id)
        found.append(
            (
                SourceRef(SourceKind.CLAUSE_DECISION, call_key, object_id=decision.pk),
                _("Round %(round)s, %(clause)s: %(outcome)s")
                % {
                    "round": localize_digits(decision.round_number),
                    "clause": label,
                    "outcome": decision.get_outcome_display(),
                },
            )
        )
    decided = {(decision.round_number, decision.clause_id): decision for decision in decisions}
    comments = ClauseComment.objects.filter(
        call_key=call_key, parent__isnull=True, moderation_state=ModerationState.PUBLISHED
    ).order_by("round_number", "created_at", "pk")
    for comment in comments:
        if (comment.round_number, comment.clause_id) not in decided:
            continue
        label = drafts.label(call_key, comment.round_number, comment.clause_id)
        found.append(
            (
                SourceRef(SourceKind.CLAUSE_COMMENT, call_key, object_id=comment.pk),
                _("Comment #%(number)s on %(clause)s: %(words)s")
                % {
                    "number": localize_digits(comment.pk),
                    "clause": label,
                    "words": Truncator(comment.proposed_text or comment.body).words(12),
                },
            )
        )
    return found


def figures(query):
    """Clause comments for the effectiveness dashboard, grouped and counted by the database.

    A top-level comment (a stance on a clause or a new clause proposed after it; replies
    are discussion, not contributions) not removed by a moderator is a contribution; it is
    decided once its clause has a decision in its round, accepted when the decision took
    something up, committed when a commitment cites it or its clause's decision, and its
    author was told once the decision's notice went out.
    """
    decision = ClauseDecision.objects.filter(
        call_key=OuterRef("call_key"),
        round_number=OuterRef("round_number"),
        clause_id=OuterRef("clause_id"),
    )
    comments = (
        ClauseComment.objects.filter(parent__isnull=True)
        .exclude(moderation_state=ModerationState.REMOVED)
        .annotate(
            decision_outcome=Subquery(decision.values("outcome")[:1]),
            decision_pk=Subquery(decision.values("pk")[:1]),
            decision_notified=Subquery(decision.values("notified_at")[:1]),
            month=query.month("created_at"),
            university=Coalesce(F("author__university__name"), Value("")),
            role=F("author_role"),
        )
    )
    cited_comments = query.cited([SourceKind.CLAUSE_COMMENT], False)
    cited_decisions = query.cited([SourceKind.CLAUSE_DECISION], False)
    done_comments = query.cited([SourceKind.CLAUSE_COMMENT], True)
    done_decisions = query.cited([SourceKind.CLAUSE_DECISION], True)
    every = Count("pk")
    return comments.values("call_key", "month", "university", "role").annotate(
        people=Count("author", distinct=True),
        started=every,
        contributions=every,
        answerable=every,
        decided=Count("pk", filter=Q(decision_outcome__isnull=False)),
        accepted=Count("pk", filter=Q(decision_outcome__in=CITABLE_OUTCOMES)),
        committed=Count("pk", filter=Q(pk__in=cited_comments) | Q(decision_pk__in=cited_decisions)),
        done=Count("pk", filter=Q(pk__in=done_comments) | Q(decision_pk__in=done_decisions)),
        told=Count("pk", filter=Q(decision_notified__isnull=False)),
    )


def _own_comments(person):
    """``person``'s top-level comments in drafts whose contributors may be traced."""
    return traceable(
        ClauseComment.objects.filter(author=person, parent__isnull=True),
        call_page_model(CallKind.DRAFT),
    )


def decisions_contributed_by(person):
    """The decisions answering a published comment of ``person`` (one query): the way
    round of :func:`decision_contributors`."""
    answered = ClauseComment.objects.filter(
        author=person,
        parent__isnull=True,
        moderation_state=ModerationState.PUBLISHED,
        call_key=OuterRef("call_key"),
        round_number=OuterRef("round_number"),
        clause_id=OuterRef("clause_id"),
    )
    decisions = traceable(
        ClauseDecision.objects.filter(Exists(answered)), call_page_model(CallKind.DRAFT)
    )
    return [
        SourceRef(SourceKind.CLAUSE_DECISION, call_key, object_id=pk)
        for pk, call_key in decisions.values_list("pk", "call_key")
    ]


def comments_contributed_by(person):
    """``person``'s own comments (one query): the way round of :func:`comment_contributors`."""
    return [
        SourceRef(SourceKind.CLAUSE_COMMENT, call_key, object_id=pk)
        for pk, call_key in _own_comments(person).values_list("pk", "call_key")
    ]


def calls_of(person):
    """The drafts ``person`` commented on (one query)."""
    return set(
        ClauseComment.objects.filter(author=person)
        .order_by()
        .values_list("call_key", flat=True)
        .distinct()
    )


PROVIDERS = (
    SourceProvider(
        kind=SourceKind.CLAUSE_DECISION,
        describe=describe_decisions,
        contributors=decision_contributors,
        candidates=candidates,
        contributed_by=decisions_contributed_by,
        calls_of=calls_of,
    ),
    # The comments are offered by the decisions' ``candidates`` above: one list per draft.
    SourceProvider(
        kind=SourceKind.CLAUSE_COMMENT,
        describe=describe_comments,
        contributors=comment_contributors,
        candidates=lambda page: [],
        contributed_by=comments_contributed_by,
        calls_of=calls_of,
        figures=figures,
    ),
)
