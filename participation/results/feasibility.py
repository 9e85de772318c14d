"""How far a hidden count can move, given everything published: the disclosure step's last check.

The line-by-line rule of :func:`.disclosure.suppress` is a heuristic: it protects each line
on its own, but the lines of a question share their counts, and a count it relied on to
hide a small one can be fixed by another line (an option's row with one hidden cell gives
it exactly; then the column it shares gives the small one's neighbour). So the rule's
result is audited as the attacker would: every hidden count is a variable, every line an
equation, counts are non-negative, and linear programming (HiGHS, through ``highspy``)
finds how far each small hidden count can move. Where that range is narrower than the
threshold, one more count of its lines is hidden and the check repeats: hiding more only
widens ranges, so this ends. Most counts are shown to move far enough all at once (one
program maximising their sum, each capped at its goal); the rest are asked one by one.

Statistical offices audit suppression the same way (τ-ARGUS's "audit", Hundepool et al.,
*Statistical Disclosure Control*, 2012, §5.5); ``tests/helpers/disclosure_attacker.py``
is a second, independent attacker the tests run against the result.
"""

import functools
import hashlib
import hmac
import logging
import math
from collections import defaultdict

import highspy
import numpy as np
from django.conf import settings
from django.core.cache import cache
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_array

logger = logging.getLogger(__name__)

# A hidden count must be able to move by the threshold; a little less than that is
# floating-point noise of the solver, not a narrower range.
TOLERANCE = 1e-6


def widen(values, lines, hidden, threshold, shown=(), same=(), unpublished=(), guarded=()):
    """Hide more counts until every small hidden count can move by at least ``threshold``.

    Args:
        values: ``{key: count}`` of every count published or derivable.
        lines: ``[(total key, [member keys])]``, each saying total = Σ members.
        hidden: the keys hidden so far (not changed).
        threshold: the suppression threshold.
        shown: keys that are published whatever happens (never hidden here).
        same: groups of keys the public knows to be one number (a segment's respondents
            in questions the same people answered): one shown shows them all, so they
            are hidden together.
        unpublished: keys that are never published but enter the equations (the picks of
            a multiple-choice column, respondents × the number each must pick).
        guarded: those of ``unpublished`` that count people and must not be pinned either
            (how many did not pick an option: 3 of 60 not picking A of "exactly two of
            three" answered exactly B and C).

    Returns:
        set: ``hidden`` and the counts hidden in addition.

    Each group of lines that share no count is checked on its own (a question with its
    follow-ups, when no respondents join it to others): the programs stay small.
    """
    unpublished = set(unpublished)
    guarded = set(guarded)
    hidden = set(hidden) | unpublished
    shown = set(shown)
    lines = list(lines) + [(group[0], [key]) for group in same for key in group[1:]]
    together = {key: group for group in same for key in group}
    lines_of = defaultdict(list)
    for line in lines:
        for key in (line[0], *line[1]):
            lines_of[key].append(line)
    for group in _connected(lines, lines_of):
        targets = {
            key
            for key in group
            if key in hidden
            and (key not in unpublished or key in guarded)
            and 0 < values[key] < threshold
        }
        if not targets:
            continue
        try:
            _widen_group(group, targets, values, lines_of, hidden, threshold, shown, together)
        except Infeasible:
            # The equations contradict the counts: a bug in what they say, never a reason to
            # publish. Everything of these questions that may be hidden is.
            logger.exception("disclosure audit: equations contradict the counts")
            hidden.update(key for key in group if key not in shown)
    return hidden - unpublished


class Infeasible(Exception):
    """The equations have no solution, not even the true counts."""


