"""Persian text handling: digits, numbers, Jalali dates, deadlines and search normalisation.

Plain functions, no models: templates reach them through ``{% load persian %}`` and the
search index and the search view both call :func:`normalize_for_search`.

Search normalisation policy
---------------------------
PostgreSQL has no Persian text-search configuration and SQLite's FTS tokenizer knows nothing
of Persian spelling, so the index and the query are folded the same way before either reaches
the backend. :func:`normalize_for_search` is idempotent and does, in order:

* Unicode NFKC, which turns Arabic presentation forms (text pasted from PDFs) into letters.
* Letters: Arabic yeh ``ي`` and alef maksura ``ى`` become Persian ``ی``; Arabic kaf ``ك``
  becomes ``ک`` (both through persiantools). Teh marbuta ``ة``, heh with yeh above ``ۀ`` and
  heh doachashmee ``ھ`` become ``ه`` (and the hamza above in ``هٔ`` is a diacritic, so
  "دربارهٔ" and "درباره" match). Alef with hamza ``أ``/``إ`` and alef wasla ``ٱ`` become
  ``ا``; ``ؤ`` becomes ``و`` and ``ئ`` becomes ``ی`` ("پائیز" finds "پاییز"). Alef madda
  ``آ`` is kept: it is a letter of its own on Persian keyboards, and the stand-alone hamza
  ``ء`` is kept too.
* Harakat and other Arabic marks (U+064B–U+065F, U+0670) and tatweel (U+0640) are removed.
* Every digit (Persian ``۰-۹``, Arabic-Indic ``٠-٩``, Latin) becomes Latin; the Arabic decimal
  and thousands separators ``٫``/``٬`` become ``.``/``,``.
* Latin letters are lowercased.
* Zero-width non-joiner (U+200C, the Persian "half space") and zero-width space become a plain
  space, so "می‌روم" and "می روم" are the same two words. Other invisible controls (ZWJ,
  LRM/RLM/ALM, bidi embeddings and isolates, BOM, soft hyphen) are removed: they never mark a
  word boundary. Control characters (C0 and C1, NUL included) and the double quote become a
  space.
* Runs of whitespace collapse to one space; the ends are stripped.

The fully joined spelling ("میروم") cannot be told apart from one word without a dictionary,
so the index adds it on its own side: :func:`zwnj_joined_forms` lists the joined form of
every half-spaced word of a page, and ``ContentPage.search_text`` indexes both.
"""

import datetime
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import overload

import jdatetime
from django.utils import dateformat, numberformat, timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from django_stubs_ext import StrOrPromise
from persiantools import characters, digits

from participation import bidi

ZWNJ = "\u200c"

# What format_number() takes: a number, or its text in any digits.
Number = int | float | Decimal | str

_ARABIC_INDIC_TO_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")

# Letters persiantools' ar_to_fa does not fold (it handles ي ى ك).
_LETTER_FOLDS = str.maketrans(
    {
        "ة": "ه",
        "ۀ": "ه",
        "ھ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "٫": ".",
        "٬": ",",
    }
)

_REMOVED = {
    *range(0x064B, 0x0660),  # harakat, shadda, sukun, hamza above/below, ...
    0x0670,  # superscript alef
    0x0640,  # tatweel
    0x200D,  # zero-width joiner
    *map(ord, bidi.CONTROLS),  # LRM/RLM/ALM marks, bidi embeddings, overrides and isolates
    0xFEFF,  # byte order mark / zero-width no-break space
    0x00AD,  # soft hyphen
}
# C0 and C1 control characters (NUL among them, which PostgreSQL refuses in text) separate
# words at most.
_CONTROL_CHARACTERS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_INVISIBLE_CONTROLS = str.maketrans(
    {
        **dict.fromkeys(_REMOVED),
        **dict.fromkeys(_CONTROL_CHARACTERS, " "),
        ZWNJ: " ",
        "\u200b": " ",
        # Delimits terms in SQLite's full-text queries, which the search backend does not
        # escape; it never changes which words match.
        '"': " ",
    },
)


