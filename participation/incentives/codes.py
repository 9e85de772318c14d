"""Verification codes of certificates: short, random, easy to read aloud and type.

Twelve symbols of Crockford's base32 alphabet (no I, L, O or U), 60 random bits from
``secrets``, shown in groups of four (``7KQ2-M9XD-4HZT``). Whatever a person types or a
scanner reads is normalized before the lookup: letter case, hyphens and spaces do not
matter, O reads as 0 and I or L as 1, and Persian or Arabic-Indic digits count as digits.
"""

import re
import secrets

from participation.persian import to_latin_digits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4

_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u200c]+")
_VALID = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def new_code():
    """A fresh random code, stored without separators (``7KQ2M9XD4HZT``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text):
    """The stored form of a typed or scanned code, or None when it cannot be one.

    Args:
        text: What was typed, e.g. ``"7kq2-m9xd-4hzt"`` or ``"7KQ2 M9XD 4HZT"``.

    Returns:
        str | None: Twelve symbols of :data:`ALPHABET`, or None.
    """
    if not text:
        return None
    code = _SEPARATORS.sub("", to_latin_digits(str(text))).upper().translate(_CONFUSABLE)
    return code if _VALID.fullmatch(code) else None


def display(code):
    """The code in groups of four, as printed and in URLs: ``7KQ2-M9XD-4HZT``."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))
