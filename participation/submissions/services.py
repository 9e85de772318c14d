"""Storing, editing and withdrawing responses, safely under concurrency.

One submission per person per call is enforced by unique constraints, not by a
check-then-insert: a double click, a refresh or two tabs race to the same
constraint and all but one get :class:`AlreadySubmitted`.
"""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from participation.choices import AnonymityMode, SubmissionStatus
from participation.eligibility import has_answered_before
from participation.results import tally

from . import ballot_box, mixing
from .models import (
    Answer,
    ParticipationReceipt,
    Submission,
    random_id,
)
from .tasks import mix_anonymous


class AlreadySubmitted(Exception):
    """The person already responded to this call; ``submission`` is theirs when known."""

    def __init__(self, submission=None):
        super().__init__("already submitted")
        self.submission = submission


class CallNotOpen(Exception):
    """The call is not accepting responses (or edits) now."""


# Longer than any secret :func:`submit_response` gives; a longer paste is not looked up.
EDIT_TOKEN_MAX_LENGTH = 100


def hash_edit_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def question_types_of(questionnaire):
    return {question.id: question.type for question in questionnaire.questions}


def existing_submission(call, user):
    """The person's own submission to ``call`` in a named or pseudonymous call, if any."""
    if not user.is_authenticated:
        return None
    return Submission.objects.filter(call_key=call.call_key, participant=user).first()


def has_participated(call, user):
    """Whether ``user`` already responded to ``call``, whatever its anonymity mode."""
    if not user.is_authenticated:
        return False
    if call.anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        return ParticipationReceipt.objects.filter(
            call_key=call.call_key, participant=user
        ).exists()
    return existing_submission(call, user) is not None


def _clean_token(token):
    token = (token or "").strip()
    return token if token and len(token) <= EDIT_TOKEN_MAX_LENGTH else ""


def find_by_edit_token(call, token):
    """The stored anonymous submission whose edit secret is ``token``, or ``None``.

    A response still sealed in the ballot box has none yet: see :func:`anonymous_answers`.
    """
    token = _clean_token(token)
    if not token:
        return None
    return Submission.objects.filter(
        call_key=call.call_key, edit_token_hash=hash_edit_token(token), participant=None
    ).first()


def anonymous_answers(call, token):
    """The answers of the anonymous response whose edit secret is ``token``, or ``None``.

    The latest sealed ballot of that response if one waits (an answer or an edit not yet
    opened), else the stored submission's answers.
    """
    token = _clean_token(token)
    if not token:
        return None
    content = ballot_box.waiting_content(call.call_key, token)
    if content is not None:
        return ballot_box.answers_of(content)
    submission = find_by_edit_token(call, token)
    return None if submission is None else list(submission.answers.all())


def _snapshot(user):
    """The account's role and university, kept with a named or pseudonymous response."""
    university = getattr(user, "university", None)
    return {
        "respondent_role": getattr(user, "role", "") or "",
        "respondent_university": university.name if university else "",
    }


def submit_response(call, user, answers, questionnaire, *, language, started_at=None):
    """Store a new response with its answers and tallies, all or nothing.

    Args:
        call: the call page (a ``CallPageMixin`` page) in the language answered.
        user: the signed-in participant (eligibility is checked by the caller).
        answers: unsaved :class:`Answer` rows without ``submission``.
        questionnaire: the call's questionnaire (for tallying).
        language: the language code the response was given in.
        started_at: when the participant opened the form, for speed checks.

    Returns:
        (Submission | None, str | None): the submission, and in anonymous-verified calls the
        edit secret to give the participant (only its hash is stored). In those calls the
        submission is ``None``: the answers wait sealed in the ballot box until their batch
        opens (``ballot_box``), and nothing else is stored now.

    Raises:
        AlreadySubmitted: the person already responded (also from a racing request).
    """
    if has_answered_before(user, call.call_key):
        # Answered from an account since erased, with the same email address.
        raise AlreadySubmitted(None)
    anonymous = call.anonymity == AnonymityMode.ANONYMOUS_VERIFIED
    now = timezone.now()
    token = secrets.token_urlsafe(24) if anonymous else None
    # One transaction (a savepoint when the caller has one): a duplicate rolls it all back.
    try:
        with transaction.atomic():
            if anonymous:
                # First, so that a second response by the same person stops here.
                receipt = ParticipationReceipt.objects.create(
                    pk=random_id(), call_key=call.call_key, participant=user
                )
                mixing.churn_receipts(receipt)
                _seal_anonymous(call, token, answers, questionnaire, language, started_at, now)
                submission = None
            else:
                submission = Submission.objects.create(
                    call=call,
                    call_key=call.call_key,
                    participant=user,
                    language=language,
                    started_at=started_at,
                    duration_seconds=_duration(started_at, now),
                    **_snapshot(user),
                )
                _store_answers(submission, answers)
                tally.record(submission, answers, question_types_of(questionnaire))
    except IntegrityError:
        if not has_participated(call, user):
            raise  # Not the one-response constraint: a real error.
        raise AlreadySubmitted(None if anonymous else existing_submission(call, user)) from None
    if anonymous:
        _mix_when_due(call.call_key)
    return submission, token


