"""One set of bidi controls (participation/bidi.py), and which text keeps which.

Free text keeps the LRM/RLM/ALM marks people type between Persian and Latin words and
loses embeddings, overrides and isolates; names, reasons, file names and the search index
lose both.
"""

import pytest

from participation import bidi
from participation.forms import normalize_text, normalize_text_input
from participation.ideas.attachments import name_tricks
from participation.incentives.services import clean_text
from participation.people.names import normalize_name
from participation.persian import normalize_for_search

LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
# "Python" followed by an RLM so the Persian comma lands after it, then an override.
MIXED = f"زبان Python{RLM}، {RLO}مهم{PDF} {RLI}است{PDI} و{LRM}{ALM}"


def test_the_sets_are_the_marks_and_the_overrides():
    assert {LRM, RLM, ALM} == bidi.MARKS
    assert {RLO, PDF, RLI, PDI} <= bidi.OVERRIDES
    assert bidi.CONTROLS == bidi.MARKS | bidi.OVERRIDES
    assert not bidi.MARKS & bidi.OVERRIDES


@pytest.mark.parametrize("normalize", [normalize_text, normalize_text_input])
def test_free_text_keeps_the_marks_and_loses_the_overrides(normalize):
    text = normalize(MIXED)
    assert f"Python{RLM}،" in text and LRM in text and ALM in text
    assert not any(character in bidi.OVERRIDES for character in text)


@pytest.mark.parametrize("normalize", [normalize_name, clean_text, normalize_for_search])
def test_names_reasons_and_the_index_lose_every_control(normalize):
    text = normalize(MIXED)
    assert not any(character in bidi.CONTROLS for character in text)
    assert "Python" in text or "python" in text


@pytest.mark.parametrize("control", sorted(bidi.CONTROLS))
def test_a_file_name_with_any_control_is_a_trick(control):
    assert name_tricks(f"گزارش{control}fdp.exe") == ["bidi"]
    assert name_tricks("گزارش.pdf") == []
