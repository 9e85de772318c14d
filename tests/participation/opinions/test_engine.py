"""The opinion-map engine: planted structure is recovered, Pol.is's rules hold, and its
groups agree with Pol.is's own on real conversations (../shared/data/polis)."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.metrics import adjusted_rand_score

from bench.opinions_agreement import reddwarf_labels
from bench.shared_data import shared_data
from participation.opinions import engine
from participation.opinions.polis_export import read_polis_export

POLIS_DATA = shared_data("polis")


def planted_votes(stances, group_sizes, *, seed=0, seen=0.7, loyalty=0.9):
    """Votes of planted opinion groups and the planted group of each participant.

    ``stances[g, item]``: +1 group g agrees, -1 it disagrees (each followed with
    probability ``loyalty``, passing now and then), 0 no stance (a coin toss). A
    participant sees each item with probability ``seen``.
    """
    rng = np.random.default_rng(seed)
    stances = np.asarray(stances, dtype=float)
    truth = np.repeat(np.arange(len(group_sizes)), group_sizes)
    rng.shuffle(truth)
    stance = stances[truth]
    stance = np.where(stance == 0, rng.choice([1.0, -1.0], size=stance.shape), stance)
    draw = rng.random(stance.shape)
    votes = np.where(draw < loyalty, stance, -stance)
    votes[draw > 0.97] = engine.PASS
    votes[rng.random(votes.shape) > seen] = np.nan
    return votes, truth


def random_stances(n_groups, n_items, seed):
    return np.random.default_rng(seed).choice([1.0, -1.0], size=(n_groups, n_items))


def square_stances(n_items):
    """Four groups at the corners of a square: half the items split them left from right,
    the other half top from bottom (two dimensions, as the map has)."""
    corners = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]], dtype=float)
    axis_of_item = np.arange(n_items) % 2
    return corners[:, axis_of_item]


BLOCKS = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
CONSENSUS_ITEM = 29


def block_stances(n_items=30):
    """Three groups, each agreeing with its own block of items and disagreeing with the
    others' blocks; everyone agrees with ``CONSENSUS_ITEM``; no stance on the rest."""
    stances = np.zeros((3, n_items))
    for group, block in enumerate(BLOCKS):
        stances[:, block] = -1.0
        stances[group, block] = 1.0
    stances[:, CONSENSUS_ITEM] = 1.0
    return stances


def ari(truth, result):
    clustered = result.labels >= 0
    return adjusted_rand_score(truth[clustered], result.labels[clustered])


# --- Groups ---------------------------------------------------------------------------------


def test_three_planted_groups_are_recovered():
    votes, truth = planted_votes(random_stances(3, 40, seed=1), [120, 90, 60], seed=1)
    result = engine.compute_map(votes)
    assert result.k == 3
    assert ari(truth, result) >= 0.95
    assert sorted(group.size for group in result.groups) == [60, 90, 120]
    assert sum(group.size for group in result.groups) == result.clustered.sum() == 270


@pytest.mark.parametrize(
    "stances, group_sizes",
    [(random_stances(2, 40, seed=2), [100, 80]), (square_stances(40), [70, 60, 50, 40])],
    ids=["two groups", "four groups"],
)
def test_the_number_of_groups_is_chosen_by_silhouette(stances, group_sizes):
    votes, truth = planted_votes(stances, group_sizes, seed=len(group_sizes))
    result = engine.compute_map(votes)
    assert result.k == len(group_sizes)
    assert max(result.silhouette_by_k, key=result.silhouette_by_k.get) == len(group_sizes)
    assert set(result.silhouette_by_k) == {2, 3, 4, 5}
    assert ari(truth, result) >= 0.95