def to_persian_digits(value: object) -> str:
    """Write every digit of ``value`` with Persian digits.

    Args:
        value: Any value; it is converted with ``str()`` first.

    Returns:
        str: The text with Latin and Arabic-Indic digits replaced by ``۰-۹``.
    """
    return digits.ar_to_fa(digits.en_to_fa(str(value)))


def to_latin_digits(value: object) -> str:
    """Write every digit of ``value`` with Latin digits.

    Args:
        value: Any value; it is converted with ``str()`` first.

    Returns:
        str: The text with Persian and Arabic-Indic digits replaced by ``0-9``.
    """
    return digits.fa_to_en(str(value)).translate(_ARABIC_INDIC_TO_LATIN)


def localize_digits(value: object, language: str | None = None) -> str:
    """Write the digits of ``value`` the way ``language`` reads them.

    Args:
        value: Any value; it is converted with ``str()`` first.
        language: A language code; the active language when omitted.

    Returns:
        str: Persian digits for Persian, Latin digits otherwise.
    """
    if is_persian(language):
        return to_persian_digits(value)
    return to_latin_digits(value)


def is_persian(language: str | None = None) -> bool:
    """Tell whether ``language`` (the active language when omitted) is Persian."""
    language = language or translation.get_language() or ""
    return language.lower().split("-")[0] == "fa"


def written_language(text: StrOrPromise | None) -> str | None:
    """The language ``text`` is written in, told by its first letter, as ``dir="auto"`` does.

    Args:
        text: Any text, e.g. an editor's reason shown on a page in the other language.

    Returns:
        str | None: "fa" for a right-to-left letter (Persian, Arabic script), "en" for a
        left-to-right one, ``None`` for text without letters (digits, punctuation, empty).
    """
    for char in "" if text is None else str(text):
        direction = unicodedata.bidirectional(char)
        if direction in {"R", "AL"}:
            return "fa"
        if direction == "L":
            return "en"
    return None


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = characters.ar_to_fa(text).translate(_LETTER_FOLDS)
    text = text.translate(_INVISIBLE_CONTROLS)
    text = to_latin_digits(text).lower()
    return " ".join(text.split())


def normalize_for_search(text: StrOrPromise | None) -> str:
    """Fold Persian text so that spelling variants index and match alike.

    See the module docstring for the letter, digit and zero-width policy.

    Args:
        text: The text to fold; ``None`` counts as empty.

    Returns:
        str: The folded text; folding it again returns it unchanged.
    """
    text = "" if text is None else str(text)
    # NFKC can compose marks that become adjacent once others are removed; repeat until stable.
    for _ in range(5):
        folded = _normalize_once(text)
        if folded == text:
            break
        text = folded
    return text


def zwnj_joined_forms(text: StrOrPromise | None) -> list[str]:
    """List the joined spelling of every word written with a zero-width non-joiner.

    ``"کتاب‌ها را می‌خوانم"`` gives ``["کتابها", "میخوانم"]``; indexing these beside the
    normalised text lets a query typed without the half space find the page.

    Args:
        text: Raw text, before :func:`normalize_for_search`.

    Returns:
        list[str]: The joined words, in order of appearance, without duplicates.
    """
    text = "" if text is None else str(text)
    joined = [word.replace(ZWNJ, "") for word in text.split() if ZWNJ in word.strip(ZWNJ)]
    return list(dict.fromkeys(joined))


def searchable_text(*texts: StrOrPromise | None) -> str:
    """Join plain texts into one folded string for the search index.

    Args:
        *texts: Plain text (HTML already stripped), e.g. a page's title, intro and blocks.

    Returns:
        str: :func:`normalize_for_search` of all texts, then the joined spellings of their
        half-spaced words (see :func:`zwnj_joined_forms`).
    """
    raw = " ".join(str(text) for text in texts if text)
    return normalize_for_search(" ".join([raw, *zwnj_joined_forms(raw)]))


