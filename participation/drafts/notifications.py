"""Emails to participants about their comments, sent through the task framework.

Tasks are queued only after the surrounding transaction commits, so a rolled-back
decision never sends mail, and a mail server that is down never undoes a decision.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from participation.calls import call_page_model
from participation.choices import CallKind
from participation.mail import send_or_retry, site_url

from . import outline
from .choices import CommentKind, ModerationState
from .models import ClauseComment, ClauseDecision, DraftRound


def queue_decision_notices(comment_ids):
    """Queue one notice per comment once the current transaction commits."""
    for comment_id in comment_ids:
        transaction.on_commit(
            lambda comment_id=comment_id: send_decision_notice.enqueue(comment_id)
        )


def decision_notice(comment):
    """(subject, body, recipient) of the notice about ``comment``'s decided clause, or None."""

    author = comment.author
    if author is None or not author.is_active or not author.email:
        return None
    if comment.moderation_state != ModerationState.PUBLISHED:
        return None
    decision = ClauseDecision.objects.filter(
        call_key=comment.call_key, round_number=comment.round_number, clause_id=comment.clause_id
    ).first()
    if decision is None:
        return None
    with translation.override(comment.language):
        page = (
            call_page_model(CallKind.DRAFT)
            .objects.live()
            .filter(translation_key=comment.call_key, locale__language_code=comment.language)
            .first()
        ) or call_page_model(CallKind.DRAFT).objects.filter(
            translation_key=comment.call_key
        ).first()
        if page is None:
            return None
        texts = _round_provisions(page, comment.round_number)
        provision = texts.get(comment.clause_id)
        context = {
            "author": author,
            "page": page,
            "page_url": site_url(page.url) if page.url else "",
            "clause_label": provision.label if provision else comment.clause_id,
            "comment": comment,
            "is_new_clause": comment.kind == CommentKind.NEW_CLAUSE,
            "decision": decision,
            "outcome": decision.get_outcome_display(),
            "site_name": str(settings.WAGTAIL_SITE_NAME),
        }
        subject = render_to_string("participation/drafts/email/decision_subject.txt", context)
        body = render_to_string("participation/drafts/email/decision_body.txt", context)
    return " ".join(subject.split()), body, author.email


def _round_provisions(page, round_number):
    review_round = DraftRound.objects.filter(call_key=page.call_key, number=round_number).first()
    if review_round is not None and review_round.is_closed:
        return outline.commentable(outline.build_outline(outline.raw_items(review_round.text)))
    return outline.commentable(outline.outline_of(page.draft_text))


@task()
def send_decision_notice(comment_id, attempt=1):
    """Email the author of comment ``comment_id`` the decision on its clause."""
    comment = ClauseComment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is None:
        return False
    notice = decision_notice(comment)
    if notice is None:
        return False
    return send_or_retry([notice], task=send_decision_notice, args=(comment_id,), attempt=attempt)