def test_the_silhouette_counts_each_base_cluster_by_its_participants():
    # Two base clusters of 40 participants each, far apart, and two lone participants
    # between them. By base cluster, the lone ones weigh half the score; by participant,
    # 2 of 82.
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [4.0, 0.0], [6.0, 0.0]])
    labels = np.array([0, 1, 0, 1])
    sizes = np.array([40, 40, 1, 1])
    per_base = [0.5, 0.5, 0.0, 0.0]  # (b - a) / max(a, b) for each centre
    plain = engine.silhouette(centers, labels)
    weighted = engine.silhouette(centers, labels, weights=sizes)
    assert plain == pytest.approx(np.mean(per_base))
    assert weighted == pytest.approx(np.average(per_base, weights=sizes))
    assert weighted > plain
    # A clustering of singletons still scores 0, as in Pol.is.
    assert engine.silhouette(centers, np.arange(4), weights=sizes) == 0.0


def test_large_conversations_are_grouped_through_100_base_clusters():
    votes, truth = planted_votes(random_stances(3, 30, seed=4), [400, 300, 300], seed=4)
    result = engine.compute_map(votes)
    assert len(result.base_centers) == engine.BASE_K
    clustered = result.clustered
    # Every member of a base cluster is in that base cluster's group.
    for base in range(engine.BASE_K):
        members = result.base_labels == base
        assert len(set(result.labels[members & clustered].tolist())) == 1
    assert ari(truth, result) >= 0.95


def test_the_same_votes_and_seed_give_the_same_map():
    votes, _ = planted_votes(random_stances(3, 30, seed=5), [80, 70, 50], seed=5)
    first = engine.compute_map(votes, seed=7)
    second = engine.compute_map(votes.copy(), seed=7)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.coordinates, second.coordinates)
    assert first.silhouette_by_k == second.silhouette_by_k
    assert first.groups[0].representative == second.groups[0].representative
    assert first.consensus == second.consensus


def test_the_callers_matrix_is_not_changed():
    votes, _ = planted_votes(random_stances(2, 20, seed=6), [40, 40], seed=6)
    before = votes.copy()
    engine.compute_map(votes, excluded_items=[0, 1])
    np.testing.assert_array_equal(votes, before)


# --- Who is clustered (Pol.is's in-conv) ------------------------------------------------------


def test_participants_below_the_vote_minimum_are_projected_but_not_clustered():
    votes, _ = planted_votes(random_stances(2, 30, seed=8), [60, 60], seed=8, seen=1.0)
    sparse_voters = np.arange(10)
    votes[sparse_voters, 6:] = np.nan  # 6 votes each, one short of Pol.is's 7
    result = engine.compute_map(votes)
    assert not result.clustered[sparse_voters].any()
    assert (result.labels[sparse_voters] == -1).all()
    assert result.clustered[10:].all()
    assert np.isfinite(result.coordinates[sparse_voters]).all()
    assert sum(group.size for group in result.groups) == 110


def test_the_vote_minimum_is_every_item_when_there_are_fewer_than_seven():
    counts = np.array([5, 4, 5, 3] + [5] * 20)
    clustered = engine.clusterable_participants(counts, n_items=5)
    assert clustered.tolist() == [True, False, True, False] + [True] * 20


def test_small_conversations_take_the_most_active_voters_up_to_fifteen():
    counts = np.array([9, 8, 2, 3, 0, 1] + [7] * 10)
    clustered = engine.clusterable_participants(counts, n_items=40)
    # 11 have 7 votes or more; the 4 most active of the rest join, nobody without a vote.
    assert clustered.tolist() == [True, True, True, True, False, True] + [True] * 10


# --- What Pol.is carries from one update to the next ----------------------------------------


def test_whoever_was_clustered_stays_clustered():
    votes, _ = planted_votes(random_stances(2, 5, seed=11), [30, 30], seed=11, seen=1.0)
    first = engine.compute_map(votes)
    assert first.clustered.all()  # 5 items: everyone who voted on all 5 is in
    # Ten more statements arrive; the first ten participants never see them.
    later, _ = planted_votes(random_stances(2, 15, seed=12), [30, 30], seed=12, seen=1.0)
    later[:, :5] = votes
    later[:10, 5:] = np.nan
    fresh = engine.compute_map(later)
    assert not fresh.clustered[:10].any()  # 5 votes of 15 items, under Pol.is's 7
    carried = engine.compute_map(later, previous=first)
    assert carried.clustered.all()
    assert carried.history.clustered == tuple(range(60))


