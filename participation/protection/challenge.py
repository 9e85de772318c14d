"""The fallback challenge: a small sum written in words, answered in digits or words.

Shown only to a client that went over its address's soft limit or tripped a bot trap;
nobody else sees it. It is self-hosted (no third-party captcha, nothing loaded from
elsewhere), needs no JavaScript, reads aloud in a screen reader, is typed on any phone
keyboard in Persian, Arabic or Latin digits, and keeps the person's answers (the page
sends them again with the answer). A JavaScript proof-of-work (ALTCHA-style) was not
chosen: it would need a script and a fallback without one anyway, it drains phone
batteries, and a server-side bot pays its cost far more easily than a phone does.

The question travels signed with a keyed hash of its answer (never the answer itself),
a single-use nonce and the time it was asked; passing it sets a short-lived session flag
that lifts the address's soft limit for that browser (the per-account and per-browser
limits still apply).
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from pages.persian import to_latin_digits

from . import clock

TOKEN_FIELD = "challenge_token"  # noqa: S105 - a field name
ANSWER_FIELD = "challenge_answer"
CHALLENGE_FIELDS = (TOKEN_FIELD, ANSWER_FIELD)
TOKEN_SALT = "hadaf.protection.challenge"  # noqa: S105 - a salt, not a secret
# Long enough for a person who puts the phone down for a while.
TOKEN_SECONDS = 30 * 60
PASS_SESSION_KEY = "hadaf.protection.passed_until"  # noqa: S105 - a session key
PASS_SECONDS = 30 * 60
USED_KEY = "hadaf:protection:challenge-used:{}"

CORRECT = "correct"
WRONG = "wrong"
EXPIRED = "expired"

# The operands are shown as words of the page's language, so a script reading digits
# off the page finds none.
NUMBER_WORDS = {
    "fa": [
        "صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده",
        "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده",
        "نوزده", "بیست",
    ],
    "en": [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen", "twenty",
    ],
}  # fmt: skip
# Spoken forms people also type.
COLLOQUIAL_WORDS = {"شیش": 6, "پونزده": 15, "شونزده": 16, "هیفده": 17, "هیجده": 18, "هژده": 18}
ACCEPTED_WORDS = {
    **{word: number for words in NUMBER_WORDS.values() for number, word in enumerate(words)},
    **COLLOQUIAL_WORDS,
}
_LETTER_FOLDS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u200c": "", " ": ""})


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def number_words():
    language = (translation.get_language() or "fa").split("-")[0]
    return NUMBER_WORDS.get(language, NUMBER_WORDS["en"])


def _digest(nonce, answer):
    return salted_hmac(TOKEN_SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge():
    """A new question and its signed token."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(16)
    payload = {"n": nonce, "d": _digest(nonce, first + second), "t": clock.now()}
    words = number_words()
    question = gettext("How much is %(first)s plus %(second)s?") % {
        "first": words[first],
        "second": words[second],
    }
    return Challenge(question=question, token=signing.dumps(payload, salt=TOKEN_SALT))


def parse_answer(text):
    """The number in an answer: Persian, Arabic or Latin digits, or a number in words."""
    text = to_latin_digits((text or "").strip().lower()).translate(_LETTER_FOLDS)
    if text.isascii() and text.isdigit() and len(text) <= 3:
        return int(text)
    return ACCEPTED_WORDS.get(text)


def verify(data):
    """:data:`CORRECT`, :data:`WRONG` or :data:`EXPIRED` (also forged or used before).

    A token is spent by any attempt, right or wrong, so each question is answered once
    and a right answer lets one submission through.
    """
    try:
        payload = signing.loads(data.get(TOKEN_FIELD, ""), salt=TOKEN_SALT)
        nonce, digest, asked_at = payload["n"], payload["d"], float(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return EXPIRED
    if clock.now() - asked_at > TOKEN_SECONDS:
        return EXPIRED
    if not cache.add(USED_KEY.format(nonce), True, TOKEN_SECONDS):
        return EXPIRED
    answer = parse_answer(data.get(ANSWER_FIELD))
    if answer is None or not constant_time_compare(_digest(nonce, answer), digest):
        return WRONG
    return CORRECT


def grant_pass(request):
    """Let this browser past its address's soft limit for a while."""
    request.session[PASS_SESSION_KEY] = clock.now() + PASS_SECONDS


def has_pass(request):
    """Whether this browser passed the challenge recently."""
    session = getattr(request, "session", None)
    until = session.get(PASS_SESSION_KEY) if session is not None else None
    return bool(until) and clock.now() < until
