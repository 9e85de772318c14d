"""Who answered against who is in the population: response rates per stratum and the
R-indicator. Pure functions over counts.

A stratum is one combination of the chosen dimensions' categories (e.g. "student at
University of Tehran"). The response propensity of the people in stratum *h* is estimated
by its response rate ρ̂_h = n_h / N_h, from the frame's counts N_h (the model with every
interaction of the chosen dimensions, fitted on the population the frame counts). The
R-indicator (Schouten, Cobben & Bethlehem 2009) is

    R = 1 − 2·S(ρ̂),   S²(ρ̂) = Σ_h N_h (ρ̂_h − ρ̄)² / (N − 1),   ρ̄ = Σ_h N_h ρ̂_h / N,

1 when every stratum answered at the same rate, lower the more the rates differ (0 at
the largest spread possible). The same paper's maximal absolute standardised bias,
B_m = (1 − R) / (2ρ̄), bounds how far an unweighted mean could be from the population's,
in standard deviations of the variable, if non-response followed the strata.
"""

import math
from dataclasses import dataclass

# A stratum whose respondents are fewer than this share of what its population's share
# would give is "thin" (also when below the disclosure threshold).
THIN_RATIO = 0.5


@dataclass
class Stratum:
    key: tuple
    population: int
    respondents: int
    expected: float  # respondents it would have at the overall response rate

    @property
    def response_rate(self):
        return self.respondents / self.population if self.population else None

    @property
    def missing(self):
        return self.population > 0 and self.respondents == 0

    @property
    def thin(self):
        return 0 < self.respondents < THIN_RATIO * self.expected


@dataclass
class Representativeness:
    strata: list
    population: int
    respondents: int  # respondents in the frame's strata
    r_indicator: float | None
    propensity_sd: float | None
    max_bias: float | None

    @property
    def response_rate(self):
        return self.respondents / self.population if self.population else None

    @property
    def response_percent(self):
        return None if self.response_rate is None else 100 * self.response_rate

    @property
    def missing(self):
        return [stratum for stratum in self.strata if stratum.missing]

    @property
    def thin(self):
        return [stratum for stratum in self.strata if stratum.thin]


def r_indicator(population, respondents):
    """R = 1 − 2·S(ρ̂) over strata, with ρ̂_h = n_h / N_h capped at 1.

    Args:
        population: N_h per stratum (sequence of positive counts).
        respondents: n_h per stratum, in the same order.

    Returns:
        tuple[float, float, float] | None: (R, S(ρ̂), B_m); ``None`` with fewer than two
        people in the population or no respondent.
    """
    total = sum(population)
    answered = sum(respondents)
    if total < 2 or not answered:
        return None
    rates = [min(1.0, n / size) for size, n in zip(population, respondents, strict=True)]
    mean = sum(size * rate for size, rate in zip(population, rates, strict=True)) / total
    variance = sum(
        size * (rate - mean) ** 2 for size, rate in zip(population, rates, strict=True)
    ) / (total - 1)
    spread = math.sqrt(variance)
    r = 1 - 2 * spread
    return r, spread, (1 - r) / (2 * mean)


def measure(population, respondents):
    """The strata table and the R-indicator.

    Args:
        population: ``{stratum key: N_h}`` from the frame (strata with N_h = 0 are left out).
        respondents: ``{stratum key: n_h}``; keys outside ``population`` are not counted
            (the caller reports them as outside the frame).

    Returns:
        Representativeness
    """
    keys = sorted(key for key, size in population.items() if size > 0)
    total = sum(population[key] for key in keys)
    answered = sum(respondents.get(key, 0) for key in keys)
    rate = answered / total if total else 0.0
    strata = [
        Stratum(key, population[key], respondents.get(key, 0), rate * population[key])
        for key in keys
    ]
    indicator = r_indicator([s.population for s in strata], [s.respondents for s in strata])
    r, spread, bias = indicator if indicator else (None, None, None)
    return Representativeness(strata, total, answered, r, spread, bias)
