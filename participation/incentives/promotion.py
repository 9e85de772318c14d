"""The faculty promotion report: a faculty member's eligible contributions, for a committee.

Article 1 of the faculty promotion bylaw counts cultural contributions; the report lists,
for one person, what the platform can vouch for:

* awards of promotion points, with their total (an award whose certificate was revoked
  no longer counts, and is left out);
* valid certificates, each with its code and verification address, so the committee
  can check them;
* survey responses (submitted, not withdrawn; answers in anonymous-verified calls are
  not linked to the account and cannot be listed);
* published comments and proposed clauses on regulation drafts (not replies), with the
  drafting committee's decision once it is public (the round closed or the authors
  were told);
* idea and experience submissions the person authored or accepted to co-author, once
  submitted, with where each stands.

Each line has the call's title (in the site's language when the call has that version)
and its date. Everything is read in a fixed number of queries, whatever the count.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page

from participation.calls import call_page_model
from participation.choices import CallKind, IncentiveKind, SubmissionStatus
from participation.drafts.choices import CommentKind, ModerationState
from participation.drafts.models import ClauseComment, ClauseDecision, DraftRound
from participation.drafts.views import round_provisions
from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.models import Idea
from participation.submissions.models import Submission

from .models import Award
from .services import verification_url

REPORT_TEMPLATE = "participation/incentives/promotion_report.html"


@dataclass
class Line:
    """One contribution or award in the report."""

    title: str
    call_title: str
    date: object
    outcome: str = ""
    points: Decimal | None = None
    code: str = ""
    url: str = ""


@dataclass
class PromotionReport:
    person: object
    university: str
    generated_on: object
    points: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    submissions: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    ideas: list = field(default_factory=list)
    total_points: Decimal = Decimal(0)

    @property
    def is_empty(self):
        return not (
            self.points or self.certificates or self.submissions or self.comments or self.ideas
        )


def tidy_points(points):
    """Points as people write them: 2.50 → 2.5, 4.00 → 4."""
    if points == points.to_integral_value():
        return points.quantize(Decimal(1))
    return points.normalize()


def call_titles(call_keys):
    """{call key: title}, the title in the site's language when that version exists."""
    titles = {}
    rows = Page.objects.filter(translation_key__in=set(call_keys)).values_list(
        "translation_key", "title", "locale__language_code"
    )
    for key, title, language in rows:
        if language == settings.LANGUAGE_CODE or key not in titles:
            titles[key] = title
    return titles


def _award_lines(person):
    points, certificates, total = [], [], Decimal(0)
    awards = Award.objects.filter(recipient_user=person).select_related("certificate")
    for award in awards.order_by("awarded_at", "pk"):
        certificate = getattr(award, "certificate", None)
        if certificate is not None and certificate.is_revoked:
            continue
        if award.kind == IncentiveKind.PROMOTION_POINTS and award.points:
            total += award.points
            points.append(
                Line(
                    title=award.reason,
                    call_title=award.call_title,
                    date=award.awarded_at,
                    points=tidy_points(award.points),
                )
            )
        if certificate is not None:
            certificates.append(
                Line(
                    title=award.reason,
                    call_title=certificate.call_title if award.call_key else "",
                    date=certificate.issued_on,
                    outcome=award.get_kind_display(),
                    code=certificate.display_code,
                    url=verification_url(certificate),
                )
            )
    return points, certificates, total


def _clause_labels(comments):
    """({(call key, round, clause id): "ماده ۴"}, {(call key, round): DraftRound})."""
    keys = {comment.call_key for comment in comments}
    drafts = {}
    pages = (
        call_page_model(CallKind.DRAFT)
        .objects.filter(translation_key__in=keys)
        .select_related("locale")
    )
    for page in pages:
        in_site_language = page.locale.language_code == settings.LANGUAGE_CODE
        if in_site_language or page.translation_key not in drafts:
            drafts[page.translation_key] = page
    rounds = {
        (review_round.call_key, review_round.number): review_round
        for review_round in DraftRound.objects.filter(call_key__in=keys)
    }
    labels = {}
    for call_key, number in {(c.call_key, c.round_number) for c in comments}:
        page, review_round = drafts.get(call_key), rounds.get((call_key, number))
        if page is None or review_round is None:
            continue
        for provision in round_provisions(page, review_round):
            labels[(call_key, number, provision.id)] = provision.label
    return labels, rounds


