"""Weighted estimates with their uncertainty (participation.measurement.estimates): against
the textbook formulas written out here, and a coverage simulation of raked surveys of a
known population with non-response that depends on the strata."""

import numpy as np
import pytest
from scipy import stats

from participation.measurement import estimates, weighting

Z = 1.959963984540054


def textbook_wilson(p, n):
    """Wilson (1927): (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    centre = p + Z**2 / (2 * n)
    half = Z * np.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return (centre - half) / (1 + Z**2 / n), (centre + half) / (1 + Z**2 / n)


# ---- Agreement with the textbook formulas -----------------------------------------------------


def test_unweighted_figures_are_the_textbook_ones():
    rng = np.random.default_rng(1)
    y = rng.integers(1, 6, 300).astype(float)
    chosen = (rng.random(300) < 0.3).astype(float)
    everyone = np.ones(300, dtype=bool)
    # With every weight 1 and no margins the linearised variance is s²/n.
    _mean, se = estimates.Calibration(np.ones(300)).estimate(y[:, None], everyone)
    assert se[0] == pytest.approx(y.std(ddof=1) / np.sqrt(300), rel=1e-12)
    (share,) = estimates.estimate_columns(
        chosen[:, None], everyone, everyone, None, proportion=True
    )
    p = chosen.mean()
    assert share.unweighted == pytest.approx(p, abs=1e-12)
    assert (share.unweighted_low, share.unweighted_high) == pytest.approx(
        textbook_wilson(p, 300), abs=1e-12
    )
    assert share.weighted is None  # no weights, no weighted figures
    (mean,) = estimates.estimate_columns(y[:, None], everyone, everyone, None, proportion=False)
    half = stats.t.ppf(0.975, 299) * y.std(ddof=1) / np.sqrt(300)
    assert (mean.unweighted_low, mean.unweighted_high) == pytest.approx(
        (y.mean() - half, y.mean() + half), abs=1e-12
    )


def test_an_unweighted_domain_keeps_the_whole_sample_in_its_variance():
    # Textbook domain estimation (Cochran 1977 §2.13, with-replacement linearisation): the
    # domain mean's z_i = d_i (y_i − ȳ_d) / n_d over all n, v = n/(n−1) Σ z_i².
    rng = np.random.default_rng(2)
    n = 400
    y = rng.normal(3, 1, n)
    domain = rng.random(n) < 0.4
    _mean, se = estimates.Calibration(np.ones(n)).estimate(y[:, None], domain)
    n_d = domain.sum()
    z = np.where(domain, y - y[domain].mean(), 0.0) / n_d
    assert se[0] == pytest.approx(np.sqrt(n / (n - 1) * (z**2).sum()), abs=1e-12)


def sample_with_strata(rng, n=1200):
    role = rng.choice(["student", "faculty", "staff"], n, p=[0.8, 0.12, 0.08])
    university = rng.choice(["u1", "u2", "u3"], n, p=[0.6, 0.3, 0.1])
    base = {"student": 0.7, "faculty": 0.35, "staff": 0.25}
    shift = {"u1": 0.1, "u2": 0.0, "u3": -0.15}
    p = np.array([base[r] + shift[u] for r, u in zip(role, university, strict=True)])
    chosen = (rng.random(n) < p).astype(float)
    score = np.clip(np.round(2 + 3 * p + rng.normal(0, 1, n)), 1, 5)
    answered = rng.random(n) < np.where(role == "student", 0.9, 0.6)
    return role, university, chosen, score, answered


def test_post_stratified_estimates_agree_with_the_closed_form():
    """One margin is post-stratification: ȳ = Σ_h W_h ȳ_h, and the linearised variance (with
    replacement) has the closed form v = n/(n−1) Σ_h W_h² (n_h − 1) s_h² / n_h²
    (z_i = W_h (y_i − ȳ_h) / n_h; Lohr 2022, chapters 4 and 9)."""
    rng = np.random.default_rng(3)
    role, _university, chosen, score, _answered = sample_with_strata(rng)
    population = {"student": 70_000, "faculty": 9_000, "staff": 21_000}
    columns = {"role": role}
    raked = weighting.rake(columns, {"role": population})
    calibration = estimates.Calibration(raked.weights, columns)
    everyone = np.ones(len(role), dtype=bool)
    n = len(role)
    total = sum(population.values())
    for y, proportion in ((chosen, True), (score, False)):
        (found,) = estimates.estimate_columns(
            y[:, None], everyone, everyone, calibration, proportion=proportion
        )
        estimate, variance = 0.0, 0.0
        for stratum, size in population.items():
            values = y[role == stratum]
            share, n_h = size / total, len(values)
            estimate += share * values.mean()
            variance += share**2 * (n_h - 1) * values.var(ddof=1) / n_h**2
        se = np.sqrt(n / (n - 1) * variance)
        assert found.weighted == pytest.approx(estimate, abs=1e-9)
        assert found.se == pytest.approx(se, abs=1e-9, rel=1e-6)
        # The design effect is the variance ratio to a simple random sample of n.
        spread = (raked.weights * (y - estimate) ** 2).sum() / raked.weights.sum()
        assert found.deff == pytest.approx(se**2 / (spread / n), rel=1e-6)
        assert found.effective_size == pytest.approx(n / found.deff, rel=1e-9)
        if proportion:
            assert (found.low, found.high) == pytest.approx(
                textbook_wilson(estimate, found.effective_size), abs=1e-9
            )
        else:
            half = stats.t.ppf(0.975, n - 1) * se
            assert (found.low, found.high) == pytest.approx(
                (estimate - half, estimate + half), abs=1e-9
            )


def test_raked_domain_estimates_agree_with_the_greg_formula_written_out():
    """Two margins and a question not everyone answered: the ratio's influence values
    u_i = d_i (y_i − ȳ_d) / Σ_d w, their residuals on the margins' dummies by weighted least
    squares (normal equations, reference coding: Deville & Särndal 1992), z_i = w_i e_i,
    v = n/(n−1) Σ (z_i − z̄)² (Wolter 2007)."""
    rng = np.random.default_rng(4)
    role, university, chosen, score, answered = sample_with_strata(rng)
    targets = {
        "role": {"student": 60_000, "faculty": 15_000, "staff": 25_000},
        "university": {"u1": 40_000, "u2": 35_000, "u3": 25_000},
    }
    columns = {"role": role, "university": university}
    w = weighting.rake(columns, targets).weights
    calibration = estimates.Calibration(w, columns)
    n = len(w)
    design = np.column_stack(
        [
            np.ones(n),
            role == "faculty",
            role == "staff",
            university == "u2",
            university == "u3",
        ]
    ).astype(float)
    everyone = np.ones(n, dtype=bool)
    for y, proportion in ((chosen, True), (score, False)):
        (found,) = estimates.estimate_columns(
            y[:, None], answered, everyone, calibration, proportion=proportion
        )
        domain_total = w[answered].sum()
        estimate = (w * y)[answered].sum() / domain_total
        u = np.where(answered, y - estimate, 0.0) / domain_total
        beta = np.linalg.solve(design.T @ (w[:, None] * design), design.T @ (w * u))
        z = w * (u - design @ beta)
        se = np.sqrt(n / (n - 1) * ((z - z.mean()) ** 2).sum())
        assert found.weighted == pytest.approx(estimate, abs=1e-9)
        assert found.se == pytest.approx(se, abs=1e-9, rel=1e-6)
        assert found.respondents == found.weighted_respondents == answered.sum()
        # Raking-aware: smaller than treating the weights as fixed (no residuals), since
        # the margins predict the answer.
        fixed = w * u
        assert found.se < np.sqrt(n / (n - 1) * ((fixed - fixed.mean()) ** 2).sum())


def test_respondents_outside_the_frame_count_unweighted_only():
    rng = np.random.default_rng(5)
    role, _university, chosen, _score, _answered = sample_with_strata(rng, 200)
    weighted = rng.random(200) < 0.9
    columns = {"role": role[weighted]}
    raked = weighting.rake(columns, {"role": {"student": 700, "faculty": 200, "staff": 100}})
    calibration = estimates.Calibration(raked.weights, columns)
    everyone = np.ones(200, dtype=bool)
    (found,) = estimates.estimate_columns(
        chosen[:, None], everyone, weighted, calibration, proportion=True
    )
    assert found.respondents == 200 and found.weighted_respondents == weighted.sum()
    assert found.count == chosen.sum()
    assert found.unweighted == pytest.approx(chosen.mean())
    expected = (raked.weights * chosen[weighted]).sum() / raked.weights.sum()
    assert found.weighted == pytest.approx(expected)


def test_a_proportion_with_no_variance_falls_back_on_the_weights_effective_size():
    columns = {"role": np.array(["student"] * 6 + ["faculty"] * 4)}
    raked = weighting.rake(columns, {"role": {"student": 50, "faculty": 50}})
    calibration = estimates.Calibration(raked.weights, columns)
    everyone = np.ones(10, dtype=bool)
    (found,) = estimates.estimate_columns(
        np.ones((10, 1)), everyone, everyone, calibration, proportion=True
    )
    assert found.weighted == pytest.approx(1.0) and found.deff is None
    kish = estimates.kish_effective_size(raked.weights)
    assert found.effective_size == pytest.approx(kish)
    assert (found.low, found.high) == pytest.approx(textbook_wilson(1.0, kish))
    assert found.high == pytest.approx(1.0) and found.low < 1


# ---- Coverage simulation ----------------------------------------------------------------------

ROLES = np.array(["student", "faculty", "staff"], dtype=object)
ROLE_SHARES = [0.75, 0.10, 0.15]
UNIVERSITIES = np.array(["u1", "u2", "u3", "u4"], dtype=object)
UNIVERSITY_SHARES = [0.4, 0.3, 0.2, 0.1]
# Who answers: a product of a role and a university effect (raking on the two margins can
# undo it); about 1.1% of the population, so the sampling fraction is negligible.
RESPONSE_ROLE = np.array([0.02, 0.006, 0.003])
RESPONSE_UNIVERSITY = np.array([1.0, 0.6, 0.4, 0.2])
SIMULATED_SURVEYS = 1000


def simulated_population(rng, size=200_000):
    role = rng.choice(3, size, p=ROLE_SHARES)
    university = rng.choice(4, size, p=UNIVERSITY_SHARES)
    # A yes/no answer and a 1–5 score that depend on the stratum, and a question only the
    # employed answer (a domain), whose yes share depends on the stratum too.
    yes = (
        rng.random(size)
        < np.array([0.7, 0.3, 0.2])[role] + np.array([0.15, 0.0, -0.1, -0.15])[university]
    )
    score = np.clip(
        np.round(2.0 + 1.5 * (role == 0) + 0.5 * university + rng.normal(0, 1, size)), 1, 5
    )
    employed = rng.random(size) < np.array([0.3, 0.95, 0.9])[role]
    paid = rng.random(size) < np.array([0.8, 0.4, 0.3])[role] - 0.1 * university
    return role, university, yes.astype(float), score, employed, paid.astype(float)


def test_intervals_cover_the_truth_and_weighting_removes_the_bias():
    """1,000 surveys of one population of 200,000 with non-response by stratum, each raked
    with weighting.rake: the weighted estimates' 95% intervals cover the population's true
    values in 93–97% of surveys, and their bias is far smaller than the unweighted ones'."""
    rng = np.random.default_rng(20)
    role, university, yes, score, employed, paid = simulated_population(rng)
    truth = np.array([yes.mean(), score.mean(), paid[employed].mean()])
    targets = {
        "role": {ROLES[k]: int((role == k).sum()) for k in range(3)},
        "university": {UNIVERSITIES[k]: int((university == k).sum()) for k in range(4)},
    }
    propensity = RESPONSE_ROLE[role] * RESPONSE_UNIVERSITY[university]
    weighted, unweighted, covered, sizes = [], [], [], []
    for _ in range(SIMULATED_SURVEYS):
        answered = rng.random(len(role)) < propensity
        columns = {"role": ROLES[role[answered]], "university": UNIVERSITIES[university[answered]]}
        raked = weighting.rake(columns, targets)
        calibration = estimates.Calibration(raked.weights, columns)
        everyone = np.ones(answered.sum(), dtype=bool)
        found = [
            *estimates.estimate_columns(
                yes[answered][:, None], everyone, everyone, calibration, proportion=True
            ),
            *estimates.estimate_columns(
                score[answered][:, None], everyone, everyone, calibration, proportion=False
            ),
            *estimates.estimate_columns(
                paid[answered][:, None], employed[answered], everyone, calibration, proportion=True
            ),
        ]
        weighted.append([estimate.weighted for estimate in found])
        unweighted.append([estimate.unweighted for estimate in found])
        covered.append([e.low <= t <= e.high for e, t in zip(found, truth, strict=True)])
        sizes.append(answered.sum())
    weighted_bias = np.abs(np.mean(weighted, axis=0) - truth)
    unweighted_bias = np.abs(np.mean(unweighted, axis=0) - truth)
    coverage = np.mean(covered, axis=0)
    print(f"\nsurveys {SIMULATED_SURVEYS}, mean respondents {np.mean(sizes):.0f}")
    print("truth (yes share, mean score, domain share):", np.round(truth, 4))
    print("unweighted bias:", np.round(unweighted_bias, 4))
    print("weighted bias:  ", np.round(weighted_bias, 4))
    print("weighted SD:    ", np.round(np.std(weighted, axis=0), 4))
    print("95% coverage:   ", coverage)
    assert np.all((coverage >= 0.93) & (coverage <= 0.97))
    assert np.all(unweighted_bias > 0.05)  # the respondents are visibly unrepresentative
    assert np.all(weighted_bias < unweighted_bias / 20)
    # The bias left is small beside the estimates' own spread (Monte Carlo noise).
    assert np.all(weighted_bias < 0.2 * np.std(weighted, axis=0))
