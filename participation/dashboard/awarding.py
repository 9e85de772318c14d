"""Automatic awards: each call's incentive rules applied to the contributions that earn them.

Every award names the contribution that earned it in ``source`` (``"idea:<uuid>:winner"``,
``"comment:<uuid>:accepted"``, ``"survey:<call key>:response"``…), and the ledger never
records the same kind twice for the same recipient and source: the live signals and
``manage.py award_incentives`` can both run over the same contributions any number of
times and each award is made once. A refused award (promotion points for someone who is
not faculty, a certificate for someone without a name) is skipped and logged; it never
undoes the contribution.
"""

import logging
import random

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from participation.calls import call_page_model
from participation.choices import CallKind
from participation.drafts.choices import ModerationState
from participation.drafts.models import ClauseComment, ClauseDecision, DraftRound
from participation.drafts.services import decisions_are_public
from participation.ideas.choices import ACCEPTED_STATUSES, CoAuthorStatus, IdeaStatus
from participation.ideas.models import Idea
from participation.incentives import services as incentives
from participation.incentives.models import Award
from participation.submissions.models import ParticipationReceipt, Submission

from .choices import NotificationKind, Trigger
from .models import IncentiveRule
from .notifications import notify

logger = logging.getLogger(__name__)

IDEA_TRIGGERS = {
    "submitted": Trigger.IDEA_SUBMITTED,
    "shortlisted": Trigger.IDEA_SHORTLISTED,
    "winner": Trigger.IDEA_WINNER,
    "mention": Trigger.IDEA_MENTION,
}
DECISION_TRIGGERS = {
    "accepted": Trigger.COMMENT_ACCEPTED,
    "partly": Trigger.COMMENT_PARTLY_ACCEPTED,
}


def rules_for(call_key, trigger):
    return list(
        IncentiveRule.objects.filter(call_key=call_key, trigger=trigger, is_active=True)
        .select_related("call")
        .order_by("pk")
    )


def _call_page(rule):
    from wagtail.models import Page

    if rule.call is not None:
        return rule.call
    return Page.objects.filter(translation_key=rule.call_key).first()


def call_titles(call_page):
    """``{language: title}`` of ``call_page`` in each language it is translated into."""
    if call_page is None:
        return {}
    titles = {settings.LANGUAGE_CODE: call_page.title}
    for translation_page in call_page.get_translations(inclusive=True).select_related("locale"):
        titles[translation_page.locale.language_code] = translation_page.title
    return titles


def _reason(rule, call_page):
    if rule.description:
        return rule.description
    title = incentives.call_snapshot(call_page)[1] if call_page is not None else ""
    if not title:
        return str(rule.get_trigger_display())
    return _("%(contribution)s: “%(call)s”") % {
        "contribution": rule.get_trigger_display(),
        "call": title,
    }


def apply_rule(rule, person, source):
    """Give ``person`` what ``rule`` offers for the contribution ``source``, once.

    Returns:
        Award | None: the award (new or already recorded), None if refused.
    """
    if person is None or not person.is_active:
        return None
    call_page = _call_page(rule)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _reason(rule, call_page)[: incentives.MAX_REASON_LENGTH]
        try:
            award, created = incentives.record_award(
                person,
                rule.kind,
                call_page=call_page,
                reason=reason,
                source=source,
                amount=rule.amount,
                points=rule.points,
            )
        except incentives.IncentiveError as error:
            logger.info("Rule %s not applied to %s for %s: %s", rule.pk, person.pk, source, error)
            return None
        certificate = None
        if rule.with_certificate:
            try:
                certificate = incentives.issue_certificate(award)
            except incentives.IncentiveError as error:
                logger.info("No certificate for award %s: %s", award.pk, error)
        if created:
            notify(
                person,
                kind=NotificationKind.AWARD,
                title=_("You received an award: %(kind)s") % {"kind": award.get_kind_display()},
                body=reason,
                url=reverse("dashboard:index") + "#awards",
                key=f"award:{award.pk}",
                email=True,
                message="award",
                # An editor's own description stays as written; the composed one is
                # rendered in the reader's language.
                body_message="" if rule.description else "award_reason",
                params={
                    "kind": award.kind,
                    "trigger": rule.trigger,
                    "call": call_titles(call_page),
                },
            )
            if certificate is not None:
                logger.debug("Certificate %s issued for award %s", certificate.code, award.pk)
    return award


def apply_rules(call_key, trigger, people, source):
    """Apply every active rule of ``call_key`` for ``trigger`` to each of ``people``.

    Returns:
        int: how many awards exist now for these contributions (new or not).
    """
    given = 0
    rules = rules_for(call_key, trigger)
    for rule in rules:
        for person in people:
            if apply_rule(rule, person, source) is not None:
                given += 1
    return given


# The contributions that earn ---------------------------------------------------------


def idea_authors(idea):
    """The people who accepted authorship of ``idea``."""
    return [
        author.person
        for author in idea.authors.filter(
            status=CoAuthorStatus.ACCEPTED, person__isnull=False
        ).select_related("person")
    ]


def for_idea_status(idea, status):
    """Awards for ``idea`` reaching ``status`` (submitted, shortlisted, winner, mention)."""
    trigger = IDEA_TRIGGERS.get(status)
    if trigger is None or not rules_for(idea.call_key, trigger):
        return 0
    return apply_rules(idea.call_key, trigger, idea_authors(idea), f"idea:{idea.uuid}:{status}")


