"""The jury: assigning reviewers fairly, conflicts of interest, scores, and the ranking.

Jurors are the people on a call's :class:`~.models.JuryMember` list. Each submission in
jury review gets ``page.reviews_per_submission`` reviewers, the least-loaded eligible
jurors first; a juror scores every criterion of the call (its block id, weight and
highest score come from the page's ``criteria`` StreamField); the ranking turns those
scores into one number per submission, each juror's scores normalized so that a harsh
and a lenient juror weigh the same.
"""

import logging
import math
import operator
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from participation import audit
from participation.audit.choices import AuditAction
from participation.emails import canonical_email
from participation.people.models import OrganizationMembership
from participation.persian import format_number

from .access import call_page
from .choices import AssignmentStatus, CoAuthorStatus, IdeaStatus
from .models import CriterionScore, Idea, IdeaAuthor, JuryMember, ReviewAssignment
from .notifications import queue_jury_assignment
from .services import Refused

logger = logging.getLogger("hadaf.ideas")

JUROR_ADDED_ACTION = "hadaf.ideas.juror_added"
JUROR_REMOVED_ACTION = "hadaf.ideas.juror_removed"
ASSIGNED_ACTION = "hadaf.ideas.reviewers_assigned"

# Submissions the ranking covers: in jury review, and every outcome after it.
RANKED_STATUSES = (
    IdeaStatus.IN_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.WINNER,
    IdeaStatus.HONOURABLE_MENTION,
    IdeaStatus.NOT_SELECTED,
)

# Jurors' normalized scores of one submission that lie further apart than this (on the
# 0–100 scale) are flagged for the editors: a quarter of the scale is more than a matter
# of taste, e.g. one juror finds the idea good (75) and another only fair (50).
DISAGREEMENT_SPREAD = 25.0

COMMENT_MAX_LENGTH = 5000
RECUSAL_REASON_MAX_LENGTH = 1000


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


@dataclass
class ShortSubmission:
    """A submission that could not get all its reviewers, and why."""

    idea_id: int
    title: str
    missing: int
    reason: str


@dataclass
class AssignmentReport:
    """What :func:`assign_reviewers` did: assignments made, submissions still short."""

    created: int = 0
    short: list = field(default_factory=list)  # of ShortSubmission

    @property
    def complete(self):
        return not self.short


# Interface used by the editors' admin screens and the jurors' views. ---------------


def criteria_of(page):
    """The call's criteria as :class:`Criterion` objects, in the editor's order."""
    return [
        Criterion(
            id=child.id,
            name=child.value["name"],
            weight=int(child.value["weight"] or 0),
            max_score=int(child.value["max_score"] or 0),
        )
        for child in page.criteria
    ]


def conflicts_of_interest(idea, juror):
    """Translated reasons ``juror`` may not review ``idea`` (empty list: no conflict).

    A juror may not review a submission by themselves, by someone from their own
    university, or by (or on behalf of) an organization they belong to.
    """
    parties = _parties(Idea.objects.filter(pk=idea.pk), [juror.pk])
    return _reasons(_Juror(juror.pk, juror.email, juror.university_id), parties[idea.pk])


def conflicts_among(ideas, jurors):
    """{(idea id, juror id): translated reasons} for every conflicted pair.

    The same rules as :func:`conflicts_of_interest` for many pairs at once, in three
    queries whatever their number. ``ideas`` is a queryset (or list) of submissions,
    ``jurors`` a list of users.
    """
    if not isinstance(ideas, QuerySet):
        ideas = Idea.objects.filter(pk__in=[idea.pk for idea in ideas])
    jurors = [_Juror(juror.pk, juror.email, juror.university_id) for juror in jurors]
    parties = _parties(ideas, [juror.pk for juror in jurors])
    found = {}
    for idea_id, involved in list(parties.items()):
        for juror in jurors:
            reasons = _reasons(juror, involved)
            if reasons:
                found[idea_id, juror.pk] = reasons
    return found


