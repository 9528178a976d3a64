import numpy as np

from problemspace.synthesis import neighbours
from problemspace.synthesis.embedding import normalise
from problemspace.synthesis.neighbours import nearest_neighbours, top_k


def test_it_finds_the_most_similar_rows_most_similar_first():
    points = normalise(np.array([[1.0, 0.0], [0.9, 0.1], [0.7, 0.3], [0.0, 1.0]]))
    found = nearest_neighbours(points, 2)
    assert found.tolist() == [[1, 2], [0, 2], [1, 0], [2, 1]]


def test_a_bias_makes_it_nearest_in_distance():
    base = np.array([[0.0, 0.0], [3.0, 0.0], [10.0, 0.0]])
    queries = np.array([[2.5, 0.0], [9.0, 1.0]])
    squared = (base**2).sum(axis=1)
    assert top_k(queries, base, 1, bias=-squared / 2)[:, 0].tolist() == [1, 2]


def test_cells_find_almost_every_true_neighbour(monkeypatch):
    rng = np.random.default_rng(0)
    # Texts as the sentence model places them: 20 families of complaints, 15 topics in each,
    # 10 paraphrases of each topic (32 dimensions, to stay fast).
    families = normalise(rng.standard_normal((20, 32)))
    offsets = 0.7 * normalise(rng.standard_normal((300, 32)))
    topics = normalise(np.repeat(families, 15, axis=0) + offsets)
    points = normalise(np.repeat(topics, 10, axis=0) + 0.15 * rng.standard_normal((3000, 32)))
    exact = nearest_neighbours(points, 10)
    monkeypatch.setattr(neighbours, "EXACT_LIMIT", 1000)
    approximate = nearest_neighbours(points, 10)
    assert approximate.shape == exact.shape
    assert not (approximate == np.arange(3000)[:, None]).any()
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approximate, exact, strict=True)])
    # 0.96 on banking77's 52,000 distinct texts (docs/synthesis.md).
    assert recall > 0.95
