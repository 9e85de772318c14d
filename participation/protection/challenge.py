"""The fallback challenge: a small sum drawn as a picture, or asked in words on request.

Shown only to a client that went over its address's soft limit or tripped a bot trap;
nobody else sees it. It is self-hosted (no third-party captcha, nothing loaded from
elsewhere), needs no JavaScript, is typed on any phone keyboard in Persian, Arabic or
Latin digits, and keeps the person's answers (the page sends them again with the answer).
A JavaScript proof-of-work (ALTCHA-style) was not chosen: it would need a script and a
fallback without one anyway, it drains phone batteries, and a server-side bot pays its
cost far more easily than a phone does.

Not trivially machine-readable, and still answerable by everyone:

* By default the sum is a **picture** (PNG, drawn here with Pillow): each glyph turned and
  shifted, Persian and Latin digits mixed, lines and dots over it. Nothing of the sum is in
  the page's text or in the image's ``alt``; a script needs OCR trained on this noise.
* A person who cannot see it (a screen reader, a slow connection without images) presses
  "ask me in words": the next question is a short **sentence** in the page's language, one
  of several phrasings (adding or taking away, apples or books), with the numbers as words
  in varied spellings. That reads aloud and needs no sight, but it is the weaker of the
  two: a bot written for this site could parse it. The trade-off is deliberate: a
  challenge some people cannot answer would lock them out of taking part, and this one
  only stands after the limits and the bot traps; the hard per-address limits stop a
  script that answers it over and over, and every switch to words counts as a failed try.

The question travels signed with a keyed hash of its answer (never the answer itself),
a single-use nonce, its kind and the time it was asked; passing it sets a short-lived
session flag that lifts the address's soft limit for that browser (the per-account and
per-browser limits still apply).
"""

import base64
import io
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.core import signing
from django.core.cache import cache
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_noop
from PIL import Image, ImageDraw, ImageFont

from participation.persian import localize_digits, to_latin_digits

from . import clock

TOKEN_FIELD = "challenge_token"  # noqa: S105 - a field name
ANSWER_FIELD = "challenge_answer"
MODE_FIELD = "challenge_mode"
CHALLENGE_FIELDS = (TOKEN_FIELD, ANSWER_FIELD, MODE_FIELD)
PICTURE = "picture"
WORDS = "words"
TOKEN_SALT = "hadaf.protection.challenge"  # noqa: S105 - a salt, not a secret
# Long enough for a person who puts the phone down for a while.
TOKEN_SECONDS = 30 * 60
PASS_SESSION_KEY = "hadaf.protection.passed_until"  # noqa: S105 - a session key
PASS_SECONDS = 30 * 60
USED_KEY = "hadaf:protection:challenge-used:{}"

CORRECT = "correct"
WRONG = "wrong"
EXPIRED = "expired"

# The numbers of a question in words: words of the page's language, never digits.
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


# Other spellings a question may use, as people write them.
SPELLINGS = {"fa": {6: ["شیش"], 15: ["پونزده"], 16: ["شونزده"], 17: ["هیفده"], 18: ["هیجده"]}}
_SUMS = (
    gettext_noop("If you add %(first)s and %(second)s, what do you get?"),
    gettext_noop("What is the sum of %(first)s and %(second)s?"),
    gettext_noop("There were %(first)s books on the shelf and %(second)s more were put there. "
       "How many books are on the shelf now?"),
    gettext_noop("Take %(first)s and add %(second)s to it: what is the result?"),
)  # fmt: skip
_DIFFERENCES = (
    gettext_noop(
        "There were %(first)s apples and %(second)s of them were eaten. How many are left?"
    ),
    gettext_noop("What is %(second)s less than %(first)s?"),
    gettext_noop("Take %(second)s away from %(first)s: what is left?"),
)
_PICTURE_SIZE = (240, 80)
_FONT = "vendor/vazirmatn/Vazirmatn-Bold.ttf"


@dataclass(frozen=True)
class Challenge:
    token: str
    mode: str
    question: str = ""  # the sentence (words)
    image: str = ""  # a data: URL of the picture


def number_words():
    language = (translation.get_language() or "fa").split("-")[0]
    return NUMBER_WORDS.get(language, NUMBER_WORDS["en"])


def _in_words(number):
    language = (translation.get_language() or "fa").split("-")[0]
    spellings = [number_words()[number], *SPELLINGS.get(language, {}).get(number, [])]
    return spellings[secrets.randbelow(len(spellings))]


def _digest(nonce, answer):
    return salted_hmac(TOKEN_SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge(mode=PICTURE):
    """A new question (a picture, or with ``mode=WORDS`` a sentence) and its signed token."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    adding = secrets.randbelow(2) == 0
    if not adding and first < second:
        first, second = second, first
    answer = first + second if adding else first - second
    nonce = secrets.token_urlsafe(16)
    payload = {"n": nonce, "d": _digest(nonce, answer), "t": clock.now(), "m": mode}
    token = signing.dumps(payload, salt=TOKEN_SALT)
    if mode == WORDS:
        phrasings = _SUMS if adding else _DIFFERENCES
        question = gettext(phrasings[secrets.randbelow(len(phrasings))]) % {
            "first": _in_words(first),
            "second": _in_words(second),
        }
        return Challenge(token=token, mode=WORDS, question=question)
    return Challenge(token=token, mode=PICTURE, image=picture(first, second, adding))


@lru_cache(maxsize=1)
def _font_path():
    return finders.find(_FONT)


def _font(size):
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _random_colour(low, high):
    return tuple(low + secrets.randbelow(high - low) for _channel in range(3))


def picture(first, second, adding):
    """The sum as a PNG ``data:`` URL: glyphs turned and shifted, digits of mixed scripts,
    lines and dots over them (read left to right, as sums are written in Persian too)."""
    glyphs = [
        localize_digits(first, "fa" if secrets.randbelow(2) else "en"),
        "+" if adding else "−",
        localize_digits(second, "fa" if secrets.randbelow(2) else "en"),
        "=",
        "?",
    ]
    width, height = _PICTURE_SIZE
    canvas = Image.new("RGB", _PICTURE_SIZE, _random_colour(225, 255))
    x = 12 + secrets.randbelow(12)
    for glyph in glyphs:
        font = _font(34 + secrets.randbelow(10))
        tile = Image.new("RGBA", (60, 70), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((12, 4), glyph, font=font, fill=_random_colour(0, 110))
        tile = tile.rotate(
            secrets.randbelow(51) - 25, resample=Image.Resampling.BICUBIC, expand=False
        )
        canvas.paste(tile, (x, secrets.randbelow(14) - 4), tile)
        x += 36 + secrets.randbelow(10)
    draw = ImageDraw.Draw(canvas)
    for _line in range(6):
        points = [(secrets.randbelow(width), secrets.randbelow(height)) for _point in range(2)]
        draw.line(points, fill=_random_colour(60, 180), width=1 + secrets.randbelow(2))
    for _dot in range(220):
        draw.point((secrets.randbelow(width), secrets.randbelow(height)), _random_colour(0, 200))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def mode_of(data):
    """The kind of the question a POST answers (:data:`PICTURE` if it can't be read)."""
    try:
        return signing.loads(data.get(TOKEN_FIELD, ""), salt=TOKEN_SALT).get("m", PICTURE)
    except (signing.BadSignature, AttributeError, TypeError):
        return PICTURE


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
