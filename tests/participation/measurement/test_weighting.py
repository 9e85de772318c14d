"""Raking (participation.measurement.weighting) against a hand-checked example, a direct IPF
written here, the ipfn library, and simulated biased samples of a known population."""

import itertools

import numpy as np
import pytest
from ipfn import ipfn

from participation.measurement import weighting


def direct_ipf(columns, targets, iterations=2000, tolerance=1e-13):
    """Textbook raking on unit weights (Deming & Stephan 1940): scale each margin in turn."""
    n = len(next(iter(columns.values())))
    weights = np.ones(n)
    shares = weighting.target_shares(targets)
    arrays = {dimension: np.asarray(values, dtype=object) for dimension, values in columns.items()}
    for _ in range(iterations):
        before = weights.copy()
        for dimension, target in shares.items():
            total = weights.sum()
            for category, share in target.items():
                mask = arrays[dimension] == category
                weights[mask] *= share * total / weights[mask].sum()
        if np.abs(weights - before).max() < tolerance:
            break
    return weights / weights.mean()


def weighted_shares_of(columns, weights, dimension):
    values = np.asarray(columns[dimension], dtype=object)
    return {category: weights[values == category].sum() / weights.sum() for category in set(values)}


def test_one_margin_is_post_stratification_checked_by_hand():
    # 3 students and 1 faculty member; the population is half and half.
    columns = {"role": ["student", "student", "student", "faculty"]}
    result = weighting.rake(columns, {"role": {"student": 500, "faculty": 500}})
    # Students: 0.5 / 0.75 = 2/3 each; the faculty member: 0.5 / 0.25 = 2 (mean weight 1).
    assert result.weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2], abs=1e-9)
    assert result.converged
    assert result.max_margin_error < 1e-9
    # Kish: (Σw)² / Σw² = 16 / (3 · 4/9 + 4) = 3.
    assert result.effective_sample_size == pytest.approx(3.0)
    assert result.design_effect == pytest.approx(4 / 3)


def test_two_margins_of_a_product_sample_give_product_weights_checked_by_hand():
    # Cells (student, a) = (student, b) = 3, (faculty, a) = (faculty, b) = 1: the sample's
    # role and university are independent, so raking's answer is the product of the two
    # one-margin factors: role 0.5/0.75 = 2/3 and 0.5/0.25 = 2; university 0.3/0.5 = 0.6
    # and 0.7/0.5 = 1.4.
    cells = [("student", "a")] * 3 + [("student", "b")] * 3 + [("faculty", "a"), ("faculty", "b")]
    columns = {"role": [c[0] for c in cells], "university": [c[1] for c in cells]}
    targets = {"role": {"student": 50, "faculty": 50}, "university": {"a": 30, "b": 70}}
    result = weighting.rake(columns, targets)
    expected = {
        ("student", "a"): 2 / 3 * 0.6,
        ("student", "b"): 2 / 3 * 1.4,
        ("faculty", "a"): 2 * 0.6,
        ("faculty", "b"): 2 * 1.4,
    }
    assert result.weights == pytest.approx([expected[cell] for cell in cells], abs=1e-9)


def random_sample(rng, n, sizes):
    """Respondents over dimensions with ``sizes`` categories, unevenly spread."""
    columns = {}
    for index, size in enumerate(sizes):
        probabilities = rng.dirichlet(np.ones(size) * 2)
        columns[f"d{index}"] = list(rng.choice([f"c{k}" for k in range(size)], n, p=probabilities))
    return columns


def random_targets(rng, sizes):
    return {
        f"d{index}": {f"c{k}": int(count) for k, count in enumerate(rng.integers(50, 5000, size))}
        for index, size in enumerate(sizes)
    }


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_a_direct_ipf_and_reproduces_every_margin(seed):
    rng = np.random.default_rng(seed)
    sizes = (3, 5, 2)
    columns = random_sample(rng, 1500, sizes)
    targets = random_targets(rng, sizes)
    result = weighting.rake(columns, targets)
    assert result.weights == pytest.approx(direct_ipf(columns, targets), rel=1e-6)
    shares = weighting.target_shares(targets)
    for dimension, target in shares.items():
        achieved = weighted_shares_of(columns, result.weights, dimension)
        for category, share in target.items():
            assert achieved[category] == pytest.approx(share, abs=1e-6)  # well within 0.1 pp
    assert result.converged and result.max_margin_error < 1e-4
    assert result.iterations >= 2


def test_agrees_with_the_ipfn_library_on_the_cell_table():
    rng = np.random.default_rng(42)
    sizes = (3, 4)
    columns = random_sample(rng, 2000, sizes)
    targets = random_targets(rng, sizes)
    result = weighting.rake(columns, targets)
    # ipfn fits the 3 × 4 table of respondent counts to the margins (scaled to n).
    n = len(columns["d0"])
    table = np.zeros(sizes)
    for a, b in zip(columns["d0"], columns["d1"], strict=True):
        table[int(a[1:]), int(b[1:])] += 1
    shares = weighting.target_shares(targets)
    margins = [
        np.array([shares[f"d{i}"][f"c{k}"] * n for k in range(size)])
        for i, size in enumerate(sizes)
    ]
    fitted = ipfn.ipfn(
        table.copy(), margins, [[0], [1]], convergence_rate=1e-12, max_iteration=5000
    ).iteration()
    for a, b in itertools.product(range(sizes[0]), range(sizes[1])):
        if table[a, b] == 0:
            continue
        mask = (np.asarray(columns["d0"]) == f"c{a}") & (np.asarray(columns["d1"]) == f"c{b}")
        assert result.weights[mask] == pytest.approx(fitted[a, b] / table[a, b], rel=1e-6)