def _widen_group(group, targets, values, lines_of, hidden, threshold, shown, together):
    problem = _Problem(values, group, lines_of, hidden)
    # Most counts can grow by the threshold together: one program shows it for many.
    while targets:
        grown = problem.reaching({key: values[key] + threshold for key in targets})
        if not grown:
            break
        targets -= grown
    for key in sorted(targets, key=repr):
        while True:
            problem = problem or _Problem(values, group, lines_of, hidden)
            if problem.moves_enough(key, values[key], threshold):
                break
            extra = _next_to_hide(key, values, lines_of, hidden, shown)
            if extra is None:
                break  # Nothing left to hide near it: every neighbour is published anyway.
            hidden.update(together.get(extra, [extra]))
            problem = None


def _connected(lines, lines_of):
    """The keys of each group of lines joined by shared keys."""
    seen, groups = set(), []
    for total, _members in lines:
        if total in seen:
            continue
        group, stack = set(), [total]
        while stack:
            key = stack.pop()
            if key in group:
                continue
            group.add(key)
            for line_total, members in lines_of[key]:
                stack.extend(k for k in (line_total, *members) if k not in group)
        seen |= group
        groups.append(group)
    return groups


def secret_rank(key):
    """A count's place in the order complements are chosen in: fixed for a count, unknown to
    anyone without the site's secret key.

    Chosen by size (the smallest visible count next), the hidden cells told an attacker who
    knows the rule that they were no larger than those left shown: (0, hidden, hidden, 7,
    hidden) of 25 could only be 0, 7, 7, 7, 4 (attacker13).
    """
    message = f"hadaf.disclosure.complement:{key!r}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def _next_to_hide(key, values, lines_of, hidden, shown):
    """A published count sharing a line with ``key``, else with a hidden count of those
    lines: hiding it gives ``key`` room to move. Non-zero counts first (a zero moves only
    upward), then in the secret order complements are chosen in, never by size (a rule that
    hides the smallest tells that the hidden are no larger than the shown: attacker13)."""
    frontier = [key]
    seen = {key}
    for _depth in range(3):
        candidates = set()
        for near in frontier:
            for total, members in lines_of[near]:
                candidates.update(
                    k for k in (total, *members) if k not in hidden and k not in shown
                )
        if candidates:
            return min(candidates, key=lambda k: (values[k] == 0, secret_rank(k)))
        frontier = [
            k
            for near in frontier
            for total, members in lines_of[near]
            for k in (total, *members)
            if k in hidden and k not in seen
        ]
        seen.update(frontier)
    return None


