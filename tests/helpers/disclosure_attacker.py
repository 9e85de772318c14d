"""The attacker of the disclosure tests: bounds hidden counts from published figures by linear
programming (:func:`scipy.optimize.linprog`)."""

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 5


def feasible_ranges(values, lines, hidden, targets, extra=()):
    """``{key: (low, high)}`` of each target from the published figures, by linear programming.

    Args:
        values: every count, hidden or not (only the published ones are used as numbers).
        lines: ``[(total, [members])]`` equations.
        hidden: the keys the public does not see (the variables).
        targets: the hidden keys to bound.
        extra: more equations ``({key: coefficient}, right-hand side)`` over all keys, such
            as a published mean.
    """
    variables = sorted(hidden, key=repr)
    index = {key: position for position, key in enumerate(variables)}
    rows, rhs = [], []

    def add(coefficients, constant):
        row = np.zeros(len(variables))
        for key, coefficient in coefficients.items():
            if key in index:
                row[index[key]] += coefficient
            else:
                constant -= coefficient * values[key]
        if row.any():
            rows.append(row)
            rhs.append(constant)

    for total, members in lines:
        coefficients = _sum_of(members)
        coefficients[total] = coefficients.get(total, 0) - 1
        add(coefficients, 0)
    for coefficients, constant in extra:
        add(coefficients, constant)
    ranges = {}
    for key in targets:
        objective = np.zeros(len(variables))
        objective[index[key]] = 1
        bounds = {
            "A_eq": np.array(rows) if rows else None,
            "b_eq": np.array(rhs) if rows else None,
            "bounds": [(0, None)] * len(variables),
            "method": "highs",
        }
        low = linprog(objective, **bounds)
        high = linprog(-objective, **bounds)
        assert low.status == 0, low.message
        assert high.status in (0, 3), high.message  # 3: unbounded above.
        ranges[key] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return ranges


def _sum_of(members):
    coefficients = {}
    for member in members:
        coefficients[member] = coefficients.get(member, 0) + 1
    return coefficients


def narrow(ranges, threshold=THRESHOLD):
    """The hidden counts whose feasible range is narrower than the threshold."""
    return {key: bounds for key, bounds in ranges.items() if bounds[1] - bounds[0] < threshold}


def show_if_lines(follow_up, parent, indices, segments):
    """The equations a show-if condition gives the attacker: in every segment, a required
    follow-up's respondents are the parent's counts of the answers that show it, summed
    (an optional one's are at most that: the equation is the stronger attacker)."""
    return [
        ((follow_up, segment, "n"), [(parent, segment, index) for index in indices])
        for segment in segments
    ]