def assign_reviewers(page, *, actor, notify=True):
    """Give every submission in jury review ``page.reviews_per_submission`` reviewers.

    Evenly (the least-loaded eligible jurors first), never a conflicted juror, never
    twice the same juror, keeping assignments already made. Returns an
    :class:`AssignmentReport` (how many were made; which submissions are short of
    reviewers and why).

    The call's submissions in review are locked first, so two editors pressing the
    button at once take turns: the second sees the first one's assignments and makes
    none twice (the unique constraint is the last guard; a duplicate is skipped).
    ``actor`` is the editor; :func:`assign_and_log` also logs and audits the report.
    With ``notify``, each juror given new reviews is emailed once the assignments commit.
    """
    wanted = page.reviews_per_submission
    report = AssignmentReport()
    with transaction.atomic():
        ideas = list(
            Idea.objects.select_for_update()
            .filter(call_key=page.call_key, status=IdeaStatus.IN_REVIEW)
            .order_by("pk")
            .values_list("pk", "title")
        )
        if not ideas:
            return report
        jurors = [
            _Juror(*row)
            for row in get_user_model()
            .objects.filter(jury_seats__call_key=page.call_key, is_active=True)
            .order_by("pk")
            .values_list("pk", "email", "university_id")
        ]
        existing = list(
            ReviewAssignment.objects.filter(idea__call_key=page.call_key).values_list(
                "idea_id", "reviewer_id", "status"
            )
        )
        load = {juror.pk: 0 for juror in jurors}
        taken = defaultdict(set)  # every juror ever assigned to the idea, recused too
        recused = defaultdict(int)
        active = defaultdict(int)
        for idea_id, reviewer_id, status in existing:
            taken[idea_id].add(reviewer_id)
            if status == AssignmentStatus.RECUSED:
                recused[idea_id] += 1
                continue
            active[idea_id] += 1
            if reviewer_id in load:
                load[reviewer_id] += 1

        parties = _parties(
            Idea.objects.filter(call_key=page.call_key, status=IdeaStatus.IN_REVIEW),
            [juror.pk for juror in jurors],
        )
        needs = []
        for idea_id, title in ideas:
            missing = wanted - active[idea_id]
            if missing <= 0:
                continue
            conflicted = 0
            eligible = []
            for juror in jurors:
                if juror.pk in taken[idea_id]:
                    continue
                if _reasons(juror, parties[idea_id]):
                    conflicted += 1
                else:
                    eligible.append(juror.pk)
            needs.append((idea_id, title, missing, eligible, conflicted))

        # The most constrained submissions choose first, so a submission that only a
        # few jurors may review is not left short because they were used elsewhere.
        needs.sort(key=lambda need: (len(need[3]), need[0]))
        rows = []
        for idea_id, title, missing, eligible, conflicted in needs:
            eligible.sort(key=lambda pk, idea_id=idea_id: (load[pk], _tie_break(idea_id, pk)))
            chosen = eligible[:missing]
            for reviewer_id in chosen:
                load[reviewer_id] += 1
                rows.append(ReviewAssignment(idea_id=idea_id, reviewer_id=reviewer_id))
            if len(chosen) < missing:
                report.short.append(
                    ShortSubmission(
                        idea_id=idea_id,
                        title=title,
                        missing=missing - len(chosen),
                        reason=_shortage_reason(
                            missing - len(chosen), len(jurors), conflicted, recused[idea_id]
                        ),
                    )
                )
        if rows:
            ReviewAssignment.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            after = ReviewAssignment.objects.filter(idea__call_key=page.call_key).count()
            report.created = after - len(existing)
            if notify and report.created:
                queue_jury_assignment(page.pk, sorted({row.reviewer_id for row in rows}))
    report.short.sort(key=lambda short: short.idea_id)
    return report


# An editor's changes to the jury, each in the page's history and the audit log -----------


class JurorHasScored(Exception):
    """The juror has scored submissions: they stay, their scores are part of the ranking."""