class _Problem:
    """The attacker's equations over the hidden counts of one group, kept in one HiGHS model:
    each question changes only the objective, so the solver starts from its last answer."""

    def __init__(self, values, group, lines_of, hidden):
        keys = sorted((key for key in group if key in hidden), key=repr)
        self.variables = {key: position for position, key in enumerate(keys)}
        lines = {id(line): line for key in group for line in lines_of[key]}
        rows, columns, data, rhs = [], [], [], []
        for total, members in lines.values():
            terms = defaultdict(int)
            for member in members:
                terms[member] += 1
            terms[total] -= 1
            self._add(terms, values, rows, columns, data, rhs)
        matrix = csc_array((data, (rows, columns)), shape=(len(rhs), len(keys)))
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = len(keys), len(rhs)
        model.col_cost_ = np.zeros(len(keys))
        model.col_lower_ = np.zeros(len(keys))
        model.col_upper_ = np.full(len(keys), highspy.kHighsInf)
        model.row_lower_ = model.row_upper_ = np.array(rhs, dtype=float)
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr
        model.a_matrix_.index_ = matrix.indices
        model.a_matrix_.value_ = matrix.data.astype(float)
        self.solver = highspy.Highs()
        self.solver.setOptionValue("output_flag", False)
        self.solver.setOptionValue("presolve", "off")  # Keeps the last basis: a warm start.
        self.solver.passModel(model)
        self.objective = None  # The variable whose cost is set.

    def _add(self, terms, values, rows, columns, data, rhs):
        constant = 0
        row = len(rhs)
        used = False
        for key, coefficient in terms.items():
            if not coefficient:
                continue
            if key in self.variables:
                rows.append(row)
                columns.append(self.variables[key])
                data.append(coefficient)
                used = True
            else:
                constant -= coefficient * values[key]
        if used:
            rhs.append(constant)

    def reaching(self, goals):
        """The keys of ``goals`` (``{key: value}``) that reach their value at one feasible
        point: the one maximising their sum, each capped at its goal (a feasible point of
        the capped program is one of the real program)."""
        columns = {key: self.variables[key] for key in goals}
        self._clear_objective()
        for key, column in columns.items():
            self.solver.changeColBounds(column, 0, goals[key])
            self.solver.changeColCost(column, -1)
        self.solver.run()
        status = self.solver.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            raise Infeasible(self.solver.modelStatusToString(status))
        optimal = status == highspy.HighsModelStatus.kOptimal
        point = self.solver.getSolution().col_value if optimal else None
        for column in columns.values():
            self.solver.changeColBounds(column, 0, highspy.kHighsInf)
            self.solver.changeColCost(column, 0)
        if point is None:
            return set()
        return {key for key, column in columns.items() if point[column] >= goals[key] - TOLERANCE}

    def _clear_objective(self):
        if self.objective is not None:
            self.solver.changeColCost(self.objective, 0)
            self.objective = None

    def moves_enough(self, key, value, threshold):
        """Whether a hidden count can take two values at least ``threshold`` apart. Its true
        value is feasible, so reaching ``value + threshold`` settles it with one program;
        the lowest value is asked for only when not."""
        highest = self._extreme(key, -1)
        if highest is None or highest >= value + threshold - TOLERANCE:
            return True  # The lowest is at most the true value.
        return highest - self._extreme(key, 1) >= threshold - TOLERANCE

    def _extreme(self, key, sign):
        """The lowest (``sign`` 1) or highest (-1) value of ``key``; ``None`` if unbounded."""
        column = self.variables[key]
        self._clear_objective()
        self.solver.changeColCost(column, sign)
        self.objective = column
        self.solver.run()
        status = self.solver.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise Infeasible(self.solver.modelStatusToString(status))
        return sign * self.solver.getInfo().objective_function_value


# ---- A number question's summary -----------------------------------------------------------

# Whole-number answers between known bounds are every integer of the range to the attacker;
# beyond this many, the answers given and the bounds stand for them (fewer points only
# narrow what the attacker could believe: the check then errs towards withholding).
WHOLE_RANGE_LIMIT = 2000
SUMMARY_CACHE_SECONDS = 24 * 60 * 60


def summary_pins_a_count(distribution, threshold, *, low=None, high=None, whole_numbers=False):
    """Whether a number question's published mean and low median, beside how many answered,
    fix how many gave some answer to a range narrower than ``threshold``.

    A number question publishes no distribution, but its respondents *n*, its mean (so the
    sum Σ v·n_v) and its low median (so how many answered below it and at most it) are
    equations over the counts of the answers it allows. 68 answers of 0–2 with a mean of
    0.09 said the sum is 6: the 2s were 0 to 3 people, at most 1 once the median was read
    (attacker8). The attacker's integer program over the counts of every allowed answer
    (whole numbers within known bounds; otherwise the answers given, the bounds, and points
    far enough out to stand for the open ends) gives each answer's range, in whole people
    (27 answers of 0–2 summing to 33 have an odd number of 1s: 1, 3 or 5; attacker9); any
    answer given by a few whose range is narrower than the threshold withholds the summary.
    The tests' attacker counts in whole numbers, every
    counting tried (``tests/participation/results/test_number_summary_audit.py``).

    Args:
        distribution: ``{value: count}`` of the answers given.
        threshold: the suppression threshold.
        low, high: the question's bounds (``None`` when open).
        whole_numbers: whether the question takes only whole numbers.
    """
    small = [value for value, count in distribution.items() if 0 < count < threshold]
    if not small:
        return False
    arguments = (
        tuple(sorted(distribution.items())),
        tuple(_answer_points(distribution, low, high, whole_numbers)),
        tuple(sorted(small)),
        threshold,
    )
    # Integer programs take a while (a second for fifteen wide columns): once per figures,
    # shared by the workers (the snapshot's figures change only in batches).
    key = "hadaf:summary-pins:" + hashlib.sha256(repr(arguments).encode()).hexdigest()
    pinned = cache.get(key)
    if pinned is None:
        pinned = _pins(*arguments)
        cache.set(key, pinned, SUMMARY_CACHE_SECONDS)
    return pinned