def test_the_number_of_groups_changes_only_after_four_updates_in_a_row():
    votes, truth = planted_votes(random_stances(3, 40, seed=1), [120, 90, 60], seed=1)
    assert engine.compute_map(votes).k == 3
    kept = engine.History(last_k=3, last_k_count=2, smoothed_k=2)
    result = engine.compute_map(votes, previous=kept)
    assert result.k == 2  # 3 has been best 3 times in a row: not yet
    assert (result.history.last_k, result.history.last_k_count) == (3, 3)
    assert result.history.smoothed_k == 2
    switched = engine.compute_map(votes, previous=result)
    assert switched.k == 3
    assert (switched.history.last_k_count, switched.history.smoothed_k) == (4, 3)
    assert ari(truth, switched) >= 0.95
    # Another best k starts the count again.
    other = engine.compute_map(
        votes, previous=engine.History(last_k=4, last_k_count=9, smoothed_k=2)
    )
    assert other.k == 2 and other.history.last_k_count == 1


def test_a_first_computation_takes_the_best_number_of_groups_at_once():
    votes, _ = planted_votes(random_stances(3, 40, seed=1), [120, 90, 60], seed=1)
    result = engine.compute_map(votes, previous=engine.History())
    assert result.k == 3
    assert (result.history.last_k, result.history.last_k_count) == (3, 1)


# --- What each group thinks, what everyone shares -------------------------------------------


def test_representative_items_of_a_planted_group_are_its_own():
    votes, truth = planted_votes(block_stances(), [90, 80, 70], seed=9)
    result = engine.compute_map(votes)
    assert ari(truth, result) >= 0.95
    for group in result.groups:
        planted = np.bincount(truth[group.participants]).argmax()
        agreed = {row.item for row in group.representative if row.repful_for == "agree"}
        assert agreed == set(BLOCKS[planted])
        for row in group.representative:
            assert row.significant_95
            assert row.repness > 1
        # Agreed items come before disagreed ones, as Pol.is lists them.
        sides = [row.repful_for for row in group.representative]
        assert sides == sorted(sides)
        assert group.representative[0].best_agree


def test_an_item_everybody_agrees_on_is_consensus():
    votes, _ = planted_votes(block_stances(), [90, 80, 70], seed=10)
    result = engine.compute_map(votes)
    agreed = [row for row in result.consensus if row.direction == "agree"]
    assert agreed[0].item == CONSENSUS_ITEM
    assert agreed[0].p_success > 0.8
    top = [row for row in result.group_consensus if row.direction == "agree"][0]
    assert top.item == CONSENSUS_ITEM
    assert min(top.p_by_group) > 0.8
    assert int(np.argmax(result.group_aware_consensus_agree)) == CONSENSUS_ITEM
    assert CONSENSUS_ITEM not in {row.item for row in result.divisive}


def test_the_items_that_divide_groups_most_are_the_planted_blocks():
    votes, _ = planted_votes(block_stances(), [90, 80, 70], seed=11)
    result = engine.compute_map(votes)
    planted = {item for block in BLOCKS for item in block}
    assert result.divisive
    assert {row.item for row in result.divisive} <= planted
    assert all(row.spread > 0.5 and row.z > engine.Z_95 for row in result.divisive)


def test_excluded_items_are_never_reported():
    votes, _ = planted_votes(block_stances(), [90, 80, 70], seed=12)
    result = engine.compute_map(votes, excluded_items=[0, CONSENSUS_ITEM])
    reported = {row.item for group in result.groups for row in group.representative}
    reported |= {row.item for row in result.consensus + result.group_consensus}
    reported |= {row.item for row in result.divisive}
    assert not reported & {0, CONSENSUS_ITEM}
    assert result.components[:, [0, CONSENSUS_ITEM]].tolist() == [[0.0, 0.0], [0.0, 0.0]]


# --- Inputs ---------------------------------------------------------------------------------


