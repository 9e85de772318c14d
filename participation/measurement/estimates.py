"""Weighted estimates with their uncertainty: pure functions over arrays.

Every estimate here is a ratio mean, ȳ_w = Σ_d w·y / Σ_d w over the respondents ``d`` who
answered the question (a *domain* of the weighted sample): a proportion when ``y`` is 0/1
(a choice, a scale point), a mean when ``y`` is the answer (Likert, rating, number).

**Variance** (docs/measurement.md gives the references):

* Taylor linearisation of the ratio (Woodruff 1971): its influence values are
  ``u_i = d_i (y_i − ȳ_w) / Σ_d w``, zero outside the domain, so a domain keeps the whole
  sample in its variance.
* Raking is calibration: the raked estimator is asymptotically the GREG estimator on the
  margins' indicator variables (Deville & Särndal 1992, Result 5), whose variance is that of
  the *residuals* of ``u`` on those variables (weighted least squares, weights ``w``). So
  ``u`` is replaced by ``e = u − X·B̂``. This is what makes the interval aware of raking: a
  margin that predicts the answer lowers the variance, instead of the weights being treated
  as fixed numbers that only add variance.
* The respondents are taken as a with-replacement sample (the standard approximation for a
  single-stage design without finite population correction; Wolter 2007):
  ``v̂ = n/(n−1) · Σ_i (z_i − z̄)²`` with ``z_i = w_i e_i`` over the ``n`` weighted
  respondents.

**Intervals** (95%): a proportion gets the Wilson score interval at its effective sample
size ``n* = p̂(1−p̂)/v̂`` (Kish 1965; Korn & Graubard 1998; the "modified Wilson" interval
that Franco et al. 2019 find keeps its coverage in complex samples), which stays inside 0–1
and is sensible near 0 and 1; when ``v̂ = 0`` (everyone or no one chose it, or the margins
explain the answer entirely) there is no design effect and ``n*`` is Kish's effective
sample size of the domain's weights. A mean gets ``ȳ_w ± t_{0.975, n_d−1}·SE``.

**Design effect** is the variance ratio (Kish 1965): ``v̂`` over the variance a simple random
sample of the same ``n_d`` respondents would have, ``σ̂²_w / n_d`` with ``σ̂²_w`` the weighted
variance of ``y`` (``p̂(1−p̂)`` for a proportion). The **effective sample size** is
``n_d / deff``. Unweighted figures are the same formulas with every weight 1 and no margins
(which give the textbook ``s²/n``).
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
Z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
# A variance below this fraction of the simple-random-sample one is rounding error: 0.
RELATIVE_ZERO = 1e-12


class Calibration:
    """The weighted sample and the margins it was raked to, ready to take residuals.

    Args:
        weights: the respondents' weights (all positive).
        columns: ``{dimension: [category of each respondent]}``, the raking margins'
            variables, or ``None`` when the weights were not calibrated (nothing is projected).
    """

    def __init__(self, weights, columns=None):
        self.weights = np.asarray(weights, dtype=float)
        self.n = len(self.weights)
        self._design = None
        if columns:
            # The intercept and each margin's categories but its first (reference coding).
            dummies = [np.ones((self.n, 1))]
            for values in columns.values():
                codes = np.unique(np.asarray(values, dtype=object), return_inverse=True)[1]
                dummies.append(np.eye(codes.max() + 1)[codes][:, 1:])
            self._design = np.hstack(dummies)
            # A generalised inverse of X'WX, in case the margins are collinear (a university
            # with students only): the projection X (X'WX)⁻ X'W does not depend on which
            # inverse is taken, as long as rounding is not taken for a direction.
            gram = self._design.T @ (self._design * self.weights[:, None])
            self._inverse = np.linalg.pinv(gram, rtol=1e-10)

    def residuals(self, values):
        """Residuals of ``values`` (n × k) on the margins, by weighted least squares."""
        if self._design is None:
            return values
        coefficients = self._inverse @ (self._design.T @ (values * self.weights[:, None]))
        return values - self._design @ coefficients

    def estimate(self, values, domain):
        """Ratio means and their linearised standard errors.

        Args:
            values: n × k array of ``y`` (anything outside the domain is ignored).
            domain: n booleans, the respondents who answered the question.

        Returns:
            tuple: (estimates, standard errors), each of length k (NaN if the domain is empty).
        """
        values = np.where(np.asarray(domain)[:, None], np.asarray(values, dtype=float), 0.0)
        inside = np.asarray(domain, dtype=float)
        domain_weights = self.weights * inside
        total = domain_weights.sum()
        if not total:
            nan = np.full(values.shape[1], np.nan)
            return nan, nan
        estimates = domain_weights @ values / total
        influence = inside[:, None] * (values - estimates) / total
        scores = self.weights[:, None] * self.residuals(influence)
        centred = scores - scores.mean(axis=0)
        factor = self.n / (self.n - 1) if self.n > 1 else np.nan
        variance = factor * (centred**2).sum(axis=0)
        return estimates, np.sqrt(variance)


def kish_effective_size(weights):
    """Kish's effective sample size of weights, (Σw)² / Σw²."""
    weights = np.asarray(weights, dtype=float)
    squares = float((weights**2).sum())
    return float(weights.sum()) ** 2 / squares if squares else 0.0


