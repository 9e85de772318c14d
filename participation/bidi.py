"""The bidirectional-text controls, named once, and which text keeps which.

Persian text mixes right-to-left and left-to-right runs, and two kinds of invisible
characters steer them:

* ``MARKS`` — LRM (U+200E), RLM (U+200F) and ALM (U+061C). People type them (and Persian
  keyboards insert them) between Persian and Latin words so that punctuation lands on the
  right side. They cannot reorder text, so free text (comments, answers) keeps them.
* ``OVERRIDES`` — embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
  They can make shown text read differently from what is stored (a reversed word, a hidden
  phrase), so they are removed from everything people write.

Names, reasons, codes and file names are identifiers more than text: an invisible mark there
only makes two names that look the same differ, so they lose ``MARKS`` too (``CONTROLS``).
"""

MARKS = frozenset("\u200e\u200f\u061c")
OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROLS = MARKS | OVERRIDES

_NO_OVERRIDES = dict.fromkeys(map(ord, OVERRIDES))
_NO_CONTROLS = dict.fromkeys(map(ord, CONTROLS))


def without_overrides(text: str) -> str:
    """``text`` without embeddings, overrides and isolates; LRM/RLM/ALM marks stay."""
    return text.translate(_NO_OVERRIDES)


def without_controls(text: str) -> str:
    """``text`` without any bidi control, marks included (for names and identifiers)."""
    return text.translate(_NO_CONTROLS)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds any bidi control (a file name that should not)."""
    return any(character in CONTROLS for character in text)
