"""Everything a person contributed, across calls, as one list for their dashboard.

A fixed number of queries whatever the number of contributions: each kind is read in
one query, and what the rows share (call pages, draft rounds, decisions) in one more
each. Anonymous-verified surveys appear only as "you took part": their answers carry
no link to the account, and nothing here tries to find them.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from participation.calls import call_page_model
from participation.choices import CallKind, SubmissionStatus
from participation.drafts import outline
from participation.drafts.choices import CommentKind, ModerationState
from participation.drafts.models import ClauseComment, ClauseDecision, DraftRound
from participation.drafts.services import decisions_are_public
from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.models import Idea
from participation.submissions.models import ParticipationReceipt, Submission

from .choices import ContributionKind


@dataclass
class Contribution:
    """One row of the dashboard's list."""

    kind: str
    at: datetime.datetime
    title: str
    call_title: str = ""
    call_url: str = ""
    url: str = ""
    status: str = ""
    # A modifier for the status badge: "positive", "negative", "waiting" or "".
    tone: str = ""
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def kind_label(self):
        return ContributionKind(self.kind).label


def _page_url(page, request):
    if page is None:
        return ""
    return page.get_url(request) or ""


def _pages_by_key(model, keys):
    """{call key: page} preferring the active language's version of each call."""
    if not keys:
        return {}
    language = get_language()
    pages = {}
    for page in model.objects.filter(translation_key__in=keys).select_related("locale"):
        current = pages.get(page.translation_key)
        if current is None or page.locale.language_code == language:
            pages[page.translation_key] = page
    return pages


def survey_contributions(person, request):
    from wagtail.models import Page

    rows = []
    for submission in Submission.objects.filter(participant=person).select_related("call"):
        withdrawn = submission.status == SubmissionStatus.WITHDRAWN
        rows.append(
            Contribution(
                kind=ContributionKind.SURVEY,
                at=submission.submitted_at,
                title=_("Your response"),
                call_title=submission.call.title if submission.call else "",
                call_url=_page_url(submission.call, request),
                url=_page_url(submission.call, request),
                status=submission.get_status_display(),
                tone="negative" if withdrawn else "positive",
            )
        )
    receipts = list(ParticipationReceipt.objects.filter(participant=person))
    pages = _pages_by_key(Page, {receipt.call_key for receipt in receipts})
    for receipt in receipts:
        page = pages.get(receipt.call_key)
        rows.append(
            Contribution(
                kind=ContributionKind.SURVEY,
                at=_start_of(receipt.created_at),
                title=_("You took part"),
                call_title=page.title if page else "",
                call_url=_page_url(page, request),
                status=_("Anonymous: your answers are not linked to your account"),
                tone="positive",
                extra={"anonymous": True},
            )
        )
    return rows


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def provisions_of(page, review_round):
    """{clause id: Provision} of the text a round was about."""
    if review_round is not None and review_round.is_closed:
        return outline.commentable(outline.build_outline(outline.raw_items(review_round.text)))
    if page is None:
        return {}
    return outline.commentable(outline.outline_of(page.draft_text))


def clause_label(provisions, clause_id):
    """«ماده ۴», or «بند الف ماده ۴» for a clause or note of an article."""
    provision = provisions.get(clause_id)
    if provision is None:
        return _("a clause no longer in the text")
    article = provisions.get(provision.article_id)
    if article is None or article is provision:
        return provision.label
    return _("%(provision)s of %(article)s") % {
        "provision": provision.label,
        "article": article.label,
    }


def decision_sentence(outcome, label):
    """«Your proposal on ماده ۴ was accepted», in the words that fit the outcome."""
    sentences = {
        "accepted": _("Your proposal on %(clause)s was accepted."),
        "partly": _("Your proposal on %(clause)s was partly accepted."),
        "rejected": _("Your proposal on %(clause)s was not accepted."),
        "out_of_scope": _("Your proposal on %(clause)s was found out of scope."),
    }
    return sentences.get(outcome, "%(clause)s") % {"clause": label}


DECISION_TONES = {"accepted": "positive", "partly": "positive", "rejected": "negative"}