def _comments(person):
    return list(
        ClauseComment.objects.filter(author=person, moderation_state=ModerationState.PUBLISHED)
        .exclude(kind=CommentKind.REPLY)
        .only("call_key", "round_number", "clause_id", "kind", "created_at")
        .order_by("created_at", "pk")
    )


def _decorate_comments(comments, titles):
    if not comments:
        return []
    labels, rounds = _clause_labels(comments)
    decisions = {
        (decision.call_key, decision.round_number, decision.clause_id): decision
        for decision in ClauseDecision.objects.filter(
            call_key__in={comment.call_key for comment in comments}
        )
    }
    lines = []
    for comment in comments:
        key = (comment.call_key, comment.round_number, comment.clause_id)
        decision = decisions.get(key)
        review_round = rounds.get((comment.call_key, comment.round_number))
        public = decision is not None and (
            decision.notified_at is not None
            or (review_round is not None and review_round.is_closed)
        )
        lines.append(
            Line(
                title=_comment_title(comment, labels.get(key, "")),
                call_title=titles.get(comment.call_key, ""),
                date=comment.created_at,
                outcome=decision.get_outcome_display() if public else "",
            )
        )
    return lines


def _comment_title(comment, clause_label):
    if comment.kind == CommentKind.NEW_CLAUSE:
        if clause_label:
            return gettext("New clause proposed after %(clause)s") % {"clause": clause_label}
        return gettext("New clause proposed")
    if clause_label:
        return gettext("Comment on %(clause)s") % {"clause": clause_label}
    return gettext("Comment on a clause")


def _ideas(person):
    return list(
        Idea.objects.filter(authors__person=person, authors__status=CoAuthorStatus.ACCEPTED)
        .exclude(status=IdeaStatus.DRAFT)
        .only("call_key", "title", "status", "submitted_at", "created_at")
        .distinct()
        .order_by("submitted_at", "pk")
    )


def build_report(person):
    """The promotion report of ``person`` (a faculty member), in the site's language.

    Returns:
        PromotionReport: Its lists hold ``Line`` items, oldest first, and
        ``total_points`` the sum of the promotion points still valid.
    """
    with translation.override(settings.LANGUAGE_CODE):
        points, certificates, total = _award_lines(person)
        submissions = list(
            Submission.objects.filter(participant=person, status=SubmissionStatus.SUBMITTED)
            .only("call_key", "submitted_at")
            .order_by("submitted_at", "pk")
        )
        comments = _comments(person)
        ideas = _ideas(person)
        titles = call_titles(
            [s.call_key for s in submissions]
            + [c.call_key for c in comments]
            + [i.call_key for i in ideas]
        )
        university = person.university.name if person.university_id else ""
        return PromotionReport(
            person=person,
            university=university,
            generated_on=timezone.localdate(),
            points=points,
            certificates=certificates,
            submissions=[
                Line(
                    title=str(SubmissionStatus.SUBMITTED.label),
                    call_title=titles.get(submission.call_key, ""),
                    date=submission.submitted_at,
                )
                for submission in submissions
            ],
            comments=_decorate_comments(comments, titles),
            ideas=[
                Line(
                    title=idea.title,
                    call_title=titles.get(idea.call_key, ""),
                    date=idea.submitted_at or idea.created_at,
                    outcome=str(idea.get_status_display()),
                )
                for idea in ideas
            ],
            total_points=tidy_points(total),
        )