def add_juror(page, person, *, actor):
    """An editor puts ``person`` on the jury of ``page``; (member, created).

    Nothing is written when they already were on it.
    """
    with transaction.atomic():
        member, created = JuryMember.objects.get_or_create(call_key=page.call_key, person=person)
        if created:
            log(
                instance=page,
                action=JUROR_ADDED_ACTION,
                user=actor,
                data={"juror": person.pk, "email": person.email},
            )
            audit.record(actor, AuditAction.ADD_JUROR, target=person, call=page)
    if created:
        logger.info("%s page %s juror %s", JUROR_ADDED_ACTION, page.pk, person.pk)
    return member, created


def remove_juror(page, member, *, actor):
    """An editor takes ``member`` off the jury of ``page``, with the reviews not scored yet.

    Returns how many reviews were dropped.

    Raises:
        JurorHasScored: nothing changed.
    """
    person = member.person
    with transaction.atomic():
        reviews = ReviewAssignment.objects.select_for_update().filter(
            idea__call_key=page.call_key, reviewer=person
        )
        if reviews.filter(status=AssignmentStatus.SCORED).exists():
            raise JurorHasScored
        dropped, _details = reviews.filter(status=AssignmentStatus.ASSIGNED).delete()
        member.delete()
        log(
            instance=page,
            action=JUROR_REMOVED_ACTION,
            user=actor,
            data={"juror": person.pk, "email": person.email, "reviews_dropped": dropped},
        )
        audit.record(
            actor, AuditAction.REMOVE_JUROR, target=person, call=page, reviews_dropped=dropped
        )
    logger.info("%s page %s juror %s", JUROR_REMOVED_ACTION, page.pk, person.pk)
    return dropped


def assign_and_log(page, *, actor):
    """An editor assigns the reviewers (:func:`assign_reviewers`); logged and audited."""
    with transaction.atomic():
        report = assign_reviewers(page, actor=actor)
        created = report.created
        log(
            instance=page,
            action=ASSIGNED_ACTION,
            user=actor,
            data={"created": created, "short": len(report.short)},
        )
        audit.record(
            actor,
            AuditAction.ASSIGN_REVIEWERS,
            target=page,
            call=page,
            created=created,
            short=len(report.short),
        )
    logger.info("%s page %s created %s", ASSIGNED_ACTION, page.pk, created)
    return report


def recuse(assignment, juror, reason):
    """The juror steps back from a review (with a reason); a replacement can be assigned.

    Only the assigned juror, only before they scored it, only while the submission is
    in jury review.

    Raises:
        Refused: any of these is not the case, or the reason is missing or too long.
    """
    reason = (reason or "").strip()
    _check_reviewer(assignment, juror)
    if not reason:
        raise Refused(_("Say why you are recusing yourself."))
    if len(reason) > RECUSAL_REASON_MAX_LENGTH:
        raise Refused(
            _("Write the reason in at most %(limit)s characters.")
            % {"limit": format_number(RECUSAL_REASON_MAX_LENGTH)}
        )
    with transaction.atomic():
        locked = _locked(assignment)
        if locked.status == AssignmentStatus.RECUSED:
            raise Refused(_("You have already recused yourself from this review."))
        if locked.status == AssignmentStatus.SCORED:
            raise Refused(
                _("You have already scored this submission; ask the editors to withdraw it.")
            )
        _check_in_review(locked.idea)
        locked.status = AssignmentStatus.RECUSED
        locked.recusal_reason = reason
        locked.save(update_fields=["status", "recusal_reason"])
    assignment.status, assignment.recusal_reason = locked.status, locked.recusal_reason
    return locked


