import numpy as np

from problemspace.synthesis.assign import assign, centroid, nearest_problem
from problemspace.synthesis.cluster import UNASSIGNED
from problemspace.synthesis.embedding import normalise
from problemspace.synthesis.tests.test_cluster import groups


def test_new_items_join_the_closest_problem():
    vectors, truth = groups([20, 20, 20])
    centroids = np.stack([centroid(vectors[truth == g]) for g in (0, 1)])
    problems, candidates = assign(vectors, centroids)
    assert (problems[truth == 0] == 0).all()
    assert (problems[truth == 1] == 1).all()
    # The third group fits no problem: it becomes one candidate group.
    assert (problems[truth == 2] == UNASSIGNED).all()
    assert len(set(candidates[truth == 2])) == 1
    assert candidates[truth == 2][0] != UNASSIGNED
    assert (candidates[truth != 2] == UNASSIGNED).all()


def test_nothing_joins_when_there_are_no_problems():
    vectors, _ = groups([5])
    problems, score = nearest_problem(vectors, np.empty((0, 384), dtype=np.float32))
    assert (problems == UNASSIGNED).all()
    assert (score == 0).all()


def test_centroid_is_unit_length():
    vectors = normalise(np.random.default_rng(0).standard_normal((10, 8)))
    assert abs(np.linalg.norm(centroid(vectors)) - 1) < 1e-5