def _answer_points(distribution, low, high, whole_numbers):
    """The answers the attacker must reckon with (see :func:`summary_pins_a_count`)."""
    given = sorted(distribution)
    respondents = sum(distribution.values())
    total = sum(value * count for value, count in distribution.items())
    # An answer kept from before the question took only whole numbers is one the attacker
    # must reckon with too: the grid then is no longer every answer.
    if whole_numbers and all(float(value).is_integer() for value in given):
        # One answer can be at most what the sum leaves when all others are at the bottom.
        if low is not None:
            top = total - (respondents - 1) * math.ceil(low)
            high = top if high is None else min(math.floor(high), top)
        if high is not None:
            bottom = total - (respondents - 1) * math.floor(high)
            low = bottom if low is None else max(math.ceil(low), bottom)
        if low is not None and high is not None and high - low <= WHOLE_RANGE_LIMIT:
            return range(int(low), int(high) + 1)
    spread = (given[-1] - given[0] + 1) * respondents
    ends = [given[0] - spread if low is None else low, given[-1] + spread if high is None else high]
    return sorted(set(given) | set(ends))


@functools.lru_cache(maxsize=1024)
def _pins(distribution, points, small, threshold):
    counts = dict(distribution)
    respondents = sum(counts.values())
    total = sum(value * count for value, count in counts.items())
    median = _low_median(distribution, respondents)
    below = (respondents - 1) // 2  # At most this many answered below the low median.
    values = np.array(points, dtype=float)
    equations = {
        "A_eq": np.array([np.ones(len(points)), values]),
        "b_eq": [respondents, total],
        # Fewer than half below the median, more than half at most it.
        "A_ub": np.array([(values < median).astype(float), -(values <= median).astype(float)]),
        "b_ub": [below, -(below + 1)],
    }
    position = {value: index for index, value in enumerate(points)}

    constraints = [
        LinearConstraint(equations["A_eq"], equations["b_eq"], equations["b_eq"]),
        LinearConstraint(equations["A_ub"], -np.inf, equations["b_ub"]),
    ]
    whole = np.ones(len(points))  # People are counted in whole numbers (attacker9's parity).

    def solve(cost, upper):
        result = milp(cost, constraints=constraints, integrality=whole, bounds=Bounds(0, upper))
        return result.x if result.success else None

    # Most answers could have been given by a threshold more people, all at once: one
    # program, each capped there, shows it for many (as :meth:`_Problem.reaching`).
    upper = np.full(len(points), float(respondents))
    cost = np.zeros(len(points))
    for value in small:
        upper[position[value]] = counts[value] + threshold
        cost[position[value]] = -1
    point = solve(cost, upper)
    if point is None:
        return True  # Not even the true counts solve it: withhold, never guess.
    full = np.full(len(points), float(respondents))
    for value in small:
        column = position[value]
        if point[column] >= counts[value] + threshold - TOLERANCE:
            continue
        cost = np.zeros(len(points))
        cost[column] = 1
        most, fewest = solve(-cost, full), solve(cost, full)
        if most is None or fewest is None or most[column] - fewest[column] < threshold - TOLERANCE:
            return True
    return False


def _low_median(distribution, respondents):
    seen = 0
    for value, count in distribution:
        seen += count
        if seen > (respondents - 1) // 2:
            return value
    raise ValueError("an empty distribution has no median")