def comment_contributions(person, request):
    comments = list(
        ClauseComment.objects.filter(author=person, parent__isnull=True).select_related("call")
    )
    if not comments:
        return []
    keys = {comment.call_key for comment in comments}
    pages = _pages_by_key(call_page_model(CallKind.DRAFT), keys)
    rounds = {
        (review_round.call_key, review_round.number): review_round
        for review_round in DraftRound.objects.filter(call_key__in=keys)
    }
    decisions = {
        (decision.call_key, decision.round_number, decision.clause_id): decision
        for decision in ClauseDecision.objects.filter(
            call_key__in=keys,
            round_number__in={comment.round_number for comment in comments},
            clause_id__in={comment.clause_id for comment in comments},
        )
    }
    texts = {}
    rows = []
    for comment in comments:
        page = pages.get(comment.call_key)
        review_round = rounds.get((comment.call_key, comment.round_number))
        text_key = (comment.call_key, comment.round_number)
        if text_key not in texts:
            texts[text_key] = provisions_of(page, review_round)
        label = clause_label(texts[text_key], comment.clause_id)
        decision = decisions.get((comment.call_key, comment.round_number, comment.clause_id))
        public = (
            decision is not None
            and page is not None
            and review_round is not None
            and decisions_are_public(page, review_round)
        )
        if comment.kind == CommentKind.NEW_CLAUSE:
            title = _("New clause proposed after %(clause)s") % {"clause": label}
        else:
            title = _("Comment on %(clause)s") % {"clause": label}
        row = Contribution(
            kind=ContributionKind.COMMENT,
            at=comment.created_at,
            title=title,
            call_title=page.title if page else (comment.call.title if comment.call else ""),
            call_url=_page_url(page, request),
            url=_page_url(page, request),
            extra={"round": comment.round_number, "clause": label},
        )
        if comment.moderation_state != ModerationState.PUBLISHED:
            row.status = comment.get_moderation_state_display()
            row.tone = (
                "waiting" if comment.moderation_state == ModerationState.PENDING else "negative"
            )
        elif public:
            row.status = decision.get_outcome_display()
            row.tone = DECISION_TONES.get(decision.outcome, "")
            row.detail = decision_sentence(decision.outcome, label)
            row.extra["reason"] = decision.reason
        else:
            row.status = _("Awaiting the decision")
            row.tone = "waiting"
        rows.append(row)
    return rows


IDEA_TONES = {
    "shortlisted": "positive",
    "winner": "positive",
    "mention": "positive",
    "ineligible": "negative",
    "not_selected": "negative",
    "draft": "waiting",
    "submitted": "waiting",
    "in_review": "waiting",
}


def idea_contributions(person, request):
    ideas = (
        Idea.objects.filter(authors__person=person, authors__status=CoAuthorStatus.ACCEPTED)
        .select_related("call")
        .distinct()
    )
    rows = []
    for idea in ideas:
        url_name = "ideas:edit" if idea.status == IdeaStatus.DRAFT else "ideas:detail"
        rows.append(
            Contribution(
                kind=ContributionKind.IDEA,
                at=idea.submitted_at or idea.created_at,
                title=idea.title,
                call_title=idea.call.title if idea.call else "",
                call_url=_page_url(idea.call, request),
                url=reverse(url_name, args=[idea.uuid]),
                status=idea.get_status_display(),
                tone=IDEA_TONES.get(idea.status, ""),
                detail=idea.status_reason,
            )
        )
    return rows


READERS = {
    ContributionKind.SURVEY: survey_contributions,
    ContributionKind.COMMENT: comment_contributions,
    ContributionKind.IDEA: idea_contributions,
}


def contributions_of(person, request=None):
    """{kind: [Contribution]} of ``person``, each list newest first."""
    return {
        kind: sorted(reader(person, request), key=lambda row: row.at, reverse=True)
        for kind, reader in READERS.items()
    }


def merged(by_kind, kind=None):
    """One list, newest first: every kind, or only ``kind``."""
    rows = [row for key, items in by_kind.items() if kind in (None, key) for row in items]
    return sorted(rows, key=lambda row: row.at, reverse=True)
