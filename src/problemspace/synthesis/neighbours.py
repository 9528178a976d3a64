"""Each point's nearest neighbours: exact up to EXACT_LIMIT points, then through cells.

Exact search compares every pair: at 70,000 distinct texts that is 5 billion similarities to
compute and partition, most of the cluster stage's time. Above EXACT_LIMIT the points are put
in cells (k-means on a sample, about √n cells) and each cell's points are compared only with
the points of the PROBE cells whose centres are nearest its own, as an inverted-file index
does; a point's true neighbours are almost always in those cells (recall measured in
docs/synthesis.md), and the clustering on top needs a good neighbour graph, not a perfect one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.threads import one_blas_thread

Indexes = npt.NDArray[np.intp]

# Below this many points the exact search is fast enough (about a second) and is used.
EXACT_LIMIT = 20_000
# Cells compared with each cell: with √n cells this is a few percent of all points.
PROBE = 12
# Similarities held at once while searching: 2**24 float32 values, 64 MB.
BLOCK_VALUES = 2**24


def nearest_neighbours(vectors: npt.NDArray[np.floating], k: int, seed: int = 0) -> Indexes:
    """Indexes of each row's k most similar other rows (dot product; rows are unit length)."""
    count = len(vectors)
    k = min(k, count - 1)
    if k <= 0:
        return np.empty((count, 0), dtype=np.intp)
    if count <= EXACT_LIMIT:
        return top_k(vectors, vectors, k, same=True)
    return _through_cells(vectors, k, seed)


def top_k(
    queries: npt.NDArray[np.floating],
    base: npt.NDArray[np.floating],
    k: int,
    *,
    same: bool = False,
    bias: npt.NDArray[np.floating] | None = None,
) -> Indexes:
    """For each query, the rows of `base` with the k highest `query @ row + bias[row]`.

    With `same`, queries are the rows of `base` and a row is never its own neighbour. A bias of
    -|row|²/2 turns "highest dot product" into "nearest in Euclidean distance".
    """
    out = np.empty((len(queries), k), dtype=np.intp)
    block = max(1, BLOCK_VALUES // max(len(base), 1))
    for start in range(0, len(queries), block):
        scores = queries[start : start + block] @ base.T
        if bias is not None:
            scores += bias
        if same:
            rows = np.arange(len(scores))
            scores[rows, rows + start] = -np.inf
        best = np.argpartition(scores, scores.shape[1] - k, axis=1)[:, -k:]
        # Most similar first: the cluster stage smooths with the first few only.
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
        out[start : start + block] = np.take_along_axis(best, order, axis=1)
    return out


def _through_cells(vectors: npt.NDArray[np.floating], k: int, seed: int) -> Indexes:
    from sklearn.cluster import KMeans

    count = len(vectors)
    cells = int(np.sqrt(count))
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(count, size=min(count, 40 * cells), replace=False)]
    centres = (
        KMeans(cells, n_init=1, max_iter=20, random_state=seed).fit(sample).cluster_centers_
    ).astype(vectors.dtype)
    squared = np.einsum("ij,ij->i", centres, centres)
    cell_of = top_k(vectors, centres, 1, bias=-squared / 2)[:, 0]
    probes = top_k(centres, centres, min(PROBE, cells), bias=-squared / 2)
    members = [np.flatnonzero(cell_of == cell) for cell in range(cells)]
    out = np.empty((count, k), dtype=np.intp)
    # Hundreds of small products: one BLAS thread is faster (threads.py).
    with one_blas_thread():
        for cell in range(cells):
            queries = members[cell]
            if not len(queries):
                continue
            candidates = np.concatenate([members[probe] for probe in probes[cell]])
            if len(candidates) <= k:
                candidates = np.arange(count)
            found = candidates[top_k(vectors[queries], vectors[candidates], k + 1)]
            # Each query finds itself among the candidates (its own cell is probed): keep
            # the first k that are not the query, in order.
            others = found != queries[:, None]
            keep = np.argsort(~others, axis=1, kind="stable")[:, :k]
            out[queries] = np.take_along_axis(found, keep, axis=1)
    return out