def wilson(p, n):
    """The Wilson score interval of a proportion ``p`` at (effective) sample size ``n``."""
    if not n or n != n:
        return (np.nan, np.nan)
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z / (1 + z2 / n) * np.sqrt(max(p * (1 - p), 0.0) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def t_interval(mean, se, df):
    """``mean ± t_{0.975, df}·se``."""
    if se != se or df < 1:
        return (np.nan, np.nan)
    quantile = float(stats.t.ppf(0.5 + CONFIDENCE / 2, df))
    return (mean - quantile * se, mean + quantile * se)


@dataclass
class Estimate:
    """One proportion or mean, weighted and unweighted, with its uncertainty.

    Proportions are 0–1. ``weighted`` and what follows it are ``None`` when there is no
    weighted respondent in the domain.
    """

    respondents: int  # n: respondents of the question (unweighted base)
    count: int | None  # proportions: respondents with the attribute; None for a mean
    unweighted: float
    unweighted_low: float
    unweighted_high: float
    weighted_respondents: int = 0
    weighted: float | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None
    deff: float | None = None
    effective_size: float | None = None


def _srs(values, proportion):
    """Unweighted estimate and interval of one column (respondents of the question only)."""
    n = len(values)
    mean = float(values.mean())
    if proportion:
        return mean, *wilson(mean, n)
    se = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    return mean, *t_interval(mean, se, n - 1)


def estimate_columns(values, answered, weighted, calibration, *, proportion):
    """:class:`Estimate` of each column of ``values`` for one question.

    Args:
        values: N × k array over the question's respondent list (every counted response).
        answered: N booleans: answered the question.
        weighted: N booleans: has a weight (is in the calibration's sample, in its order).
        calibration: :class:`Calibration` of the weighted respondents, or ``None``.
        proportion: the columns are 0/1 indicators (else answers to average).
    """
    values = np.asarray(values, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    weighted = np.asarray(weighted, dtype=bool)
    base = values[answered]
    n = int(answered.sum())
    results = []
    if calibration is not None and weighted.any():
        domain = answered[weighted]
        estimates, errors = calibration.estimate(values[weighted], domain)
        domain_weights = calibration.weights[domain]
        n_d = int(domain.sum())
        kish = kish_effective_size(domain_weights)
        spread = (
            domain_weights @ (values[weighted][domain] - estimates) ** 2 / domain_weights.sum()
            if n_d
            else np.full(values.shape[1], np.nan)
        )
    for column in range(values.shape[1]):
        unweighted = _srs(base[:, column], proportion) if n else (np.nan, np.nan, np.nan)
        estimate = Estimate(
            respondents=n,
            count=int(base[:, column].sum()) if proportion else None,
            unweighted=unweighted[0],
            unweighted_low=unweighted[1],
            unweighted_high=unweighted[2],
        )
        if calibration is not None and weighted.any() and n_d:
            value, se, variance = float(estimates[column]), float(errors[column]), spread[column]
            srs_variance = variance / n_d
            # A variance that is 0 up to rounding (the margins explain the answer, or all
            # gave the same) has no design effect; its interval uses the weights' Kish size.
            degenerate = not srs_variance > 0 or se * se <= RELATIVE_ZERO * srs_variance
            deff = None if degenerate else se * se / srs_variance
            effective = kish if degenerate else n_d / deff
            if proportion:
                low, high = wilson(value, effective)
            else:
                low, high = t_interval(value, se, n_d - 1)
            estimate.weighted_respondents = n_d
            estimate.weighted, estimate.se = value, se
            estimate.low, estimate.high = low, high
            estimate.deff, estimate.effective_size = deff, effective
        results.append(estimate)
    return results
