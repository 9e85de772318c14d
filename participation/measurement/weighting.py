"""Raking weights to a population frame's margins: pure functions over arrays.

Raking (iterative proportional fitting, RIM weighting) adjusts each respondent's weight so
that the weighted sample matches the population's distribution on every chosen dimension
at once (Deming & Stephan 1940). It is done by weightipy's RIM engine (docs/measurement.md
says why that library); this module prepares its input, refuses what it cannot do
honestly, and reports how well the margins were met.

* A category with people in the population but no respondent cannot be weighted up from
  nothing: :class:`EmptyMarginCategory` is raised, naming every such category.
* Weights are trimmed at ``cap`` times the mean weight (weightipy clips and renormalises
  inside each iteration), so one respondent never speaks for more than ``cap`` average
  ones; trimming may leave the margins slightly off, which the report shows.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import weightipy

DEFAULT_MAX_ITERATIONS = 1000
# The margins count as met when every weighted share is within this of its target.
TOLERANCE_POINTS = 0.1


class EmptyMarginCategory(ValueError):
    """Categories of the margins with people in the population and no respondent.

    ``empty`` lists ``(dimension, category)`` pairs.
    """

    def __init__(self, empty):
        super().__init__(", ".join(f"{dimension}={category}" for dimension, category in empty))
        self.empty = empty


@dataclass
class RakeResult:
    """Weights (mean 1, in the respondents' order) and how raking went."""

    weights: np.ndarray
    iterations: int
    max_margin_error: float  # percentage points, over every category of every margin
    converged: bool
    trimmed: bool
    cap: float | None
    margin_errors: dict = field(default_factory=dict)  # {dimension: {category: points}}

    @property
    def effective_sample_size(self):
        """Kish's effective sample size, (Σw)² / Σw²."""
        total = float(self.weights.sum())
        squares = float((self.weights**2).sum())
        return total * total / squares if squares else 0.0

    @property
    def design_effect(self):
        """Kish's design effect due to weighting, n / n_eff (1 + CV² of the weights)."""
        ess = self.effective_sample_size
        return len(self.weights) / ess if ess else 0.0


def target_shares(targets):
    """``{dimension: {category: share 0–1}}`` of population counts, zero categories dropped."""
    shares = {}
    for dimension, counts in targets.items():
        positive = {category: count for category, count in counts.items() if count > 0}
        total = sum(positive.values())
        if not total:
            raise ValueError(f"margin {dimension!r} has no population")
        shares[dimension] = {category: count / total for category, count in positive.items()}
    return shares


def _factorized(columns):
    """``{dimension: (codes, categories)}``: each respondent's category as an integer."""
    return {
        dimension: pd.factorize(np.asarray(values, dtype=object))
        for dimension, values in columns.items()
    }


def empty_categories(columns, targets, factorized=None):
    """``(dimension, category)`` pairs with population and no respondent, in order."""
    factorized = factorized or _factorized(columns)
    empty = []
    for dimension, counts in targets.items():
        present = set(factorized[dimension][1])
        empty += [
            (dimension, category)
            for category, count in counts.items()
            if count > 0 and category not in present
        ]
    return empty


def margin_errors(columns, weights, shares, factorized=None):
    """``{dimension: {category: weighted share − target share}}`` in percentage points."""
    factorized = factorized or _factorized(columns)
    total = float(weights.sum())
    errors = {}
    for dimension, target in shares.items():
        codes, categories = factorized[dimension]
        sums = np.bincount(codes, weights=weights, minlength=len(categories))
        achieved = dict(zip(categories, sums, strict=True))
        errors[dimension] = {
            category: 100.0 * (float(achieved.get(category, 0.0)) / total - share)
            for category, share in target.items()
        }
    return errors


def rake(columns, targets, *, cap=None, max_iterations=DEFAULT_MAX_ITERATIONS):
    """Raking weights for respondents described by ``columns`` to the margins ``targets``.

    Args:
        columns: ``{dimension: [category of each respondent]}``, all of the same length;
            every category must be one of ``targets[dimension]`` with a positive count.
        targets: ``{dimension: {category: population count}}``.
        cap: the largest weight, as a multiple of the mean weight (``None``: no trimming).
        max_iterations: raking's iteration limit.

    Returns:
        RakeResult: weights with mean 1, and the convergence report.

    Raises:
        EmptyMarginCategory: a category with population has no respondent.
        ValueError: no respondents, or a respondent in a category outside the margins.
    """
    shares = target_shares(targets)
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1 or not lengths.pop():
        raise ValueError("columns must be non-empty and of one length")
    factorized = _factorized(columns)
    empty = empty_categories(columns, targets, factorized)
    if empty:
        raise EmptyMarginCategory(empty)
    for dimension, (_codes, categories) in factorized.items():
        outside = set(categories) - set(shares[dimension])
        if outside:
            raise ValueError(f"respondents outside the margin {dimension!r}: {sorted(outside)}")
    frame = pd.DataFrame(
        {
            dimension: pd.Categorical.from_codes(codes, categories=categories)
            for dimension, (codes, categories) in factorized.items()
        }
    )
    scheme = weightipy.scheme_from_dict(
        {
            dimension: {category: 100.0 * share for category, share in target.items()}
            for dimension, target in shares.items()
        }
    )
    scheme.max_iterations = max_iterations
    if cap:
        scheme.cap = float(cap)
    weights = weightipy.weight(frame, scheme).to_numpy(dtype=float)
    weights = weights / weights.mean()
    iterations = max((group.get("iterations") or 0 for group in scheme.groups.values()), default=0)
    errors = margin_errors(columns, weights, shares, factorized)
    largest = max(abs(error) for margin in errors.values() for error in margin.values())
    return RakeResult(
        weights=weights,
        iterations=int(iterations),
        max_margin_error=largest,
        converged=largest <= TOLERANCE_POINTS,
        trimmed=bool(cap) and float(weights.max()) >= float(cap) - 1e-3,
        cap=float(cap) if cap else None,
        margin_errors=errors,
    )