def _to_number(value: Number) -> int | float | Decimal:
    if isinstance(value, bool):
        raise TypeError("format_number() does not take booleans")
    if isinstance(value, int | float | Decimal):
        return value
    text = to_latin_digits(value).strip().replace("٫", ".").replace("٬", "").replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def format_number(
    value: Number, language: str | None = None, decimal_pos: int | None = None
) -> str:
    """Format a number with grouped thousands in the digits of ``language``.

    Args:
        value: An ``int``, ``float``, ``Decimal`` or a numeric string (any digits).
        language: A language code; the active language when omitted.
        decimal_pos: Decimal places to show; as many as ``value`` has when omitted.

    Returns:
        str: ``"۱۲٬۳۴۵٫۵"`` in Persian, ``"12,345.5"`` otherwise.

    Raises:
        ValueError: ``value`` is a string that is not a number.
        TypeError: ``value`` is neither a number nor a string.
    """
    number = _to_number(value)
    persian = is_persian(language)
    formatted = numberformat.format(
        number,
        decimal_sep="٫" if persian else ".",
        decimal_pos=decimal_pos,
        grouping=3,
        thousand_sep="٬" if persian else ",",
        force_grouping=True,
    )
    return to_persian_digits(formatted) if persian else formatted


@overload
def _local(value: datetime.datetime) -> datetime.datetime: ...
@overload
def _local(value: datetime.date) -> datetime.date: ...
def _local(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: datetime.date, language: str | None = None, with_time: bool = False) -> str:
    """Write a date in the calendar of ``language``: Jalali in Persian, Gregorian otherwise.

    Aware datetimes are shown in the current time zone (Asia/Tehran by default).

    Args:
        value: A ``date`` or ``datetime``.
        language: A language code; the active language when omitted.
        with_time: Add the hour and minute (datetimes only).

    Returns:
        str: ``"۳ آذر ۱۴۰۵"`` (``"۳ آذر ۱۴۰۵، ۱۴:۳۰"`` with the time) in Persian,
        ``"24 November 2026"`` (``"24 November 2026, 14:30"``) otherwise.
    """
    value = _local(value)
    with_time = with_time and isinstance(value, datetime.datetime)
    if is_persian(language):
        jalali = jdatetime.date.fromgregorian(
            date=value.date() if isinstance(value, datetime.datetime) else value
        )
        text = f"{jalali.day} {jdatetime.date.j_months_fa[jalali.month - 1]} {jalali.year}"
        if with_time:
            text = f"{text}، {value:%H:%M}"
        return to_persian_digits(text)
    with translation.override(language or translation.get_language()):
        return dateformat.format(value, "j F Y, H:i" if with_time else "j F Y")


def relative_deadline(
    value: datetime.date, now: datetime.datetime | None = None, language: str | None = None
) -> str:
    """Say how long is left before a deadline.

    A ``date`` deadline lasts to the end of that day; a ``datetime`` one ends at that moment.

    Args:
        value: The deadline, a ``date`` or an aware ``datetime``.
        now: The moment to count from; ``timezone.now()`` when omitted.
        language: A language code; the active language when omitted.

    Returns:
        str: E.g. "۳ روز مانده", "۵ ساعت مانده", "کمتر از یک ساعت مانده",
        "امروز پایان می‌یابد" (date deadlines) or "پایان یافته" in Persian.
    """
    now = now or timezone.now()
    language = language or translation.get_language()
    with translation.override(language):
        if not isinstance(value, datetime.datetime):
            days = (value - _local(now).date()).days
            if days < 0:
                return gettext("Deadline passed")
            if days == 0:
                return gettext("Ends today")
            return ngettext("%(count)s day left", "%(count)s days left", days) % {
                "count": format_number(days, language)
            }
        seconds = (value - now).total_seconds()
        if seconds <= 0:
            return gettext("Deadline passed")
        days, hours = int(seconds // 86400), int(seconds // 3600)
        if days:
            return ngettext("%(count)s day left", "%(count)s days left", days) % {
                "count": format_number(days, language)
            }
        if hours:
            return ngettext("%(count)s hour left", "%(count)s hours left", hours) % {
                "count": format_number(hours, language)
            }
        return gettext("Less than an hour left")


def join_list(items: Iterable[object]) -> str:
    """Items joined with the active language's list separator ("، " in Persian, ", " in English)."""
    return f"{pgettext('list separator', ',')} ".join(str(item) for item in items)
