"""The strata table and the R-indicator (Schouten, Cobben & Bethlehem 2009)."""

import math

import numpy as np
import pytest

from participation.measurement import representativeness


def test_equal_response_rates_are_perfectly_representative():
    result = representativeness.measure({("a",): 100, ("b",): 300}, {("a",): 10, ("b",): 30})
    assert result.r_indicator == pytest.approx(1.0)
    assert result.max_bias == pytest.approx(0.0)
    assert result.response_rate == pytest.approx(0.1)


def test_r_indicator_checked_by_hand():
    # N = (100, 300), n = (50, 30): rates 0.5 and 0.1, mean ρ̄ = (50 + 30) / 400 = 0.2.
    # S² = (100 · 0.3² + 300 · 0.1²) / 399 = 12 / 399; R = 1 − 2·√(12/399).
    result = representativeness.measure({("a",): 100, ("b",): 300}, {("a",): 50, ("b",): 30})
    spread = math.sqrt(12 / 399)
    assert result.propensity_sd == pytest.approx(spread)
    assert result.r_indicator == pytest.approx(1 - 2 * spread)
    assert result.max_bias == pytest.approx(2 * spread / (2 * 0.2))


def test_r_indicator_matches_the_unit_level_definition():
    # The same indicator computed over every person of the population: each has their
    # stratum's propensity; S is the standard deviation with N − 1.
    rng = np.random.default_rng(3)
    sizes = rng.integers(20, 400, 12)
    answered = [int(rng.integers(0, size)) for size in sizes]
    population = {(f"s{i}",): int(size) for i, size in enumerate(sizes)}
    respondents = {(f"s{i}",): n for i, n in enumerate(answered)}
    units = np.concatenate(
        [np.full(size, n / size) for size, n in zip(sizes, answered, strict=True)]
    )
    result = representativeness.measure(population, respondents)
    assert result.r_indicator == pytest.approx(1 - 2 * units.std(ddof=1))


def test_missing_and_thin_strata_are_called_out():
    population = {("a",): 1000, ("b",): 1000, ("c",): 1000, ("d",): 0}
    respondents = {("a",): 200, ("b",): 30, ("x",): 99}  # x is outside the frame
    result = representativeness.measure(population, respondents)
    assert [s.key for s in result.strata] == [("a",), ("b",), ("c",)]  # d has nobody
    assert result.respondents == 230
    assert [s.key for s in result.missing] == [("c",)]
    assert [s.key for s in result.thin] == [("b",)]  # 30 < half of the ≈77 expected


def test_no_respondents_gives_no_indicator():
    result = representativeness.measure({("a",): 10}, {})
    assert result.r_indicator is None