def for_survey_response(call_key, person):
    """Awards for answering a survey (named or anonymous-verified: only that they took part)."""
    return apply_rules(call_key, Trigger.SURVEY_RESPONSE, [person], f"survey:{call_key}:response")


def for_anonymous_batch(call_key):
    """Awards for the anonymous-verified receipts of ``call_key`` not awarded yet.

    Called when a batch of responses has been mixed (``participation.submissions.mixing``):
    the awards, their notices, audit rows and certificates are made together, in a random
    order, so neither their ids nor their times follow the order people answered in.

    Returns:
        int: how many awards exist now for these receipts (new or not).
    """
    if not rules_for(call_key, Trigger.SURVEY_RESPONSE):
        return 0
    source = f"survey:{call_key}:response"
    awarded = Award.objects.filter(source=source, recipient_user__isnull=False).values(
        "recipient_user_id"
    )
    people = [
        receipt.participant
        for receipt in ParticipationReceipt.objects.filter(call_key=call_key)
        .exclude(participant_id__in=awarded)
        .select_related("participant")
    ]
    random.SystemRandom().shuffle(people)
    return apply_rules(call_key, Trigger.SURVEY_RESPONSE, people, source)


def for_comment(comment):
    """Awards for taking part in a draft's discussion: once per person per call."""
    if comment.parent_id is not None or comment.author_id is None:
        return 0
    if comment.moderation_state != ModerationState.PUBLISHED:
        return 0
    return apply_rules(
        comment.call_key,
        Trigger.COMMENT_POSTED,
        [comment.author],
        f"draft:{comment.call_key}:comment",
    )


def decided_comments(decision):
    """The published top-level comments a decision answers."""
    return ClauseComment.objects.filter(
        call_key=decision.call_key,
        round_number=decision.round_number,
        clause_id=decision.clause_id,
        parent__isnull=True,
        moderation_state=ModerationState.PUBLISHED,
        author__isnull=False,
    ).select_related("author")


def for_decision(decision):
    """Awards for the comments an accepted or partly accepted decision answers.

    The caller makes sure the decision is public.
    """
    trigger = DECISION_TRIGGERS.get(decision.outcome)
    if trigger is None or not rules_for(decision.call_key, trigger):
        return 0
    given = 0
    for comment in decided_comments(decision):
        given += apply_rules(
            decision.call_key,
            trigger,
            [comment.author],
            f"comment:{comment.uuid}:{decision.outcome}",
        )
    return given


# Replaying everything ----------------------------------------------------------------


def public_decisions(call_key):
    """The decisions of a draft that are public now (their round closed or the outcome out)."""
    page = draft_page(call_key, call_page_model(CallKind.DRAFT))
    if page is None:
        return []
    rounds = [
        review_round.number
        for review_round in DraftRound.objects.filter(call_key=call_key)
        if decisions_are_public(page, review_round)
    ]
    return list(ClauseDecision.objects.filter(call_key=call_key, round_number__in=rounds))


def draft_page(call_key, model):
    """The call page of ``call_key`` in the site's language, else any language version."""
    pages = model.objects.filter(translation_key=call_key)
    return pages.filter(locale__language_code=settings.LANGUAGE_CODE).first() or pages.first()


def replay(call_key=None):
    """Apply every active rule to every contribution that earns it; safe to run again.

    Returns:
        int: how many awards the contributions hold under the rules (new or not).
    """
    rules = IncentiveRule.objects.filter(is_active=True)
    if call_key is not None:
        rules = rules.filter(call_key=call_key)
    pairs = set(rules.values_list("call_key", "trigger"))
    given = 0
    for key, trigger in sorted(pairs, key=str):
        if trigger == Trigger.SURVEY_RESPONSE:
            people = {
                submission.participant
                for submission in Submission.objects.filter(
                    call_key=key, participant__isnull=False, status="submitted"
                ).select_related("participant")
            } | {
                receipt.participant
                for receipt in ParticipationReceipt.objects.filter(call_key=key).select_related(
                    "participant"
                )
            }
            people = list(people)
            random.SystemRandom().shuffle(people)  # never in the order people answered
            for person in people:
                given += for_survey_response(key, person)
        elif trigger == Trigger.COMMENT_POSTED:
            comments = ClauseComment.objects.filter(
                call_key=key,
                parent__isnull=True,
                author__isnull=False,
                moderation_state=ModerationState.PUBLISHED,
            ).select_related("author")
            seen = set()
            for comment in comments:
                if comment.author_id not in seen:
                    seen.add(comment.author_id)
                    given += for_comment(comment)
        elif trigger in DECISION_TRIGGERS.values():
            for decision in public_decisions(key):
                if DECISION_TRIGGERS.get(decision.outcome) == trigger:
                    given += for_decision(decision)
        else:
            status = {value: name for name, value in IDEA_TRIGGERS.items()}[trigger]
            ideas = Idea.objects.filter(call_key=key)
            if status == "submitted":
                ideas = ideas.filter(submitted_at__isnull=False).exclude(status=IdeaStatus.DRAFT)
            elif status == "shortlisted":
                ideas = ideas.filter(status__in=ACCEPTED_STATUSES)
            else:
                ideas = ideas.filter(status=status)
            for idea in ideas:
                given += for_idea_status(idea, status)
    return given
