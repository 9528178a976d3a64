"""Cluster stage: vectors -> groups of items that voice one problem, without being told how many.

The method, chosen on the banking77 benchmark (see docs/synthesis.md and bench/synthesis):

0. Collapse: identical vectors (the same text sent many times) become one point weighing as
   many items; everything below works on distinct points, and the groups are the ones the
   copies would get.
1. Reduce: PCA to 64 dimensions (each point counted by its weight), which drops directions
   that carry style rather than meaning.
2. Neighbours: each point's 10 nearest neighbours (neighbours.py: exact up to 20,000 points,
   through cells above).
3. Smooth: each vector is averaged with its 5 nearest neighbours, pulling items towards the
   dense centre of what they talk about (the idea behind UMAP's gains, at a fraction of the
   cost).
4. Ward's agglomeration over the neighbour graph (ward.py): it builds the whole merge tree in
   one pass and scales to 100,000 items because only neighbours are candidates for a merge.
5. Cut: the tree is cut at the fewest groups whose mean cohesion reaches `cohesion`, which the
   PM sets through a granularity (GRANULARITY: broad, standard, detailed, fine). Cohesion
   of a group is the length of the mean of its (original) vectors, 1.0 when every text says the
   same thing; "mean" weighs each group by its size, so it reads "a typical item sits in a
   group this tight". This is what replaces the number of clusters: it does not depend on how
   many items there are. At the granularity "auto" the cut is chosen from the data instead
   (`choose_groups`): the fewest groups whose silhouette comes within AUTO_TOLERANCE of the
   best cut's, for sets whose topics are tighter or looser than the fixed levels assume.
   Any group whose halves are less alike than `floor` is split again along the tree.
6. Groups smaller than `min_size` items are not problems yet; their items are left unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.embedding import normalise
from problemspace.synthesis.items import Vectors
from problemspace.synthesis.neighbours import nearest_neighbours
from problemspace.synthesis.threads import one_blas_thread
from problemspace.synthesis.ward import Weights, ward_tree

Labels = npt.NDArray[np.intp]
UNASSIGNED = -1


# How tight a problem must be at each granularity, the one thing a PM tunes. There is no right
# number of problems: a PM asks for the few broad ones for a roadmap review and for fine ones
# to plan work. Measured (bench/synthesis, docs/synthesis.md): "standard" finds the demo's 14
# problems (NMI 0.81 against them, 23 groups for 1,505 items); "fine" finds banking77's 77
# intents, fine distinctions such as "card arrival" vs "card delivery estimate" (NMI 0.825).
#
# How tight a topic is differs between sets, though: banking77's intents are tight (a typical
# message sits in a group of cohesion 0.81), the 64 intents of HWU64's home-assistant requests
# loose (0.62), so "fine" cuts HWU64 into a thousand slivers and "broad" cuts banking77 into
# nine piles. "auto" (None) reads the set: it finds 163 groups in banking77 and 44 in HWU64
# (bench/synthesis/run.py), ahead of BERTopic on both, and is the level docs/synthesis.md
# recommends for finding the intents or themes of a set of short messages.
GRANULARITY: dict[str, float | None] = {
    "broad": 0.62,
    "standard": 0.67,
    "detailed": 0.74,
    "fine": 0.81,
    "auto": None,
}
DEFAULT_GRANULARITY = "standard"
# "auto": cuts tried (numbers of groups, spaced evenly on a log scale up to a tenth of the
# distinct texts), the points its silhouette is measured on, and how far below the best
# silhouette the chosen cut may lie. Silhouette keeps creeping up as tight sets are cut ever
# finer, long after the groups stop meaning more, so the fewest groups that come close win.
AUTO_CUTS = 24
AUTO_SAMPLE = 3000
AUTO_TOLERANCE = 0.05


@dataclass(frozen=True)
class ClusterSettings:
    # None: chosen from the data ("auto").
    cohesion: float | None = GRANULARITY[DEFAULT_GRANULARITY]
    # No group may join two halves less alike than this, whatever the mean cohesion.
    floor: float = 0.5
    min_size: int = 3
    dimensions: int = 64
    neighbours: int = 10
    smoothing_neighbours: int = 5
    seed: int = 0

    @classmethod
    def at(cls, granularity: str) -> ClusterSettings:
        if granularity not in GRANULARITY:
            raise ValueError(
                f"Granularity must be one of {', '.join(GRANULARITY)}, not {granularity!r}."
            )
        return cls(cohesion=GRANULARITY[granularity])


def reduce(vectors: Vectors, dimensions: int, weights: Weights) -> Vectors:
    """PCA to `dimensions`, each row counting `weights[row]` times; rows normalised after.

    Computed from the covariance (features x features, 384 x 384) rather than from the rows:
    exact, and the same small eigenproblem for 70,000 rows as for 3,000.
    """
    count, width = vectors.shape
    components = min(dimensions, width, count - 1)
    if components < 2 or components >= width:
        return vectors
    data = vectors.astype(np.float64)
    total = float(weights.sum())
    centred = data - weights @ data / total
    scaled = centred * np.sqrt(weights / total)[:, None]
    covariance = scaled.T @ scaled
    # One thread: a 384 x 384 eigenproblem gains nothing from more, and on a busy machine
    # BLAS threads waiting for each other made it take seconds.
    with one_blas_thread():
        _, axes = np.linalg.eigh(covariance)
    # eigh sorts ascending: the last columns are the directions of most variance.
    return normalise(centred @ axes[:, ::-1][:, :components])


def collapse(vectors: Vectors, weights: Weights) -> tuple[Vectors, Weights, npt.NDArray[np.intp]]:
    """Identical rows as one: (distinct rows in order of first appearance, their summed
    weights, the distinct row of each input row)."""
    if not len(vectors):
        return vectors, weights, np.empty(0, dtype=np.intp)
    rows = np.ascontiguousarray(vectors).view(
        np.dtype((np.void, vectors.dtype.itemsize * vectors.shape[1]))
    )
    _, first, inverse = np.unique(rows.ravel(), return_index=True, return_inverse=True)
    # np.unique sorts by bytes; renumber by first appearance so results follow the input order.
    order = np.argsort(first, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    inverse = position[inverse.ravel()]
    summed: Weights = np.bincount(inverse, weights=weights, minlength=len(order)).astype(float)
    return vectors[first[order]], summed, inverse


class MergeTree:
    """Ward's merge order with each node's size and cohesion.

    Nodes 0..n-1 are the points (each standing for `weights[i]` identical items); merge i makes
    node n + i from children[i]. Cohesion of a node is the length of the mean of its items'
    (original, unit) vectors.
    """

    def __init__(self, children: npt.NDArray[np.intp], vectors: Vectors, weights: Weights) -> None:
        count = len(vectors)
        self.count = count
        self.children = children
        # Plain lists: walking them in Python is several times faster than indexing arrays.
        self.pairs: list[list[int]] = children.tolist()
        sums = np.zeros((2 * count - 1, vectors.shape[1]), dtype=np.float64)
        sums[:count] = vectors * weights[:, None]
        sizes = np.zeros(2 * count - 1)
        sizes[:count] = weights
        # Merges level by level (a merge's level is one more than its children's), each level
        # in one vectorised step: the tree is a few hundred levels deep, not n.
        height = [0] * (2 * count - 1)
        for i, (a, b) in enumerate(self.pairs):
            height[count + i] = max(height[a], height[b]) + 1
        levels = np.array(height[count:], dtype=np.intp)
        order = np.argsort(levels, kind="stable")
        starts = np.flatnonzero(np.r_[True, levels[order][1:] != levels[order][:-1]])
        for merges in np.split(order, starts[1:]):
            left, right = children[merges, 0], children[merges, 1]
            sums[count + merges] = sums[left] + sums[right]
            sizes[count + merges] = sizes[left] + sizes[right]
        self.total = float(sizes[:count].sum())
        self.lengths = np.sqrt(np.einsum("ij,ij->i", sums, sums))
        self.cohesion = self.lengths / sizes
        # How alike the two halves joined by each merge are: cosine between their centres.
        left, right = children[:, 0], children[:, 1]
        norms = np.maximum(self.lengths, 1e-12)
        self.join_similarity = np.empty(len(children))
        for start in range(0, len(children), 2**14):
            a, b = left[start : start + 2**14], right[start : start + 2**14]
            self.join_similarity[start : start + 2**14] = np.einsum(
                "ij,ij->i", sums[a], sums[b]
            ) / (norms[a] * norms[b])

    def mean_cohesion_by_count(self) -> np.ndarray:
        """For every number of groups g (1..n): the size-weighted mean cohesion of that cut.

        Undoing merges one at a time from the top only swaps a parent's length for its
        children's, so every cut costs O(1) once the sums are built.
        """
        count, lengths, children = self.count, self.lengths, self.children
        by_count = np.zeros(count + 1)
        by_count[count] = lengths[:count].sum()
        change = lengths[count:] - lengths[children[:, 0]] - lengths[children[:, 1]]
        by_count[1:count] = (by_count[count] + np.cumsum(change))[::-1]
        result: np.ndarray = by_count / self.total
        return result

    def roots(self, groups: int) -> list[int]:
        """The nodes that are groups once the first count - groups merges are applied."""
        count = self.count
        standing = np.ones(count + count - groups, dtype=bool)
        standing[self.children[: count - groups].ravel()] = False
        roots: list[int] = np.flatnonzero(standing).tolist()
        return roots

    def split_loose(self, roots: list[int], floor: float) -> list[int]:
        """Undo, recursively, any merge inside a group that joined two halves less alike than
        `floor` (cosine of their centres).

        The mean-cohesion cut can hide a bad merge among many tight groups (two unrelated
        small complaints glued together); no problem should join halves that unlike.
        """
        out, stack = [], list(roots)
        while stack:
            node = stack.pop()
            if node >= self.count and self.join_similarity[node - self.count] < floor:
                stack.extend(self.pairs[node - self.count])
            else:
                out.append(node)
        return out

    def labels(self, roots: list[int]) -> Labels:
        count, pairs = self.count, self.pairs
        labels = [0] * count
        for label, root in enumerate(roots):
            stack = [root]
            while stack:
                node = stack.pop()
                if node < count:
                    labels[node] = label
                else:
                    stack.extend(pairs[node - count])
        return np.array(labels, dtype=np.intp)


def drop_small(labels: Labels, min_size: int, weights: Weights) -> Labels:
    """Renumber groups by size in items (largest first); groups under min_size become
    UNASSIGNED."""
    sizes = np.bincount(labels, weights=weights)
    order = np.argsort(-sizes, kind="stable")
    renumber = np.full(len(sizes), UNASSIGNED, dtype=np.intp)
    kept = [group for group in order if sizes[group] >= min_size]
    renumber[kept] = np.arange(len(kept))
    result: Labels = renumber[labels]
    return result


def cluster(
    vectors: Vectors,
    settings: ClusterSettings | None = None,
    weights: npt.ArrayLike | None = None,
) -> Labels:
    """One label per row of `vectors` (unit length): a group number, or UNASSIGNED.

    `weights[i]` is how many items row i stands for (1 each when None): a row of weight 3 is
    clustered exactly as three identical rows would be.
    """
    settings = settings or ClusterSettings()
    count = len(vectors)
    given = np.ones(count) if weights is None else np.asarray(weights, dtype=np.float64)
    if given.sum() < max(settings.min_size, 2):
        return np.full(count, UNASSIGNED, dtype=np.intp)
    distinct, weight, row_of = collapse(vectors, given)
    if len(distinct) == 1:
        return np.zeros(count, dtype=np.intp)
    reduced = reduce(distinct, settings.dimensions, weight)
    neighbours = nearest_neighbours(reduced, settings.neighbours, settings.seed)
    smoothing = neighbours[:, : settings.smoothing_neighbours]
    smoothed = normalise(reduced + reduced[smoothing].mean(axis=1))
    tree = MergeTree(ward_tree(smoothed, neighbours, weight), distinct, weight)
    if settings.cohesion is None:
        groups = choose_groups(tree, distinct, weight, settings)
    else:
        cohesion = tree.mean_cohesion_by_count()
        reached = np.flatnonzero(cohesion >= settings.cohesion)
        groups = int(reached[0]) if len(reached) else len(distinct)
    labels: Labels = cut(tree, groups, weight, settings)[row_of]
    return labels


def cut(tree: MergeTree, groups: int, weights: Weights, settings: ClusterSettings) -> Labels:
    roots = tree.split_loose(tree.roots(groups), settings.floor)
    return drop_small(tree.labels(roots), settings.min_size, weights)


def cosine_silhouette(points: Vectors, labels: Labels) -> float:
    """The mean silhouette of `labels` under cosine distance, for unit `points`: what
    scikit-learn's silhouette_score(metric="cosine") gives, from each point's similarity to
    each group's sum of vectors (n x groups) rather than to every other point (n x n), which
    makes trying 24 cuts cost milliseconds rather than seconds."""
    groups, inverse = np.unique(labels, return_inverse=True)
    sums = np.zeros((len(groups), points.shape[1]))
    np.add.at(sums, inverse, points.astype(np.float64))
    sizes = np.bincount(inverse).astype(np.float64)
    rows = np.arange(len(points))
    similarity = points.astype(np.float64) @ sums.T
    own_size = sizes[inverse]
    # A point's mean distance to the rest of its group, and to the nearest other group.
    within = (own_size - similarity[rows, inverse]) / np.maximum(own_size - 1, 1)
    between = 1.0 - similarity / sizes
    between[rows, inverse] = np.inf
    nearest = between.min(axis=1)
    silhouette = (nearest - within) / np.maximum(np.maximum(within, nearest), 1e-12)
    silhouette[own_size == 1] = 0.0
    return float(silhouette.mean())


def choose_groups(
    tree: MergeTree, vectors: Vectors, weights: Weights, settings: ClusterSettings
) -> int:
    """The number of groups for "auto": the fewest, among AUTO_CUTS cuts, whose silhouette
    (cosine, on the original vectors of AUTO_SAMPLE points drawn by weight, so that a text sent
    often counts often) is within AUTO_TOLERANCE of the best one's.

    Silhouette compares how close each point is to its own group with how close it is to the
    nearest other group, so it needs no number of topics and no absolute tightness.
    """
    count = tree.count
    high = max(2, min(count // 10, 400))
    candidates = sorted({int(k) for k in np.geomspace(min(8, high), high, AUTO_CUTS).round()})
    rng = np.random.default_rng(settings.seed)
    size = min(AUTO_SAMPLE, count)
    sample = rng.choice(count, size=size, replace=False, p=weights / weights.sum())
    points = vectors[sample]
    scored: list[tuple[int, float]] = []
    for groups in candidates:
        labels = cut(tree, groups, weights, settings)[sample]
        kept = labels != UNASSIGNED
        found = len(set(labels[kept].tolist()))
        if 2 <= found < kept.sum():
            scored.append((groups, cosine_silhouette(points[kept], labels[kept])))
    if not scored:
        return candidates[-1]
    best = max(score for _, score in scored)
    return next(groups for groups, score in scored if score >= best - AUTO_TOLERANCE * abs(best))
