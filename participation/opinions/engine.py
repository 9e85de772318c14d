"""The opinion-map engine: Pol.is's method on a participant × item vote matrix.

Pure computation (numpy, scipy, scikit-learn), no Django: the statements block, a survey's
Likert items and a draft's clause stances all reduce to one vote matrix, and this module
turns it into an :class:`OpinionMap` (projection, opinion groups, what each group thinks,
what everybody shares, what divides them).

Vote encoding (``votes[participant, item]``)
    ``1`` agree, ``-1`` disagree, ``0`` pass (seen, no opinion), ``NaN`` unseen.
    Pol.is's own database stores agree as -1; its CSV exports, and this module, use +1. The
    maths below is symmetric under that flip (PCA signs, k-means distances), so nothing else
    changes.
    A ``scipy.sparse`` matrix is accepted too: every *stored* entry is a vote (an explicit
    stored 0 is a pass) and every absent entry is unseen. Build it from (participant, item,
    vote) triples with :func:`votes_from_triples`, or ``coo_array((votes, (rows, cols)))``,
    and never call ``eliminate_zeros()`` on it.

Row order matters
    Pol.is seeds k-means with the first distinct points in the order participants joined
    its matrix (first vote first). Pass rows in that order: by first vote for Hadaf's own
    statements, by participant id for a Pol.is export (Pol.is numbers participants as they
    join, see ``polis_export``).

Follows compdemocracy/polis ``math/src/polismath/math/`` — ``conversation.clj``
(``small-conv-update-graph``), ``pca.clj``, ``clusters.clj``, ``repness.clj``,
``stats.clj``. What Pol.is carries from one update to the next — who is clustered
(``:in-conv``) and the k smoother — is the optional :class:`History` (pass the last map's
``history`` as ``previous``); k-means is not warm-started from the last clusters (see
:func:`group_clusters`). Agreement with Pol.is's own groups on real exports:
``bench/OPINIONS.md``.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_samples
from threadpoolctl import threadpool_limits

AGREE = 1.0
DISAGREE = -1.0
PASS = 0.0

# Pol.is's defaults (conversation.clj, base-conv-update-graph :opts', in-conv, max-k-fn).
MIN_VOTES = 7  # in-conv: a participant is clustered with >= min(7, n items) votes
GREEDY_N = 15  # in-conv: below 15 clusterable participants, take the top voters
BASE_K = 100  # :base-k
MAX_K = 5  # :max-k
BASE_ITERS = 100  # :base-iters
GROUP_ITERS = 20  # kmeans' :max-iters default; :group-iters is passed as :cluster-iters, unused
PICK_MAX = 5  # select-rep-comments and select-consensus-comments take 5
GROUP_K_BUFFER = 4  # :group-k-buffer: a new best k must come up 4 updates in a row
# Ours: group k-means also runs from 10 k-means++ seeds, standing in for the history
# Pol.is's warm-started clusters carry (see group_clusters).
GROUP_RESTARTS = 10

# stats.clj: one-sided z thresholds.
Z_90 = 1.2816
Z_95 = 1.6449


# --- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepresentativeItem:
    """One row of Pol.is's repness for a group (``finalize-cmt-stats``).

    ``repful_for`` says whether the group stands out by agreeing or by disagreeing;
    ``p_success`` is the group's pseudo-counted probability of doing so, ``repness`` the
    ratio of that probability to the rest of the participants', and the two ``*_test``
    values are the z-statistics of ``prop-test`` and ``two-prop-test``.
    """

    item: int
    repful_for: str  # "agree" or "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False

    @property
    def significant_90(self):
        return self.p_test > Z_90 and self.repness_test > Z_90

    @property
    def significant_95(self):
        return self.p_test > Z_95 and self.repness_test > Z_95


@dataclass(frozen=True)
class ConsensusItem:
    """An item most of the participants agree (or disagree) on (``select-consensus-comments``)."""

    item: int
    direction: str  # "agree" or "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class GroupConsensusItem:
    """An item every group leans the same way on: the product over groups of their
    pseudo-counted probabilities (Pol.is's ``group-aware-consensus``)."""

    item: int
    direction: str  # "agree" or "disagree"
    consensus: float
    p_by_group: tuple[float, ...]


@dataclass(frozen=True)
class DivisiveItem:
    """An item the groups answer most differently.

    Not a Pol.is output: built from its statistics. ``spread`` is the largest gap between
    two groups' pseudo-counted probabilities of agreeing, or of disagreeing;
    ``z`` is ``two-prop-test`` between those two groups.
    """

    item: int
    direction: str  # the side whose probability differs most
    spread: float
    z: float
    p_agree_by_group: tuple[float, ...]
    p_disagree_by_group: tuple[float, ...]


@dataclass(frozen=True)
class Group:
    """One opinion group: its members (participant row indices), its centre on the map and
    the items that represent it."""

    id: int
    size: int
    participants: np.ndarray
    center: tuple[float, float]
    representative: tuple[RepresentativeItem, ...]


@dataclass(frozen=True)
class History:
    """What Pol.is carries from one update of a conversation to the next, for the next
    computation (``compute_map(..., previous=...)``): who is clustered (``:in-conv``, which
    only grows) and the k smoother (``:group-k-smoother``). Rows are participants in the
    same order as the votes the map was computed on; a later computation may add rows
    after them, never reorder them. Small enough to store beside a published map."""

    clustered: tuple[int, ...] = ()  # row indices of the participants clustered
    last_k: int | None = None  # the best k by silhouette last time
    last_k_count: int = 0  # how many updates in a row it has been the best
    smoothed_k: int | None = None  # the k the groups were made with


def smooth_k(scores, previous, buffer=GROUP_K_BUFFER):
    """``:group-k-smoother``: the best k by silhouette (ties to the larger, Clojure's
    ``max-key`` keeps the last) becomes the groups' k only once it has been the best
    ``buffer`` updates in a row; until then the previous k stays. Without a previous k (a
    first computation) the best k is taken at once, as in Pol.is. Returns
    (k, :class:`History` fields). A previous k no longer among the candidates (fewer base
    clusters) gives way to the best one: Pol.is would have no groups at all then."""
    this_k = max(scores, key=lambda k: (scores[k], k))
    count = previous.last_k_count + 1 if previous.last_k == this_k else 1
    switch = count >= buffer or previous.smoothed_k is None
    smoothed = this_k if switch else previous.smoothed_k
    chosen = smoothed if smoothed in scores else this_k
    return chosen, {"last_k": this_k, "last_k_count": count, "smoothed_k": chosen}


@dataclass
class OpinionMap:
    """Everything one computation yields.

    Per-participant data (``coordinates``, ``labels``, ``clustered``) are for internal use;
    a public layer must aggregate them.
    """

    n_participants: int
    n_items: int
    clustered: np.ndarray  # bool per participant: counted for the groups (Pol.is's in-conv)
    coordinates: np.ndarray  # (n_participants, 2), every participant projected
    labels: np.ndarray  # group id per participant, -1 when not clustered
    groups: tuple[Group, ...]
    silhouette_by_k: dict[int, float]
    consensus: tuple[ConsensusItem, ...]
    group_consensus: tuple[GroupConsensusItem, ...]
    divisive: tuple[DivisiveItem, ...]
    group_aware_consensus_agree: np.ndarray  # per item
    group_aware_consensus_disagree: np.ndarray  # per item
    item_extremity: np.ndarray  # per item, Pol.is's comment-extremity
    item_priority: np.ndarray  # per item, Pol.is's comment-priorities (vote order)
    components: np.ndarray  # (2, n_items)
    center: np.ndarray  # (n_items,)
    base_labels: np.ndarray  # base cluster per participant, -1 when not clustered
    base_centers: np.ndarray  # (n_base, 2)
    excluded_items: frozenset = field(default_factory=frozenset)
    history: History = field(default_factory=History)  # for the next computation

    @property
    def k(self):
        return len(self.groups)


def smoother_of(history):
    """The k-smoother fields of ``history`` (kept as they were when nothing was grouped)."""
    return {
        "last_k": history.last_k,
        "last_k_count": history.last_k_count,
        "smoothed_k": history.smoothed_k,
    }


# --- Input --------------------------------------------------------------------------------


def votes_from_triples(participants, items, values, shape):
    """A dense vote matrix (NaN = unseen) from (participant, item, vote) triples.

    A later triple for the same cell overwrites an earlier one: a changed vote counts once,
    as its latest value (Pol.is's ``update-nmat``).
    """
    matrix = np.full(shape, np.nan)
    matrix[np.asarray(participants), np.asarray(items)] = np.asarray(values, dtype=float)
    return matrix


def as_vote_matrix(votes):
    """The votes as a float array with NaN for unseen, whatever form they came in."""
    if sparse.issparse(votes):
        coo = sparse.coo_array(votes)
        return votes_from_triples(coo.row, coo.col, coo.data, coo.shape)
    matrix = np.array(votes, dtype=float)  # a copy: the caller's array is never changed
    if matrix.ndim != 2:
        raise ValueError("votes must be a participant × item matrix")
    voted = ~np.isnan(matrix)
    if not np.isin(matrix[voted], (AGREE, DISAGREE, PASS)).all():
        raise ValueError("votes must be 1 (agree), -1 (disagree), 0 (pass) or NaN (unseen)")
    return matrix


# --- Participants and projection (conversation.clj, pca.clj) ------------------------------


def clusterable_participants(
    vote_counts, n_items, min_votes=MIN_VOTES, greedy_n=GREEDY_N, already=()
):
    """Who Pol.is clusters (``:in-conv``): at least ``min(7, n items)`` votes, and, while that
    leaves fewer than 15 people, the most active voters on top so small conversations still
    get groups. Ties among the top voters go to whoever joined first. ``already``: rows
    clustered before (once in, always in: Pol.is's set only grows)."""
    clustered = vote_counts >= max(1, min(min_votes, n_items))
    already = np.asarray(already, dtype=int)
    clustered[already[already < len(clustered)]] = True
    missing = greedy_n - int(clustered.sum())
    if missing > 0:
        candidates = np.flatnonzero(~clustered & (vote_counts > 0))
        by_activity = candidates[np.argsort(-vote_counts[candidates], kind="stable")]
        clustered[by_activity[:missing]] = True
    return clustered


def rating_matrix(raw, excluded):
    """Pol.is's ``:rating-mat``: moderated-out or meta items become a column of passes for
    everyone (``zero-out-columns``), so they weigh nothing in the PCA yet still count as
    seen in the projection's scaling, as in Pol.is."""
    rated = raw.copy()
    rated[:, excluded] = PASS
    return rated


def column_means(rated):
    """Each item's mean over those who saw it (0 for an item nobody saw)."""
    voted = ~np.isnan(rated)
    counts = voted.sum(axis=0)
    sums = np.where(voted, rated, 0.0).sum(axis=0)
    return np.divide(sums, counts, out=np.zeros(rated.shape[1]), where=counts > 0)


def principal_components(rated, means, n_components=2):
    """The top principal components of the rating matrix with unseen cells filled by the
    item's mean (``:mat`` then ``wrapped-pca``).

    Pol.is finds them by power iteration (``powerit-pca``, 100 iterations, warm-started from
    the previous update); this takes the exact eigenvectors those iterations converge to.
    Returns (components (n_components, n_items), centre (n_items,)).
    """
    filled = np.where(np.isnan(rated), means, rated)
    center = filled.mean(axis=0)  # equals ``means``: filling with the mean keeps it
    centred = filled - center
    scatter = centred.T @ centred
    eigenvalues, eigenvectors = np.linalg.eigh(scatter)
    order = np.argsort(eigenvalues)[::-1][:n_components]
    components = eigenvectors[:, order].T
    # An eigenvector's sign is arbitrary (Pol.is's follows its random start vector) and
    # nothing downstream depends on it; fixing it keeps the coordinates reproducible.
    components = components * np.where(components.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
    if components.shape[0] < n_components:  # fewer items than components
        padding = np.zeros((n_components - components.shape[0], rated.shape[1]))
        components = np.vstack([components, padding])
    return components, center


def sparsity_aware_projection(rated, components, center):
    """Each participant's 2-D position (``sparsity-aware-project-ptpt``): the projection of
    the votes they cast only, pushed out by ``sqrt(n items / n votes)`` so that someone
    who voted little is not pulled into the middle by the items they never saw."""
    voted = ~np.isnan(rated)
    deviations = np.where(voted, rated - center, 0.0)
    projection = deviations @ components.T
    n_votes = np.maximum(voted.sum(axis=1), 1)
    return projection * np.sqrt(rated.shape[1] / n_votes)[:, None]


def item_extremity(components, center, n_matrix_items):
    """How far an item sits from the centre (``pca-project-cmnts`` then
    ``with-proj-and-extremtiy``): the projection of someone who agreed with it alone,
    scaled as ``sparsity-aware-project-ptpt`` scales one vote among ``n_matrix_items``."""
    single_vote = (AGREE - center)[None, :] * components  # (2, n_items)
    return np.linalg.norm(single_vote * np.sqrt(n_matrix_items), axis=0)


# --- Clusters (clusters.clj) --------------------------------------------------------------


def first_distinct_rows(points, k):
    """Pol.is's k-means seeds (``init-clusters``): the first k distinct points, in order."""
    _, first_index = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first_index)[:k]]


