"""Verification codes: random, unambiguous, forgiving when typed back."""

import pytest

from participation.incentives import codes


def test_new_codes_are_twelve_unambiguous_symbols():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    for code in drawn:
        assert len(code) == codes.LENGTH
        assert set(code) <= set(codes.ALPHABET)
        assert not set(code) & set("ILOU")


def test_display_groups_by_four():
    assert codes.display("7KQ2M9XD4HZT") == "7KQ2-M9XD-4HZT"


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ2-M9XD-4HZT",
        "7kq2-m9xd-4hzt",
        "7KQ2M9XD4HZT",
        " 7KQ2 M9XD 4HZT ",
        "۷KQ۲-M۹XD-۴HZT",  # Persian digits
        "7KQ2–M9XD–4HZT",  # en dashes
    ],
)
def test_typed_codes_are_normalized(typed):
    assert codes.normalize(typed) == "7KQ2M9XD4HZT"


def test_confusable_letters_read_as_digits():
    assert codes.normalize("O1IL-oOil-0000") == "011100110000"


@pytest.mark.parametrize("typed", ["", None, "7KQ2-M9XD", "7KQ2-M9XD-4HZU", "<script>", "a" * 40])
def test_impossible_codes_are_refused(typed):
    assert codes.normalize(typed) is None
