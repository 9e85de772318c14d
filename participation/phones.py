"""One identity per mobile number: its canonical form (E.164, ``+989…``).

Every comparison of phone numbers goes through :func:`canonical_phone` — sign-up, sign-in
by code, the rate limits' keys, the SMS gateways — and the database keeps the canonical
form unique (``User.phone``). What people type varies: Persian or Arabic-Indic digits,
``+98``, ``0098``, ``98``, ``09…``, ``9…``, spaces, dashes, brackets and invisible
direction marks pasted from a contact card. Google's libphonenumber (the ``phonenumbers``
package) reads all of them and decides whether the number is an Iranian mobile number;
no regular expression of ours does.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .persian import to_latin_digits

REGION = "IR"
# Characters people paste around numbers: bidi marks, the zero-width non-joiner, NBSP.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00a0\ufeff",
    ),
    " ",
)
# Fullwidth plus and the minus sign, as some keyboards type them.
_SIGNS = str.maketrans({"\uff0b": "+", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2013": "-"})

INVALID_MESSAGE = _("Enter an Iranian mobile number, for example 0912 345 6789.")
NOT_MOBILE_MESSAGE = _(
    "This is not a mobile number. Enter a number that can receive text messages."
)


def _digits_only(value: str) -> str:
    text = to_latin_digits(str(value or "")).translate(_INVISIBLE).translate(_SIGNS)
    return text.strip()


def parse_phone(value: str) -> phonenumbers.PhoneNumber:
    """The number ``value`` stands for, read as an Iranian number when it has no country.

    Raises:
        ValidationError: not a valid Iranian mobile number (code ``invalid_phone`` or
            ``not_mobile``), with a translated message.
    """
    text = _digits_only(value)
    # "98912…" without the plus is how some exports write numbers.
    if text.startswith("98") and len("".join(ch for ch in text if ch.isdigit())) == 12:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.region_code_for_number(number) != REGION
    ):
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(NOT_MOBILE_MESSAGE, code="not_mobile")
    return number


def canonical_phone(value: str) -> str:
    """The E.164 form of an Iranian mobile number (``+989123456789``).

    Raises:
        ValidationError: when ``value`` is not one (see :func:`parse_phone`).
    """
    return phonenumbers.format_number(parse_phone(value), phonenumbers.PhoneNumberFormat.E164)


def canonical_phone_or_none(value: str) -> str | None:
    """:func:`canonical_phone`, or ``None`` for anything that is not a valid number."""
    try:
        return canonical_phone(value)
    except ValidationError:
        return None


def national_phone(canonical: str) -> str:
    """The number as people in Iran write it, in Latin digits: ``0912 345 6789``."""
    number = phonenumbers.parse(canonical, REGION)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def national_digits(canonical: str) -> str:
    """The number as Iranian gateways take it: ``09123456789``."""
    return "0" + str(phonenumbers.parse(canonical, REGION).national_number)