def _seal_anonymous(call, token, answers, questionnaire, language, started_at, now):
    """Put an anonymous-verified response into the ballot box: its answers, sealed, and
    nothing from the account (only the receipt names it).

    No time taken is kept: the moment a person opened the form and the moment they sent it
    can be read elsewhere (a sign-in, a rate-limit counter), and their difference would pick
    the response out. The day is given when the batch opens (docs/privacy.md).
    """
    content = ballot_box.ballot_content(
        call_id=call.pk,
        language=language,
        duration=None,
        answers=answers,
        question_types=question_types_of(questionnaire),
        edit_token_hash=hash_edit_token(token),
    )
    ballot_box.put(call.call_key, token, content)


def _store_answers(submission, answers):
    """Insert ``answers`` for ``submission``; an anonymous one's rows get random ids."""
    for answer in answers:
        answer.submission = submission
        if submission.is_anonymous:
            answer.pk = random_id()
    Answer.objects.bulk_create(answers)


def _mix_when_due(call_key):
    """Queue the mixing step after commit once a batch of anonymous responses waits."""

    def queue():
        if mixing.waiting(call_key) >= mixing.batch_size():
            mix_anonymous.enqueue(str(call_key))

    transaction.on_commit(queue, robust=True)


def update_anonymous_response(call, token, answers, questionnaire):
    """Change the anonymous response whose edit secret is ``token``, while the call is open.

    The new answers are sealed into the ballot box (replacing a ballot of the same response
    that still waits); the stored submission, if any, is replaced when the batch opens, so
    nothing stored changes while its writer is online.

    Raises:
        CallNotOpen: the call has closed; answers stay as they were.
        LookupError: no response of this call has that secret.
    """
    if not call.is_open:
        raise CallNotOpen()
    token = _clean_token(token)
    waiting = ballot_box.waiting_content(call.call_key, token) if token else None
    stored = None if waiting is not None else find_by_edit_token(call, token)
    if waiting is None and stored is None:
        raise LookupError("no anonymous response with this secret")
    content = ballot_box.ballot_content(
        call_id=waiting["call_id"] if waiting else stored.call_id,
        language=waiting["language"] if waiting else stored.language,
        duration=waiting["duration"] if waiting else stored.duration_seconds,
        answers=answers,
        question_types=question_types_of(questionnaire),
        edit_token_hash=hash_edit_token(token),
    )
    with transaction.atomic():
        ballot_box.put(call.call_key, token, content)
        # As with a new response, the transaction that wrote the ballot also rewrote a batch
        # of receipts: its row version points at a crowd, and does not say "an edit".
        mixing.churn_receipts(None, call_key=call.call_key)
    _mix_when_due(call.call_key)


def update_response(call, submission, answers, questionnaire):
    """Replace a named or pseudonymous submission's answers while the call is open; tallies
    move with them (anonymous responses: :func:`update_anonymous_response`).

    Raises:
        CallNotOpen: the call has closed; answers stay as they were.
    """
    if submission.is_anonymous:
        raise ValueError("anonymous responses change through the ballot box")
    if not call.is_open:
        raise CallNotOpen()
    question_types = question_types_of(questionnaire)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        old_answers = list(locked.answers.all())
        # An edit that leaves the tallies as they were (re-saving the same answers) does not
        # touch them: nothing public may move with it (docs/privacy.md, batches).
        moves = tally.tally_keys(old_answers, question_types) != tally.tally_keys(
            answers, question_types
        )
        if locked.counts_in_results and moves:
            tally.retract(locked, old_answers, question_types)
        locked.answers.all().delete()
        _store_answers(locked, answers)
        if locked.counts_in_results and moves:
            tally.record(locked, answers, question_types)
        locked.save(update_fields=["updated_at"])
    return locked


def set_counted(submission, questionnaire, *, counted):
    """Exclude a submission from results or count it again (an editor's decision)."""
    question_types = question_types_of(questionnaire)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if (
            locked.excluded_from_results == (not counted)
            or locked.status != SubmissionStatus.SUBMITTED
        ):
            return locked
        answers = list(locked.answers.all())
        if counted:
            locked.excluded_from_results = False
            tally.record(locked, answers, question_types)
        else:
            tally.retract(locked, answers, question_types)
            locked.excluded_from_results = True
        locked.save(update_fields=["excluded_from_results", "updated_at"])
    return locked


def _duration(started_at, now):
    if started_at is None or started_at > now:
        return None
    return int((now - started_at).total_seconds())
