import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering

from problemspace.synthesis.neighbours import top_k
from problemspace.synthesis.ward import ward_tree


def knn_lists(points, k):
    return list(top_k(points, points, k, same=True))


def partition(children, count, groups):
    """The groups (as sets of points) once the first count - groups merges are applied."""
    members = {point: {point} for point in range(count)}
    for merge, (a, b) in enumerate(children[: count - groups]):
        members[count + merge] = members.pop(int(a)) | members.pop(int(b))
    return sorted(sorted(group) for group in members.values())


@pytest.mark.parametrize("count", [40, 300])
def test_it_merges_as_scikit_learn_does_with_unit_weights(count):
    rng = np.random.default_rng(count)
    points = rng.standard_normal((count, 8))
    lists = knn_lists(points, 6)
    rows = np.repeat(np.arange(count), 6)
    graph = csr_matrix((np.ones(count * 6), (rows, np.concatenate(lists))), shape=(count, count))
    reference = AgglomerativeClustering(
        linkage="ward", connectivity=graph, compute_full_tree=True
    ).fit(points)
    ours = ward_tree(points, lists, np.ones(count))
    assert np.array_equal(np.sort(ours, axis=1), np.sort(reference.children_, axis=1))


def test_a_weighted_point_merges_as_its_copies_would():
    rng = np.random.default_rng(7)
    points = rng.standard_normal((60, 5))
    copies = rng.integers(1, 5, size=60)
    lists = knn_lists(points, 5)
    weighted = ward_tree(points, lists, copies.astype(float))

    # The same items as copies: each copy linked to its own copies and to every copy of its
    # point's neighbours, so both graphs say the same thing.
    owner = np.repeat(np.arange(60), copies)
    rows_of = {point: np.flatnonzero(owner == point) for point in range(60)}
    copy_lists = [
        np.concatenate([rows_of[point]] + [rows_of[int(other)] for other in lists[point]])
        for point in owner.tolist()
    ]
    expanded = ward_tree(points[owner], copy_lists, np.ones(len(owner)))

    # Copies merge first (at no cost); from then on, every cut groups the same items.
    for groups in (1, 2, 5, 12, 30, 60):
        by_copies = partition(expanded, len(owner), groups)
        by_weights = partition(weighted, 60, groups)
        assert by_copies == sorted(
            sorted(np.flatnonzero(np.isin(owner, g)).tolist()) for g in by_weights
        )


def test_it_joins_a_graph_in_pieces():
    rng = np.random.default_rng(3)
    # Three far-apart blobs, each point linked only within its blob.
    points = np.vstack([rng.standard_normal((10, 4)) + 50 * shift for shift in range(3)])
    lists = [
        np.array([p for p in range(10 * (i // 10), 10 * (i // 10) + 10) if p != i])
        for i in range(30)
    ]
    children = ward_tree(points, lists, np.ones(30))
    assert len(children) == 29
    assert partition(children, 30, 3) == [
        list(range(0, 10)),
        list(range(10, 20)),
        list(range(20, 30)),
    ]