def kmeans(points, k, max_iters, *, weights=None, seed=0, restarts=0):
    """Lloyd's k-means from Pol.is's seeds (``clusters/kmeans``); returns (labels, centres)
    in seed order. A cluster left empty at the end is dropped, as ``cluster-step`` drops
    them (scikit-learn re-seeds one that empties midway, where Pol.is drops it at once).

    With ``restarts``, as many more runs start from k-means++ seeds drawn with ``seed``, and
    the clustering with the lowest (weighted) inertia wins; Pol.is's own seeds win ties.
    """
    seeds = first_distinct_rows(points, k)
    if len(seeds) == 1:
        return np.zeros(len(points), dtype=int), seeds.copy()
    options = {"max_iter": max_iters, "tol": 0.0, "algorithm": "lloyd", "random_state": seed}
    model = KMeans(len(seeds), init=seeds, n_init=1, **options).fit(points, sample_weight=weights)
    if restarts:
        other = KMeans(len(seeds), init="k-means++", n_init=restarts, **options)
        other.fit(points, sample_weight=weights)
        if other.inertia_ < model.inertia_ * (1 - 1e-9):
            model = other
    used, labels = np.unique(model.labels_, return_inverse=True)
    return labels, model.cluster_centers_[used]


def base_clusters(positions, base_k=BASE_K, seed=0):
    """Up to 100 small clusters of the clustered participants (``:base-clusters``): the
    groups are then formed from these, weighted by size, which keeps large conversations
    cheap and smooths out individuals."""
    return kmeans(positions, base_k, BASE_ITERS, seed=seed)