def test_a_sparse_matrix_with_explicit_passes_gives_the_same_map():
    votes, _ = planted_votes(random_stances(2, 25, seed=13), [60, 50], seed=13)
    rows, columns = np.nonzero(~np.isnan(votes))
    values = votes[rows, columns]
    assert (values == engine.PASS).any()
    matrix = sparse.coo_array((values, (rows, columns)), shape=votes.shape).tocsr()
    from_sparse = engine.compute_map(matrix)
    from_dense = engine.compute_map(votes)
    np.testing.assert_array_equal(from_sparse.labels, from_dense.labels)
    np.testing.assert_allclose(from_sparse.coordinates, from_dense.coordinates)


def test_votes_from_triples_keeps_the_latest_vote_of_a_cell():
    matrix = engine.votes_from_triples([0, 0, 1], [1, 1, 0], [1.0, -1.0, 0.0], (2, 3))
    assert matrix[0, 1] == -1.0
    assert matrix[1, 0] == 0.0
    assert np.isnan(matrix[0, 0])


def test_votes_other_than_agree_disagree_pass_are_refused():
    with pytest.raises(ValueError, match="agree"):
        engine.compute_map(np.array([[1.0, 2.0], [0.0, -1.0]]))


def test_a_conversation_too_small_to_group_has_no_groups():
    result = engine.compute_map(np.array([[1.0, -1.0, 1.0]]))
    assert result.groups == ()
    assert result.labels.tolist() == [-1]


# --- Real conversations: agreement with Pol.is's own groups -----------------------------------

# What the engine reaches (bench/opinions_agreement.py), less a margin for numerical noise:
# 0.884, 0.652 and 0.095. brexit-consensus: Pol.is kept 2 groups; the size-weighted
# silhouette picks 3 (the plain one picked 5, 0.266), as red-dwarf does. Pol.is computed
# this conversation's groups in July 2017, when its maths still filled unseen votes with 0
# rather than the statement's mean (changed 2017-10-21); under that filling the silhouette
# does pick 2. scoop-hivemind.ubi: Pol.is's 4 groups do not follow the opinions in these
# votes (two of them differ by which late statements people saw), and no PCA of them
# separates the two.
REACHED = {"15-per-hour-seattle": 0.86, "brexit-consensus": 0.63, "scoop-hivemind.ubi": 0.08}


def polis_conversation(name):
    return read_polis_export(POLIS_DATA / name)


def agreement_with_polis(conversation, labels):
    both = (conversation.polis_groups >= 0) & (labels >= 0)
    return adjusted_rand_score(conversation.polis_groups[both], labels[both]), both


@pytest.mark.parametrize("name", sorted(REACHED))
def test_groups_agree_with_polis_on_its_own_conversations(name):
    conversation = polis_conversation(name)
    result = engine.compute_map(conversation.votes, excluded_items=conversation.moderated_out)
    agreement, both = agreement_with_polis(conversation, result.labels)
    assert agreement >= REACHED[name]
    # Pol.is's rule for whom to cluster: everyone with 7 votes or more, nobody else here.
    votes_cast = (~np.isnan(conversation.votes)).sum(axis=1)
    np.testing.assert_array_equal(result.clustered, votes_cast >= 7)
    assert both.sum() == result.clustered.sum()


def test_the_vote_encoding_matches_polis_exports():
    conversation = polis_conversation("15-per-hour-seattle")
    assert conversation.votes.shape == (339, 54)
    assert len(conversation.moderated_out) == 23
    assert set(np.unique(conversation.votes[~np.isnan(conversation.votes)])) == {-1.0, 0.0, 1.0}
    assert list(conversation.participant_ids) == sorted(conversation.participant_ids)


@pytest.mark.parametrize("name", sorted(REACHED))
def test_groups_agree_with_polis_at_least_as_well_as_red_dwarf(name):
    conversation = polis_conversation(name)
    ours = engine.compute_map(conversation.votes, excluded_items=conversation.moderated_out)
    ours_agreement, _ = agreement_with_polis(conversation, ours.labels)
    theirs_agreement, _ = agreement_with_polis(conversation, reddwarf_labels(conversation))
    assert ours_agreement >= theirs_agreement - 1e-9