def test_a_margin_category_without_respondents_is_refused():
    columns = {"role": ["student", "student"], "university": ["a", "b"]}
    targets = {"role": {"student": 80, "faculty": 20}, "university": {"a": 50, "b": 50}}
    with pytest.raises(weighting.EmptyMarginCategory) as refused:
        weighting.rake(columns, targets)
    assert refused.value.empty == [("role", "faculty")]


def test_a_category_with_no_population_needs_no_respondent():
    columns = {"role": ["student", "faculty"]}
    result = weighting.rake(columns, {"role": {"student": 80, "faculty": 20, "staff": 0}})
    assert result.weights == pytest.approx([1.6, 0.4])


def test_trimming_caps_the_weights_and_reports_the_margins_it_misses():
    rng = np.random.default_rng(7)
    # Faculty are 2% of respondents and 30% of the population: untrimmed weights reach 15.
    columns = {"role": list(rng.choice(["student", "faculty"], 1000, p=[0.98, 0.02]))}
    targets = {"role": {"student": 70, "faculty": 30}}
    untrimmed = weighting.rake(columns, targets)
    assert untrimmed.weights.max() > 10
    trimmed = weighting.rake(columns, targets, cap=3.0)
    assert trimmed.weights.max() <= 3.0 + 1e-3
    assert trimmed.trimmed and not untrimmed.trimmed
    assert trimmed.weights.mean() == pytest.approx(1.0)
    assert trimmed.max_margin_error > weighting.TOLERANCE_POINTS
    assert not trimmed.converged
    faculty_error = trimmed.margin_errors["role"]["faculty"]
    assert faculty_error < 0  # faculty stay under-represented when their weight is held back
    assert trimmed.max_margin_error == pytest.approx(abs(faculty_error))


# ---- Simulated biased samples of a known population -----------------------------------------

ROLES = {"student": 0.75, "faculty": 0.1, "staff": 0.15}
UNIVERSITIES = {"u1": 0.4, "u2": 0.3, "u3": 0.2, "u4": 0.1}
# Who answers: students of u1 eagerly, staff and u4 hardly (a product of the two, which
# raking on the two margins can undo).
RESPONSE_ROLE = {"student": 0.30, "faculty": 0.08, "staff": 0.04}
RESPONSE_UNIVERSITY = {"u1": 1.0, "u2": 0.6, "u3": 0.4, "u4": 0.2}
# The answer depends on the stratum: P(yes) per role and university.
YES_ROLE = {"student": 0.7, "faculty": 0.3, "staff": 0.2}
YES_UNIVERSITY = {"u1": 0.15, "u2": 0.0, "u3": -0.1, "u4": -0.15}


def population(rng, size=20_000):
    roles = rng.choice(list(ROLES), size, p=list(ROLES.values()))
    universities = rng.choice(list(UNIVERSITIES), size, p=list(UNIVERSITIES.values()))
    p_yes = np.array(
        [YES_ROLE[r] + YES_UNIVERSITY[u] for r, u in zip(roles, universities, strict=True)]
    )
    yes = rng.random(size) < p_yes
    return roles, universities, yes


def linearised_se(weights, y, estimate, columns):
    """The standard error of a raked proportion by linearisation (Deville & Särndal 1992):
    the residuals of y on the margins' dummies, weighted, stand in for y − p̂."""
    dummies = [np.ones(len(y))]
    for values in columns.values():
        values = np.asarray(values, dtype=object)
        dummies += [(values == category).astype(float) for category in sorted(set(values))[1:]]
    design = np.column_stack(dummies)
    root = np.sqrt(weights)
    beta = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]
    residuals = y - design @ beta
    return float(np.sqrt((weights**2 * residuals**2).sum()) / weights.sum())


def test_weighted_shares_recover_the_population_on_biased_samples():
    """150 surveys of one population with stratum-dependent non-response: weighted
    estimates are (nearly) unbiased where unweighted ones are far off, and their 95%
    intervals cover the population's true share about 95% of the time."""
    rng = np.random.default_rng(2026)
    roles, universities, yes = population(rng, size=8000)
    truth = yes.mean()
    targets = {
        "role": {r: int((roles == r).sum()) for r in ROLES},
        "university": {u: int((universities == u).sum()) for u in UNIVERSITIES},
    }
    propensity = np.array(
        [
            RESPONSE_ROLE[r] * RESPONSE_UNIVERSITY[u]
            for r, u in zip(roles, universities, strict=True)
        ]
    )
    weighted_errors, unweighted_errors, covered = [], [], 0
    runs = 150
    for _ in range(runs):
        answered = rng.random(len(roles)) < propensity
        columns = {"role": list(roles[answered]), "university": list(universities[answered])}
        y = yes[answered].astype(float)
        result = weighting.rake(columns, targets)
        weights = result.weights
        for dimension, target in weighting.target_shares(targets).items():
            achieved = weighted_shares_of(columns, weights, dimension)
            assert max(abs(achieved[c] - share) for c, share in target.items()) < 1e-3
        estimate = float((weights * y).sum() / weights.sum())
        covered += abs(estimate - truth) <= 1.96 * linearised_se(weights, y, estimate, columns)
        weighted_errors.append(estimate - truth)
        unweighted_errors.append(y.mean() - truth)
    weighted_bias = abs(np.mean(weighted_errors))
    unweighted_bias = abs(np.mean(unweighted_errors))
    assert unweighted_bias > 0.05  # the sample is visibly biased
    assert weighted_bias < 0.01
    assert weighted_bias < unweighted_bias / 10
    assert 0.90 <= covered / runs <= 0.99