def save_scores(assignment, juror, scores, comment=""):
    """Record ``scores`` ({criterion id: int}) for every criterion, within its range.

    Scores may be changed while the submission is in jury review. Either every score
    and the comment are stored, or (refused) nothing is.

    Raises:
        Refused: not the assigned juror, recused, the review is over, or a score is
            missing, unknown, not a whole number or out of its range.
    """
    _check_reviewer(assignment, juror)
    page = call_page(assignment.idea)
    criteria = criteria_of(page) if page is not None else []
    if not criteria:
        raise Refused(_("This call has no criteria to score."))
    checked = _checked_scores(criteria, scores)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise Refused(
            _("Write the comment in at most %(limit)s characters.")
            % {"limit": format_number(COMMENT_MAX_LENGTH)}
        )
    with transaction.atomic():
        locked = _locked(assignment)
        if locked.status == AssignmentStatus.RECUSED:
            raise Refused(_("You recused yourself from this review; it cannot be scored."))
        _check_in_review(locked.idea)
        stored = {score.criterion_id: score for score in locked.scores.all()}
        changed, new = [], []
        for criterion_id, value in checked.items():
            score = stored.pop(criterion_id, None)
            if score is None:
                new.append(CriterionScore(review=locked, criterion_id=criterion_id, score=value))
            elif score.score != value:
                score.score = value
                changed.append(score)
        if stored:  # criteria the editor has since removed from the call
            CriterionScore.objects.filter(pk__in=[score.pk for score in stored.values()]).delete()
        CriterionScore.objects.bulk_update(changed, ["score"])
        CriterionScore.objects.bulk_create(new)
        locked.status = AssignmentStatus.SCORED
        locked.comment = comment
        locked.scored_at = timezone.now()
        locked.save(update_fields=["status", "comment", "scored_at"])
    assignment.status, assignment.comment = locked.status, locked.comment
    assignment.scored_at = locked.scored_at
    return locked