def max_group_count(n_base, max_k=MAX_K):
    """``max-k-fn``: at most 5 groups, and fewer for few base clusters (2 + n/12)."""
    return min(max_k, 2 + n_base // 12)


def silhouette(base_centers, labels, weights=None):
    """Mean silhouette of the base clusters' centres, each weighted by its size when
    ``weights`` are given (see :func:`group_clusters`). A clustering of singletons scores
    0, as in Pol.is."""
    n_labels = len(np.unique(labels))
    if n_labels < 2:
        return -1.0
    if n_labels >= len(labels):
        return 0.0
    scores = silhouette_samples(base_centers, labels)
    return float(np.average(scores, weights=weights))


def group_clusters(base_centers, base_sizes, max_k=MAX_K, seed=0, restarts=GROUP_RESTARTS):
    """Group the base clusters for every k in 2..max-k, keep the k whose silhouette is best
    (``:group-clusterings``, ``:group-clusterings-silhouettes``, ``:group-k-smoother``).

    Pol.is warm-starts each k's k-means from the previous update's clusters, so over a
    conversation's hundreds of updates its groups settle into a good optimum rather than
    the one its seeds happen to reach; a computation from scratch has no such history, and
    keeping the lowest-inertia run among Pol.is's seeds and ``restarts`` k-means++ seeds
    stands in for it. (On the 17 readable exports of compdemocracy/openData, run through
    ``bench/opinions_agreement.py --conversations``, the mean adjusted Rand index against
    Pol.is's groups rose from 0.54 with Pol.is's seeds alone to 0.57.)

    The silhouette counts each base cluster by its participants (``silhouette`` with the
    base clusters' sizes as weights), where Pol.is's ``clusters/silhouette`` takes the
    plain mean over base-cluster centres. With 100 base clusters of very different sizes
    the plain mean lets a handful of lone, far-out participants choose k; weighted, the
    score is the silhouette of the participants the groups are made of. On the same 17
    exports the mean adjusted Rand index rose from 0.57 to 0.59 (red-dwarf 0.4.0: 0.56),
    and on brexit-consensus from 0.27 (k = 5) to 0.65 (k = 3, red-dwarf 0.64), see
    ``bench/OPINIONS.md``.

    Which k the groups are made with is :func:`smooth_k`'s choice.
    Returns (labels per base cluster by k, silhouette by k).
    """
    candidates = range(2, max_group_count(len(base_centers), max_k) + 1)
    clusterings, scores = {}, {}
    for k in candidates:
        labels, _ = kmeans(
            base_centers, k, GROUP_ITERS, weights=base_sizes, seed=seed, restarts=restarts
        )
        clusterings[k] = labels
        scores[k] = silhouette(base_centers, labels, weights=base_sizes)
    return clusterings, scores


# --- Statistics (stats.clj, repness.clj) --------------------------------------------------


def prop_test(successes, trials):
    """``stats/prop-test``: z of a proportion against 1/2, with one pseudo-count."""
    successes, trials = successes + 1.0, trials + 1.0
    return 2.0 * np.sqrt(trials) * (successes / trials - 0.5)


def two_prop_test(successes_in, successes_out, trials_in, trials_out):
    """``stats/two-prop-test``: z of the group's proportion against the rest's, with one
    pseudo-count each (0 where the pooled proportion is 1, as Pol.is does)."""
    s_in, s_out = successes_in + 1.0, successes_out + 1.0
    n_in, n_out = trials_in + 1.0, trials_out + 1.0
    pooled = (s_in + s_out) / (n_in + n_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s_in / n_in - s_out / n_out) / spread
    return np.where(pooled >= 1.0, 0.0, z)


def vote_counts(raw, members):
    """Agree, disagree and seen counts per item among ``members`` (a boolean mask)."""
    rows = raw[members]
    return (
        (rows == AGREE).sum(axis=0),
        (rows == DISAGREE).sum(axis=0),
        (~np.isnan(rows)).sum(axis=0),
    )


@dataclass
class GroupStats:
    """``comment-stats`` and ``add-comparitive-stats`` for one group, per item: counts,
    pseudo-counted probabilities (``pa``, ``pd``), their tests against 1/2 (``pat``,
    ``pdt``), the ratios to the rest (``ra``, ``rd``) and their two-proportion tests
    (``rat``, ``rdt``)."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def group_stats(na, nd, ns, rest_na, rest_nd, rest_ns):
    """Pol.is's comparative statistics of one group against everyone else clustered."""
    return GroupStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=(1 + na) / (2 + ns),
        pd=(1 + nd) / (2 + ns),
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=((1 + na) / (2 + ns)) / ((1 + rest_na) / (2 + rest_ns)),
        rd=((1 + nd) / (2 + ns)) / ((1 + rest_nd) / (2 + rest_ns)),
        rat=two_prop_test(na, rest_na, ns, rest_ns),
        rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


def all_group_stats(rated, group_masks):
    """``conv-repness``: every group's statistics against the union of the others."""
    counts = [vote_counts(rated, mask) for mask in group_masks]
    total = [sum(column) for column in zip(*counts, strict=True)]
    return [
        group_stats(na, nd, ns, total[0] - na, total[1] - nd, total[2] - ns)
        for na, nd, ns in counts
    ]


def finalize(stats, item, best_agree=False):
    """``finalize-cmt-stats``: report the side (agree or disagree) whose two-proportion test
    is stronger."""
    if stats.rat[item] > stats.rdt[item]:
        side = ("agree", stats.na, stats.pa, stats.pat, stats.ra, stats.rat)
    else:
        side = ("disagree", stats.nd, stats.pd, stats.pdt, stats.rd, stats.rdt)
    name, n_success, p_success, p_test, repness, repness_test = side
    return RepresentativeItem(
        item=int(item),
        repful_for=name,
        n_success=int(n_success[item]),
        n_trials=int(stats.ns[item]),
        p_success=float(p_success[item]),
        p_test=float(p_test[item]),
        repness=float(repness[item]),
        repness_test=float(repness_test[item]),
        best_agree=best_agree,
    )


def passes_by_test(stats, item):
    """``passes-by-test?``: significant at 90% both against 1/2 and against the rest, on
    the agree side or on the disagree side."""
    agree = stats.rat[item] > Z_90 and stats.pat[item] > Z_90
    disagree = stats.rdt[item] > Z_90 and stats.pdt[item] > Z_90
    return agree or disagree


def agree_metric(stats, item):
    return stats.ra[item] * stats.rat[item] * stats.pa[item] * stats.pat[item]


def beats_best_agree(stats, item, best):
    """``beats-best-agr?``: the group's best item to show as agreed on, so every group has
    something it agrees with even when nothing passes the tests."""
    if stats.na[item] == 0 and stats.nd[item] == 0:
        return False
    if best is not None and stats.ra[best] > 1.0:
        return agree_metric(stats, item) > agree_metric(stats, best)
    if best is not None:
        return stats.pa[item] * stats.pat[item] > stats.pa[best] * stats.pat[best]
    return stats.pat[item] > Z_90 or (stats.ra[item] > 1.0 and stats.pa[item] > 0.5)


def repness_metric(row):
    """``repness-metric``: the sort key of representative items."""
    return row.repness * row.repness_test * row.p_success * row.p_test


def representative_items(stats, items, pick_max=PICK_MAX):
    """``select-rep-comments`` for one group: the items passing the tests, best first by
    ``repness-metric``, the best agreed item in front, at most 5, agrees before disagrees;
    failing any, the single best item."""
    sufficient, best, best_agree = [], None, None
    for item in items:
        if passes_by_test(stats, item):
            sufficient.append(finalize(stats, item))
        strongest = max(stats.rat[item], stats.rdt[item])
        if not sufficient and (best is None or strongest > best.repness_test):
            best = finalize(stats, item)
        if beats_best_agree(stats, item, best_agree):
            best_agree = item
    head = [finalize(stats, best_agree, best_agree=True)] if best_agree is not None else []
    if not sufficient:
        return tuple(head or ([best] if best else []))
    rest = [row for row in sufficient if row.item != best_agree]
    chosen = (head + sorted(rest, key=repness_metric, reverse=True))[:pick_max]
    return tuple(
        [row for row in chosen if row.repful_for == "agree"]
        + [row for row in chosen if row.repful_for == "disagree"]
    )


def consensus_items(rated, members, items, pick_max=PICK_MAX):
    """``consensus-stats`` and ``select-consensus-comments``: items a majority agrees (or
    disagrees) with, significantly at 90%, strongest first, at most 5 each way."""
    na, nd, ns = vote_counts(rated, members)
    chosen = []
    for direction, successes in (("agree", na), ("disagree", nd)):
        p_success = (1 + successes) / (2 + ns)
        p_test = prop_test(successes, ns)
        passing = [i for i in items if p_success[i] > 0.5 and p_test[i] > Z_90]
        passing.sort(key=lambda i: -p_success[i] * p_test[i])
        chosen += [
            ConsensusItem(
                item=int(i),
                direction=direction,
                n_success=int(successes[i]),
                n_trials=int(ns[i]),
                p_success=float(p_success[i]),
                p_test=float(p_test[i]),
            )
            for i in passing[:pick_max]
        ]
    return tuple(chosen)


def group_aware_consensus(stats_by_group):
    """``:group-aware-consensus``: per item, the product over groups of the pseudo-counted
    probability of agreeing ((A + 1) / (S + 2)); high only if every group agrees. The
    disagree side is the same product for disagreeing (Pol.is computes agree only)."""
    agree = np.prod([stats.pa for stats in stats_by_group], axis=0)
    disagree = np.prod([stats.pd for stats in stats_by_group], axis=0)
    return agree, disagree


def top_group_consensus(stats_by_group, agree, disagree, items, pick_max=PICK_MAX):
    """The items with the highest group-aware consensus each way."""
    if not stats_by_group:
        return ()
    chosen = []
    for direction, values, side in (("agree", agree, "pa"), ("disagree", disagree, "pd")):
        ranked = sorted(items, key=lambda i: -values[i])[:pick_max]
        chosen += [
            GroupConsensusItem(
                item=int(i),
                direction=direction,
                consensus=float(values[i]),
                p_by_group=tuple(float(getattr(s, side)[i]) for s in stats_by_group),
            )
            for i in ranked
        ]
    return tuple(chosen)


def divisive_items(stats_by_group, items, pick_max=PICK_MAX):
    """The items whose groups' probabilities of agreeing (or disagreeing) lie furthest
    apart, kept when the two extreme groups differ significantly at 95%."""
    if len(stats_by_group) < 2:
        return ()
    rows = []
    for item in items:
        for direction, p_name, n_name in (("agree", "pa", "na"), ("disagree", "pd", "nd")):
            p = np.array([getattr(s, p_name)[item] for s in stats_by_group])
            high, low = int(np.argmax(p)), int(np.argmin(p))
            z = float(
                two_prop_test(
                    getattr(stats_by_group[high], n_name)[item],
                    getattr(stats_by_group[low], n_name)[item],
                    stats_by_group[high].ns[item],
                    stats_by_group[low].ns[item],
                )
            )
            rows.append((float(p[high] - p[low]), z, item, direction))
    best_per_item = {}
    for spread, z, item, direction in sorted(rows, reverse=True):
        if z > Z_95 and item not in best_per_item:
            best_per_item[item] = (spread, z, direction)
    ranked = sorted(best_per_item.items(), key=lambda entry: -entry[1][0])[:pick_max]
    return tuple(
        DivisiveItem(
            item=int(item),
            direction=direction,
            spread=spread,
            z=z,
            p_agree_by_group=tuple(float(s.pa[item]) for s in stats_by_group),
            p_disagree_by_group=tuple(float(s.pd[item]) for s in stats_by_group),
        )
        for item, (spread, z, direction) in ranked
    )


def item_priority(raw, clustered, extremity, meta_items):
    """``:comment-priorities``: the weight with which Pol.is draws the next statement to
    show. Items with few votes (``1 + 8 · 2^(-S/5)``), with agreement and with extreme
    positions come first; meta items get a fixed 7; squared to deepen the bias."""
    na, nd, ns = vote_counts(raw, clustered)
    passes = ns - (na + nd)
    p_pass = (passes + 1) / (ns + 2)
    p_agree = (na + 1) / (ns + 2)
    importance = (1 - p_pass) * (extremity + 1) * p_agree
    priority = importance * (1 + 8 * 2.0 ** (ns / -5))
    priority[list(meta_items)] = 7.0
    return priority**2


# --- The whole computation ----------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    positions: np.ndarray  # (n_participants, 2)
    components: np.ndarray  # (2, n_items), zero for items nobody saw
    center: np.ndarray  # (n_items,)


def project(raw, excluded):
    """PCA and participant positions (``:rating-mat``, ``:mat``, ``:pca``, ``:proj``).

    Pol.is's matrix only has the items somebody voted on (it grows as votes arrive), so
    items nobody saw take no part: they would otherwise count in the projection's scaling.
    """
    n_items = raw.shape[1]
    active = ~np.isnan(raw).all(axis=0)
    active[excluded] = True  # zero-out-columns gives them a value for everyone
    rated = rating_matrix(raw, excluded)[:, active]
    components, center = principal_components(rated, column_means(rated))
    positions = sparsity_aware_projection(rated, components, center)
    full_components = np.zeros((components.shape[0], n_items))
    full_components[:, active] = components
    full_center = np.zeros(n_items)
    full_center[active] = center
    return Projection(positions, full_components, full_center)


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # group per participant, -1 when not clustered
    base_labels: np.ndarray  # base cluster per participant, -1 when not clustered
    base_centers: np.ndarray  # (n_base, 2)
    silhouette_by_k: dict
    smoother: dict = field(default_factory=dict)  # History's k-smoother fields


def cluster(positions, clustered, *, base_k, max_k, seed, group_restarts, previous):
    """Base clusters of the clustered participants, then groups of the base clusters
    (``:base-clusters``, ``:group-clusters``) with :func:`smooth_k`'s k; every member of a
    base cluster joins its group."""
    n_participants = len(positions)
    labels = np.full(n_participants, -1)
    base_labels = np.full(n_participants, -1)
    if clustered.sum() < 2:
        return Clustering(labels, base_labels, np.empty((0, 2)), {})
    members = np.flatnonzero(clustered)
    member_base, base_centers = base_clusters(positions[members], base_k, seed)
    base_labels[members] = member_base
    if len(base_centers) < 2:
        return Clustering(labels, base_labels, base_centers, {})
    base_sizes = np.bincount(member_base, minlength=len(base_centers))
    clusterings, scores = group_clusters(base_centers, base_sizes, max_k, seed, group_restarts)
    k, smoother = smooth_k(scores, previous)
    labels[members] = clusterings[k][member_base]
    return Clustering(labels, base_labels, base_centers, scores, smoother)


def describe_groups(raw, positions, labels, reported, pick_max):
    """Each group with its size, centre and representative items, and every group's
    statistics (for consensus and division)."""
    group_ids = [g for g in range(labels.max() + 1) if (labels == g).any()]
    masks = [labels == g for g in group_ids]
    stats = all_group_stats(raw, masks) if masks else []
    groups = tuple(
        Group(
            id=g,
            size=int(mask.sum()),
            participants=np.flatnonzero(mask),
            center=tuple(float(x) for x in positions[mask].mean(axis=0)),
            representative=representative_items(group_stats_of, reported, pick_max),
        )
        for g, mask, group_stats_of in zip(group_ids, masks, stats, strict=True)
    )
    return groups, stats


def compute_map(
    votes,
    *,
    seed=0,
    excluded_items=(),
    meta_items=(),
    min_votes=MIN_VOTES,
    base_k=BASE_K,
    max_k=MAX_K,
    pick_max=PICK_MAX,
    group_restarts=GROUP_RESTARTS,
    previous=None,
):
    """Pol.is's opinion map of ``votes`` (see the module docstring for the encoding).

    ``excluded_items``: items moderated out; they weigh nothing in the PCA, count as seen
    in the projection's scaling (as in Pol.is) and are never reported. ``meta_items`` are
    excluded the same way and get Pol.is's fixed priority in ``item_priority``.

    ``previous``: the :class:`History` (or the :class:`OpinionMap`) of the last
    computation on this conversation, as Pol.is carries it from one update to the next:
    whoever was clustered stays clustered (``:in-conv`` only grows) and the number of
    groups changes only once a new best k has come up ``GROUP_K_BUFFER`` times in a row
    (:func:`smooth_k`). The result's ``history`` is the one to pass next time. Without
    it, one computation from scratch, as Pol.is's ``small-conv-update`` would run on a
    conversation it has never seen. Either way k-means starts from Pol.is's seeds (and
    ``group_restarts`` more), not from the previous clusters. Deterministic for given
    votes, ``previous`` and ``seed`` (which draws the group k-means' extra seeds).

    Pol.is computes repness on ``:rating-mat`` and group votes on ``:raw-rating-mat``;
    they differ only on excluded items, which are never reported, so one set of counts
    serves both.

    Runs on one thread (BLAS and OpenMP): it is a background task on a shared server, where
    threads spinning against other processes made it up to 8 times slower, and one thread
    keeps the floating-point sums in the same order on every run.
    """
    with threadpool_limits(limits=1):
        return _compute_map(
            as_vote_matrix(votes),
            seed=seed,
            excluded=sorted(set(excluded_items) | set(meta_items)),
            meta_items=meta_items,
            min_votes=min_votes,
            base_k=base_k,
            max_k=max_k,
            pick_max=pick_max,
            group_restarts=group_restarts,
            previous=getattr(previous, "history", previous) or History(),
        )


def _compute_map(
    raw,
    *,
    seed,
    excluded,
    meta_items,
    min_votes,
    base_k,
    max_k,
    pick_max,
    group_restarts,
    previous,
):
    """:func:`compute_map` on a checked vote matrix, one thread."""
    n_participants, n_items = raw.shape
    seen = ~np.isnan(raw).all(axis=0)
    reported = [i for i in np.flatnonzero(seen) if i not in set(excluded)]

    projection = project(raw, excluded)
    vote_count = (~np.isnan(raw)).sum(axis=1)
    n_matrix_items = int((seen | np.isin(np.arange(n_items), excluded)).sum())
    clustered = clusterable_participants(
        vote_count, n_matrix_items, min_votes, already=previous.clustered
    )
    clustering = cluster(
        projection.positions,
        clustered,
        base_k=base_k,
        max_k=max_k,
        seed=seed,
        group_restarts=group_restarts,
        previous=previous,
    )
    groups, stats = describe_groups(
        raw, projection.positions, clustering.labels, reported, pick_max
    )
    if stats:
        gac_agree, gac_disagree = group_aware_consensus(stats)
    else:
        gac_agree = gac_disagree = np.zeros(n_items)
    extremity = item_extremity(projection.components, projection.center, n_matrix_items)
    everyone = np.ones(n_participants, dtype=bool)
    return OpinionMap(
        n_participants=n_participants,
        n_items=n_items,
        clustered=clustered,
        coordinates=projection.positions,
        labels=clustering.labels,
        groups=groups,
        silhouette_by_k=clustering.silhouette_by_k,
        consensus=consensus_items(raw, everyone, reported, pick_max),
        group_consensus=top_group_consensus(stats, gac_agree, gac_disagree, reported, pick_max),
        divisive=divisive_items(stats, reported, pick_max),
        group_aware_consensus_agree=gac_agree,
        group_aware_consensus_disagree=gac_disagree,
        item_extremity=extremity,
        item_priority=item_priority(raw, clustered, extremity, meta_items),
        components=projection.components,
        center=projection.center,
        base_labels=clustering.base_labels,
        base_centers=clustering.base_centers,
        excluded_items=frozenset(excluded),
        history=History(
            clustered=tuple(int(i) for i in np.flatnonzero(clustered)),
            **(clustering.smoother or smoother_of(previous)),
        ),
    )
