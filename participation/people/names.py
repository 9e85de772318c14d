"""What people type about themselves (names, faculty), cleaned the same way everywhere.

A name is shown on certificates, to juries and in exports, and is compared when editors
look people up, so its spelling must not depend on the keyboard it was typed on:

- Arabic ي, ى and ك (from Arabic keyboard layouts) become Persian ی and ک;
- bidirectional controls are removed: embeddings and overrides (U+202A–U+202E),
  isolates (U+2066–U+2069), the left-to-right and right-to-left marks (U+200E, U+200F)
  and the Arabic letter mark (U+061C). They are invisible, and an override can make a
  name read differently from what it says;
- the zero-width non-joiner (U+200C, نیم‌فاصله) stays: it is part of Persian spelling;
- runs of white space become one space, and the ends are trimmed.
"""

import unicodedata

from persiantools import characters

from participation.bidi import without_controls


def normalize_name(value):
    """A name or short text as typed, in one canonical Persian spelling.

    Args:
        value: The text; ``None`` counts as empty.

    Returns:
        str: The text in NFC with Persian letter forms, no bidi controls, single spaces.
    """
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    text = characters.ar_to_fa(without_controls(text))
    return " ".join(text.split())
