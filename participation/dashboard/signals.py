"""What the dashboard hears from the other apps: workflow steps, decisions, contributions.

Every receiver defers its work until the transaction that saved the row commits
(``robust``: a failure is logged and never undoes the participant's or editor's step),
and everything it does is idempotent, so a signal sent twice changes nothing more.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from participation.calls import call_page_model
from participation.choices import CallKind
from participation.drafts.models import ClauseComment, ClauseDecision, DraftRound
from participation.ideas.models import IdeaEvent
from participation.notices import in_languages
from participation.submissions.mixing import batch_released
from participation.submissions.models import ParticipationReceipt, Submission

from . import awarding
from .choices import NotificationKind
from .contributions import clause_label, decision_sentence, provisions_of
from .notifications import notify


def _later(function, *args):
    transaction.on_commit(lambda: function(*args), robust=True)


# Ideas -----------------------------------------------------------------------------


def notify_idea_step(event):
    """An in-app notice to each accepted author of the idea that ``event`` moved.

    No email: the ideas app already emails the authors about every step.
    """
    from django.urls import reverse

    idea = event.idea
    with translation.override(idea.language):
        title = _("Your submission “%(title)s” is now: %(status)s") % {
            "title": idea.title,
            "status": event.get_to_status_display(),
        }
        url = reverse("ideas:detail", args=[idea.uuid])
    for person in awarding.idea_authors(idea):
        notify(
            person,
            kind=NotificationKind.IDEA_STATUS,
            title=title,
            body=event.reason,
            url=url,
            email=False,
            key=f"idea-event:{event.pk}",
            message="idea_status",
            params={"title": idea.title, "status": event.to_status},
        )


def idea_step_taken(event_id):
    event = IdeaEvent.objects.select_related("idea").filter(pk=event_id).first()
    if event is None:
        return
    notify_idea_step(event)
    # Only the step the idea still stands at earns (a step undone before commit does not).
    if event.idea.status == event.to_status:
        awarding.for_idea_status(event.idea, event.to_status)


def on_idea_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _later(idea_step_taken, instance.pk)


# Drafts ----------------------------------------------------------------------------


def notify_decision(comment, decision, page):
    """An in-app notice to the author of ``comment`` about the (public) ``decision``.

    No email: the drafts app emails the authors when decisions are announced.
    """
    review_round = DraftRound.objects.filter(
        call_key=comment.call_key, number=comment.round_number
    ).first()
    # The clause's label in every language, so the notice reads right in either (the
    # outline is read again per language: a provision's label is fixed when first read).
    labels = in_languages(
        lambda: clause_label(provisions_of(page, review_round), comment.clause_id)
    )
    with translation.override(comment.language):
        label = labels.get(comment.language) or clause_label(
            provisions_of(page, review_round), comment.clause_id
        )
        return notify(
            comment.author,
            kind=NotificationKind.DECISION,
            title=decision_sentence(decision.outcome, label),
            body=decision.reason,
            url=page.url or "",
            email=False,
            key=f"decision:{comment.uuid}:{decision.outcome}",
            message="decision",
            params={"outcome": decision.outcome, "clause": labels},
        )


def decisions_published(call_key, decision_id=None):
    """Notify and award for the public decisions of a draft (or only ``decision_id``)."""

    page = awarding.draft_page(call_key, call_page_model(CallKind.DRAFT))
    if page is None:
        return
    for decision in awarding.public_decisions(call_key):
        if decision_id is not None and decision.pk != decision_id:
            continue
        for comment in awarding.decided_comments(decision):
            notify_decision(comment, decision, page)
        awarding.for_decision(decision)


def on_decision(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(decisions_published, instance.call_key, instance.pk)


def on_round(sender, instance, raw=False, **kwargs):
    if not raw and instance.closed_at is not None:
        _later(decisions_published, instance.call_key)


def on_draft_published(sender, instance, **kwargs):
    _later(decisions_published, instance.translation_key)


def comment_saved(comment_id):
    comment = ClauseComment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is not None:
        awarding.for_comment(comment)


def on_comment(sender, instance, raw=False, **kwargs):
    if not raw and instance.parent_id is None and instance.author_id is not None:
        _later(comment_saved, instance.pk)


# Surveys ---------------------------------------------------------------------------


def survey_answered(call_key, person_id):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(pk=person_id).first()
    if person is not None:
        awarding.for_survey_response(call_key, person)


def on_submission(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.participant_id is not None:
        _later(survey_answered, instance.call_key, instance.participant_id)


def on_batch_released(sender, call_key, **kwargs):
    """Anonymous-verified responses were mixed: award their people now, in no telling order.

    A receipt is never awarded when it is written (``on_receipt`` is gone on purpose): an
    award, its notice and its audit row made then would date and order the response.
    """
    awarding.for_anonymous_batch(call_key)


def connect():
    uid = "hadaf_dashboard_"
    post_save.connect(on_idea_event, sender=IdeaEvent, dispatch_uid=uid + "idea_event")
    post_save.connect(on_decision, sender=ClauseDecision, dispatch_uid=uid + "decision")
    post_save.connect(on_round, sender=DraftRound, dispatch_uid=uid + "round")
    post_save.connect(on_comment, sender=ClauseComment, dispatch_uid=uid + "comment")
    post_save.connect(on_submission, sender=Submission, dispatch_uid=uid + "submission")
    batch_released.connect(
        on_batch_released, sender=ParticipationReceipt, dispatch_uid=uid + "anonymous_batch"
    )
    page_published.connect(
        on_draft_published,
        sender=call_page_model(CallKind.DRAFT),
        dispatch_uid=uid + "draft_published",
    )
