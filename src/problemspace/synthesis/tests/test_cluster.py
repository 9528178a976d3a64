import numpy as np

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
