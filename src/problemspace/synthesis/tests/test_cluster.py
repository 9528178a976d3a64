import numpy as np
import pytest

from problemspace.synthesis.cluster import UNASSIGNED, ClusterSettings, cluster
from problemspace.synthesis.embedding import normalise


def groups(sizes, dims=384, noise=0.15, seed=1):
    rng = np.random.default_rng(seed)
    centres = normalise(rng.standard_normal((len(sizes), dims)))
    rows, truth = [], []
    for label, (centre, size) in enumerate(zip(centres, sizes, strict=True)):
        rows.append(centre + noise * rng.standard_normal((size, dims)) / np.sqrt(dims))
        truth += [label] * size
    return normalise(np.vstack(rows)), np.array(truth)


def test_it_finds_the_groups_without_being_told_how_many():
    vectors, truth = groups([30, 20, 12, 6])
    labels = cluster(vectors)
    assert labels.max() + 1 == 4
    # Every true group maps to exactly one found group.
    for label in range(4):
        assert len(set(labels[truth == label])) == 1
    assert (labels != UNASSIGNED).all()


def test_it_leaves_groups_smaller_than_min_size_unassigned():
    vectors, truth = groups([25, 25, 2])
    labels = cluster(vectors, ClusterSettings(min_size=3))
    assert (labels[truth == 2] == UNASSIGNED).all()
    assert labels.max() + 1 == 2


def test_it_handles_tiny_inputs():
    assert cluster(np.empty((0, 384), dtype=np.float32)).tolist() == []
    one = normalise(np.ones((1, 384)))
    assert cluster(one).tolist() == [UNASSIGNED]
    assert cluster(np.vstack([one, one])).tolist() == [UNASSIGNED, UNASSIGNED]


def test_identical_items_make_one_group():
    same = normalise(np.ones((12, 384)))
    labels = cluster(same)
    assert set(labels.tolist()) == {0}


def test_largest_group_comes_first():
    vectors, truth = groups([5, 40, 15])
    labels = cluster(vectors)
    assert set(labels[truth == 1]) == {0}
    assert set(labels[truth == 2]) == {1}


def test_a_broader_granularity_never_makes_more_groups():
    rng = np.random.default_rng(3)
    # 18 tight topics in 3 families of 6 (topics of a family about 0.55 alike): broad finds
    # the families, finer granularities cut them into smaller groups of topics.
    families = normalise(rng.standard_normal((3, 384)))
    offsets = 0.9 * normalise(rng.standard_normal((18, 384)))
    topics = normalise(np.repeat(families, 6, axis=0) + offsets)
    noise = 0.25 * normalise(rng.standard_normal((180, 384)))
    vectors = normalise(np.repeat(topics, 10, axis=0) + noise)
    counts = [
        int(cluster(vectors, ClusterSettings.at(name)).max()) + 1
        for name in ("fine", "detailed", "standard", "broad")
    ]
    assert counts == sorted(counts, reverse=True)
    assert counts[-1] == 3
    assert counts[0] >= 2 * counts[-1]


def test_an_unknown_granularity_is_refused():
    with pytest.raises(ValueError, match="broad, standard, detailed, fine"):
        ClusterSettings.at("medium")


def test_weighted_rows_cluster_as_their_copies():
    vectors, _ = groups([20, 14, 9, 4, 2])
    rng = np.random.default_rng(5)
    copies = rng.integers(1, 6, size=len(vectors))
    expanded = np.repeat(vectors, copies, axis=0)
    for name in ("broad", "fine"):
        settings = ClusterSettings.at(name)
        by_weight = cluster(vectors, settings, weights=copies)
        assert cluster(expanded, settings).tolist() == np.repeat(by_weight, copies).tolist()


def test_copies_count_towards_the_minimum_size():
    vectors, truth = groups([25, 25, 1])
    lone = truth == 2
    labels = cluster(vectors, ClusterSettings(min_size=3), weights=np.where(lone, 4, 1))
    assert labels[lone][0] != UNASSIGNED
    assert labels.max() + 1 == 3


def test_it_clusters_copies_in_any_order():
    vectors, _ = groups([12, 10, 8])
    shuffled = np.random.default_rng(2).permutation(len(vectors))
    doubled = np.vstack([vectors, vectors[shuffled]])
    labels = cluster(doubled)
    assert labels[: len(vectors)][shuffled].tolist() == labels[len(vectors) :].tolist()


@pytest.mark.parametrize("noise", [0.15, 1.0, 1.2])
def test_auto_finds_the_topics_however_tight_they_are(noise):
    # Twelve topics, from tight (cohesion 0.99) to loose (0.66): a fixed level cuts the loose
    # ones into slivers, "auto" reads the set and finds the twelve.
    vectors, truth = groups([25] * 12, noise=noise, seed=4)
    labels = cluster(vectors, ClusterSettings.at("auto"))
    assert labels.max() + 1 == 12
    for label in range(12):
        assert len(set(labels[truth == label])) == 1
    if noise >= 1.0:
        assert cluster(vectors, ClusterSettings.at("fine")).max() + 1 > 30


def test_auto_is_repeatable_and_handles_tiny_inputs():
    vectors, _ = groups([12, 10, 8, 6])
    settings = ClusterSettings.at("auto")
    assert cluster(vectors, settings).tolist() == cluster(vectors, settings).tolist()
    one = normalise(np.ones((1, 384)))
    assert cluster(np.vstack([one, one, one]), settings).tolist() == [0, 0, 0]
    few, _ = groups([3, 3])
    assert cluster(few, settings).max() + 1 in (1, 2)


def test_the_cosine_silhouette_is_scikit_learns():
    from sklearn.metrics import silhouette_score

    from problemspace.synthesis.cluster import cosine_silhouette

    vectors, truth = groups([30, 20, 12, 6, 1], noise=1.0, seed=7)
    shuffled = np.random.default_rng(1).permutation(truth)
    for labels in (truth, shuffled):
        expected = silhouette_score(vectors, labels, metric="cosine")
        assert cosine_silhouette(vectors, labels) == pytest.approx(expected, abs=1e-6)
