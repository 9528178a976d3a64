"""Incremental stage: new evidence joins the problems that exist, without re-clustering.

A new item joins the problem whose centre it is most similar to, if that similarity reaches
`threshold`; the rest are clustered among themselves, and each group they form is a candidate
for a new problem. Existing problems, and the PM's edits to them, are left as they are.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.cluster import UNASSIGNED, ClusterSettings, Labels, cluster
from problemspace.synthesis.items import Vectors

# Cosine similarity to a problem's centre (the normalised mean of its items' vectors) above
# which an item is taken to voice that problem. all-MiniLM-L6-v2 puts paraphrases of one
# complaint at 0.6-0.9 from each other and their centre; unrelated complaints below 0.4.
ASSIGN_THRESHOLD = 0.55


def nearest_problem(
    vectors: Vectors, centroids: Vectors, threshold: float = ASSIGN_THRESHOLD
) -> tuple[Labels, npt.NDArray[np.float32]]:
    """For each row of `vectors`: the index of the closest centroid (or UNASSIGNED), and the
    similarity to it."""
    if len(centroids) == 0 or len(vectors) == 0:
        return (
            np.full(len(vectors), UNASSIGNED, dtype=np.intp),
            np.zeros(len(vectors), dtype=np.float32),
        )
    similarity = vectors @ centroids.T
    best = np.argmax(similarity, axis=1).astype(np.intp)
    score = similarity[np.arange(len(vectors)), best].astype(np.float32)
    best[score < threshold] = UNASSIGNED
    return best, score


def assign(
    vectors: Vectors,
    centroids: Vectors,
    *,
    threshold: float = ASSIGN_THRESHOLD,
    settings: ClusterSettings | None = None,
) -> tuple[Labels, Labels]:
    """(problem index or UNASSIGNED, candidate group or UNASSIGNED) for each new item.

    An item gets at most one of the two: it joins an existing problem, or it is part of a
    candidate group of new items, or it stays unassigned.
    """
    problems, _ = nearest_problem(vectors, centroids, threshold)
    candidates = np.full(len(vectors), UNASSIGNED, dtype=np.intp)
    loose = np.flatnonzero(problems == UNASSIGNED)
    if len(loose):
        candidates[loose] = cluster(vectors[loose], settings)
    return problems, candidates


def centroid(vectors: Vectors) -> Vectors:
    """A problem's centre: the normalised mean of its items' vectors."""
    mean = vectors.mean(axis=0, keepdims=True)
    result: Vectors = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)[0]
    return result
