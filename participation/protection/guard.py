"""The one call a view makes before handling a protected POST.

``guard(request, "survey")`` returns ``None`` to go on, or the response to send instead:

1. a challenge answer in the POST is checked first: wrong or expired, the challenge is
   asked again; right, the browser passes the soft limit and the bot traps, once;
2. the POST is counted against the scope's limits (``limits.py``): over a hard one, 429
   with Retry-After; over the address's soft one, the challenge (also 429);
3. the honeypot and the fill time are checked (``traps.py``): a trap sprung is logged
   to ``hadaf.security`` and answered with the challenge.

Nothing is stored in any of these cases, and the person's answers are kept: the
challenge page and the 429 page carry them in hidden fields and send them again.
"""

import logging

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from participation.people.throttling import client_ip, too_many_requests, wants_json

from . import challenge, limits, ratelimits, traps

security_log = logging.getLogger("hadaf.security")

CHALLENGE_TEMPLATE = "protection/challenge.html"
# Fields never written back into a page: the CSRF token (the page has its own), the
# challenge's and the honeypot's, and passwords.
_NOT_REPLAYED = {"csrfmiddlewaretoken", traps.HONEYPOT_FIELD, *challenge.CHALLENGE_FIELDS}

REASONS = {
    "limit": _(
        "Many forms were sent from your network in a short time. To go on, answer the "
        "question below."
    ),
    "trap": _("To send this form, please answer the question below."),
    challenge.WRONG: _("That answer was not right. Please try this new question."),
    challenge.EXPIRED: _("That question has expired. Please answer this new one."),
    challenge.WORDS: _("Here is the question in words; a screen reader reads it aloud."),
}


def guard(request, scope_name, *, fill_time=True, rendered_at=traps.RENDERED_FIELD):
    """``None`` to handle the POST, or the response (429 or the challenge) instead.

    Args:
        request: the POST.
        scope_name: its entry in ``limits.SCOPES``.
        fill_time: ``False`` to skip the minimum fill time (a survey's steps before
            the last: the time counts from the first step).
        rendered_at: when the form was first drawn, for a form that keeps that time
            itself (see ``traps.inspect``).
    """
    if request.method != "POST" or not limits.enabled():
        return None
    scope = limits.scope(scope_name)
    passed_now = False
    if scope.form_page and challenge.TOKEN_FIELD in request.POST:
        mode = challenge.mode_of(request.POST)
        if request.POST.get(challenge.MODE_FIELD) == challenge.WORDS:
            # The person can't see the picture. The switch spends the question and counts
            # as a failed try, so it is no free supply of the easier kind of question.
            challenge.verify(request.POST)
            outcome = mode = challenge.WORDS
        else:
            outcome = challenge.verify(request.POST)
        if outcome != challenge.CORRECT:
            security_log.info("Challenge answered %s on %s.", outcome, request.path)
            failures = ratelimits.count(request, limits.scope("challenge"))
            if failures.hard:
                return refuse(request, failures.hard_wait)
            return ask_challenge(request, outcome, status=400, mode=mode)
        challenge.grant_pass(request)
        passed_now = True
    counted = ratelimits.count(request, scope)
    if counted.hard:
        _log(request, scope, "rate limit")
        return refuse(request, counted.hard_wait, replay=scope.form_page)
    if counted.soft and not challenge.has_pass(request):
        _log(request, scope, "soft rate limit")
        if not scope.form_page or wants_json(request):
            return refuse(request, counted.soft_wait)
        return ask_challenge(request, "limit", status=429, retry_after=counted.soft_wait)
    if passed_now or not (scope.honeypot or scope.fill_time):
        return None
    trap = traps.inspect(
        request.POST,
        honeypot=scope.honeypot,
        fill_time=scope.fill_time and fill_time,
        rendered_at=rendered_at,
    )
    if trap is not None:
        _log(request, scope, f"bot trap ({trap})")
        return ask_challenge(request, "trap", status=400)
    return None


def replay_fields(request):
    """The posted fields to send again, as (name, value) pairs; files can't be kept."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPLAYED and "password" not in name
        for value in values
    ]


def refuse(request, retry_after, *, replay=False):
    """429 with Retry-After; a form page keeps the posted answers to send again."""
    return too_many_requests(
        request, retry_after=retry_after, replay=replay_fields(request) if replay else None
    )


def ask_challenge(request, reason, *, status, retry_after=None, mode=challenge.PICTURE):
    """The challenge page, carrying the posted answers: a picture, or ``mode`` words."""
    question = challenge.new_challenge(mode)
    context = {
        "reason": REASONS[reason],
        "is_error": reason in (challenge.WRONG, challenge.EXPIRED),
        "question": question.question,
        "image": question.image,
        "token": question.token,
        "token_field": challenge.TOKEN_FIELD,
        "answer_field": challenge.ANSWER_FIELD,
        "mode_field": challenge.MODE_FIELD,
        "words": challenge.WORDS,
        "replay": replay_fields(request),
        "action": request.get_full_path(),
        "dropped_passwords": any("password" in name for name in request.POST),
    }
    response = TemplateResponse(request, CHALLENGE_TEMPLATE, context, status=status)
    response["Cache-Control"] = "private, no-store"
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response.render()


def _log(request, scope, what):
    security_log.warning(
        "Refused a POST to %s (%s, scope %s) from %s, account %s.",
        request.path,
        what,
        scope.name,
        client_ip(request),
        request.user.pk if request.user.is_authenticated else "-",
    )