def ranking(page):
    """The submissions in jury review or later, best first, as :class:`RankedIdea`.

    A review's weighted score is ``sum(weight × score / highest) / sum(weight) × 100``
    over the call's criteria (a criterion added after the review was scored is left out
    of that review's sums; scores of a removed criterion are ignored). Each juror's
    weighted scores are then normalized (see :func:`_normalization`), and a submission's
    score is the mean of its normalized scores. Submissions without a scored review
    come last, with ``score`` None. ``criterion_means`` are raw points on each
    criterion's own scale.

    Two queries whatever the number of submissions: their ids, and one row per scored
    review with its submission, juror and a column per criterion (see
    :func:`_scored_reviews`). The arithmetic is plain Python over those rows.
    """
    criteria = [c for c in criteria_of(page) if c.weight > 0 and c.max_score > 0]
    idea_ids = list(
        Idea.objects.filter(call_key=page.call_key, status__in=RANKED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    weights = [c.weight for c in criteria]
    per_point = [c.weight / c.max_score for c in criteria]
    full_weight = sum(weights)

    # Only numbers and a few lists per submission outlive a row: thousands of small
    # objects kept until the end would cost more in garbage collection than the sums.
    reviews_by_idea = defaultdict(list)  # idea id → [reviewer id, raw, reviewer id, raw…]
    values_by_idea = defaultdict(list)  # idea id → every review's criterion scores, in a row
    raw_by_reviewer = defaultdict(list)
    for idea_id, reviewer_id, *values in _scored_reviews(page, criteria):
        if None in values:  # a criterion added since: weigh what was scored
            weight = sum(w for w, value in zip(weights, values, strict=True) if value is not None)
            if not weight:
                continue
            points = sum(p * v for p, v in zip(per_point, values, strict=True) if v is not None)
        else:
            weight = full_weight
            points = sum(map(operator.mul, per_point, values))
        raw = 100 * points / weight
        reviews_by_idea[idea_id] += (reviewer_id, raw)
        values_by_idea[idea_id] += values
        raw_by_reviewer[reviewer_id].append(raw)
    overall_mean, jurors = _normalization(raw_by_reviewer)

    ranked = []
    for idea_id in idea_ids:
        flat = reviews_by_idea.get(idea_id)
        if not flat:
            ranked.append(RankedIdea(idea_id, 0, None, None, 0, 0.0, False))
            continue
        found = []
        for reviewer_id, raw in sorted(zip(flat[::2], flat[1::2], strict=True)):
            mean, scale = jurors[reviewer_id]
            normalized = min(100.0, max(0.0, overall_mean + (raw - mean) * scale))
            found.append(ReviewerScore(reviewer_id, raw, normalized))
        normalized = [score.normalized for score in found]
        spread = max(normalized) - min(normalized)
        means = {}
        values = values_by_idea[idea_id]
        for index, criterion in enumerate(criteria):
            column = values[index :: len(criteria)]
            if None in column:
                column = [value for value in column if value is not None]
            if column:
                means[criterion.id] = sum(column) / len(column)
        ranked.append(
            RankedIdea(
                idea_id=idea_id,
                rank=0,
                score=sum(normalized) / len(normalized),
                raw_score=sum(flat[1::2]) / len(found),
                reviews=len(found),
                spread=spread,
                disagreement=spread > DISAGREEMENT_SPREAD,
                reviewer_scores=found,
                criterion_means=means,
            )
        )
    ranked.sort(
        key=lambda entry: (
            entry.score is None,
            -(entry.score or 0.0),
            -(entry.raw_score or 0.0),
            entry.idea_id,
        )
    )
    for rank, entry in enumerate(ranked, start=1):
        entry.rank = rank
    return ranked


def _scored_reviews(page, criteria):
    """(idea id, reviewer id, score on each criterion or None) of every scored review.

    One row per review, its criterion scores pivoted into columns by the database: a
    sixth of the rows that one row per score costs, and no criterion ids to send. Run
    on a plain cursor (Django's per-value converters would cost more than the query),
    row by row.
    """
    if not criteria:
        return
    columns = {
        f"criterion_{index}": Max("scores__score", filter=Q(scores__criterion_id=criterion.id))
        for index, criterion in enumerate(criteria)
    }
    query = (
        ReviewAssignment.objects.filter(
            idea__call_key=page.call_key,
            idea__status__in=RANKED_STATUSES,
            status=AssignmentStatus.SCORED,
        )
        .order_by()
        .values("pk")
        .annotate(**columns)
        .values_list("idea_id", "reviewer_id", *columns)
    )
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor


# Conflicts of interest ------------------------------------------------------------------


@dataclass(frozen=True)
class _Juror:
    pk: int
    email: str
    university_id: int | None


@dataclass
class _Parties:
    """Who stands behind a submission, as far as conflicts of interest go."""

    people: set = field(default_factory=set)  # authors' accounts (any status but declined)
    emails: set = field(default_factory=set)  # authors' addresses, invited ones too
    universities: set = field(default_factory=set)  # accepted authors' universities
    organization_university_id: int | None = None
    members: set = field(default_factory=set)  # jurors who belong to its organization


def _parties(ideas, juror_ids):
    """{idea id: :class:`_Parties`} for the submissions of the queryset ``ideas``.

    Three queries whatever the number of submissions; memberships are looked up only
    for ``juror_ids``.
    """
    parties = defaultdict(_Parties)
    organizations = defaultdict(list)
    for idea_id, organization_id, university_id in ideas.values_list(
        "pk", "organization_id", "organization__university_id"
    ):
        parties[idea_id].organization_university_id = university_id
        if organization_id is not None:
            organizations[organization_id].append(idea_id)
    authors = (
        IdeaAuthor.objects.filter(idea__in=ideas.values("pk"))
        .exclude(status=CoAuthorStatus.DECLINED)
        .values_list("idea_id", "person_id", "email", "status", "person__university_id")
    )
    for idea_id, person_id, email, status, university_id in authors:
        found = parties[idea_id]
        found.emails.add(canonical_email(email))
        if person_id is not None:
            found.people.add(person_id)
        if status == CoAuthorStatus.ACCEPTED and university_id is not None:
            found.universities.add(university_id)
    if organizations and juror_ids:
        memberships = OrganizationMembership.objects.filter(
            organization_id__in=list(organizations), person_id__in=list(juror_ids)
        ).values_list("organization_id", "person_id")
        for organization_id, person_id in memberships:
            for idea_id in organizations[organization_id]:
                parties[idea_id].members.add(person_id)
    return parties


def _reasons(juror, parties):
    reasons = []
    if juror.pk in parties.people or canonical_email(juror.email) in parties.emails:
        reasons.append(_("The juror is one of its authors."))
    if juror.university_id is not None:
        if juror.university_id in parties.universities:
            reasons.append(_("One of its authors is from the juror's university."))
        if juror.university_id == parties.organization_university_id:
            reasons.append(_("It comes from an organization of the juror's university."))
    if juror.pk in parties.members:
        reasons.append(_("The juror belongs to the organization it comes from."))
    return reasons


# Assignment, recusal and scores -------------------------------------------------------------


def _tie_break(idea_id, juror_id):
    # Stable across runs and machines, yet mixing which jurors review together, so
    # every pair of jurors shares some submissions (which the normalization relies on).
    return zlib.crc32(f"{idea_id}:{juror_id}".encode())


def _shortage_reason(missing, jurors, conflicted, recused):
    if not jurors:
        return _("The call has no jurors yet.")
    return _(
        "Reviewers missing: %(missing)s. Of the %(jurors)s jurors, %(conflicted)s have a"
        " conflict of interest and %(recused)s recused themselves."
    ) % {
        "missing": format_number(missing),
        "jurors": format_number(jurors),
        "conflicted": format_number(conflicted),
        "recused": format_number(recused),
    }


def _check_reviewer(assignment, juror):
    if juror is None or not juror.is_authenticated or assignment.reviewer_id != juror.pk:
        raise Refused(_("Only the juror assigned to this review can do this."))


def _check_in_review(idea):
    if idea.status != IdeaStatus.IN_REVIEW:
        raise Refused(_("The jury review of this submission is over; it can no longer change."))


def _locked(assignment):
    """The assignment and its submission, re-read and locked until the transaction ends."""
    return ReviewAssignment.objects.select_for_update().select_related("idea").get(pk=assignment.pk)


def _checked_scores(criteria, scores):
    """{criterion id: int} for exactly the call's criteria, each within 0..highest."""
    scores = dict(scores or {})
    known = {criterion.id for criterion in criteria}
    if set(scores) - known:
        raise Refused(_("A score was given for a criterion this call does not have."))
    checked = {}
    for criterion in criteria:
        value = scores.get(criterion.id)
        if value is None or value == "":
            raise Refused(
                _("Score every criterion: “%(name)s” has no score.") % {"name": criterion.name}
            )
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(
                _("The score for “%(name)s” must be a whole number.") % {"name": criterion.name}
            )
        if not 0 <= value <= criterion.max_score:
            raise Refused(
                _("The score for “%(name)s” must be from %(min)s to %(max)s.")
                % {
                    "name": criterion.name,
                    "min": format_number(0),
                    "max": format_number(criterion.max_score),
                }
            )
        checked[criterion.id] = value
    return checked


# The ranking's normalization ------------------------------------------------------------------


def _mean_and_sd(values):
    """Mean and population standard deviation, in plain Python (fast for floats)."""
    count = len(values)
    mean = sum(values) / count
    return mean, math.sqrt(sum((value - mean) ** 2 for value in values) / count)


def _normalization(raw_by_reviewer):
    """The call's mean raw score, and {juror id: (their mean, scale)}.

    A juror's raw score becomes ``overall mean + (raw − juror mean) × scale``. With
    ``scale = overall sd / juror sd`` that is their z-score over all their scored reviews
    in the call, put back on the 0–100 scale with the mean and standard deviation of
    every raw score in the call. So a harsh juror (scores 20, 40, 60) and a lenient one
    (70, 80, 90) who judge the same submissions alike, apart from where on the scale
    they put them, give them equal normalized scores.

    With a single review, or reviews that all have the same score, a juror's spread
    cannot be measured, so only their leniency is removed (``scale = 1``: the score is
    shifted by the juror's mean). That puts a single review at the overall mean: from
    one score alone the juror's harshness cannot be told apart from the submission's
    quality, and trusting it raw would let one lenient juror's only review outrank
    everyone. Normalized scores are clamped to 0–100.
    """
    everything = [raw for raws in raw_by_reviewer.values() for raw in raws]
    if not everything:
        return 0.0, {}
    overall_mean, overall_sd = _mean_and_sd(everything)
    jurors = {}
    for reviewer_id, raws in raw_by_reviewer.items():
        mean, sd = _mean_and_sd(raws)
        jurors[reviewer_id] = (mean, overall_sd / sd if len(raws) > 1 and sd > 1e-9 else 1.0)
    return overall_mean, jurors
