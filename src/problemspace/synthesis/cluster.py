"""Cluster stage: vectors -> groups of items that voice one problem, without being told how many.

The method, chosen on the banking77 benchmark (see docs/synthesis.md and bench/synthesis):

1. Reduce: PCA to 64 dimensions, which drops directions that carry style rather than meaning.
2. Neighbours: each item's 10 nearest neighbours (exact, block by block, so memory stays flat).
3. Smooth: each vector is averaged with its 5 nearest neighbours, pulling items towards the
   dense centre of what they talk about (the idea behind UMAP's gains, at a fraction of the
   cost).
4. Ward's agglomeration over the neighbour graph: it builds the whole merge tree in one pass and
   scales to 100,000 items because only neighbours are candidates for a merge.
5. Cut: the tree is cut at the fewest groups whose mean cohesion reaches `cohesion`, which the
   PM sets through a granularity (GRANULARITY: broad, standard, detailed, fine). Cohesion
   of a group is the length of the mean of its (original) vectors, 1.0 when every text says the
   same thing; "mean" weighs each group by its size, so it reads "a typical item sits in a
   group this tight". This is what replaces the number of clusters: it does not depend on how
   many items there are.
   Any group whose halves are less alike than `floor` is split again along the tree.
6. Groups smaller than `min_size` are not problems yet; their items are left unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.embedding import normalise
from problemspace.synthesis.items import Vectors

Labels = npt.NDArray[np.intp]
UNASSIGNED = -1


# How tight a problem must be at each granularity, the one thing a PM tunes. There is no right
# number of problems: a PM asks for the few broad ones for a roadmap review and for fine ones
# to plan work. Measured (bench/synthesis, docs/synthesis.md): "standard" finds the demo's 14
# problems (NMI 0.81 against them, 23 groups for 1,505 items); "fine" finds banking77's 77
# intents, fine distinctions such as "card arrival" vs "card delivery estimate" (NMI 0.825).
GRANULARITY = {"broad": 0.62, "standard": 0.67, "detailed": 0.74, "fine": 0.81}
DEFAULT_GRANULARITY = "standard"


@dataclass(frozen=True)
class ClusterSettings:
    cohesion: float = GRANULARITY[DEFAULT_GRANULARITY]
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


def reduce(vectors: Vectors, dimensions: int, seed: int = 0) -> Vectors:
    from sklearn.decomposition import PCA

    count, width = vectors.shape
    components = min(dimensions, width, count - 1)
    if components < 2 or components >= width:
        return vectors
    reduced = PCA(n_components=components, random_state=seed).fit_transform(vectors)
    return normalise(reduced)


def nearest_neighbours(vectors: Vectors, k: int, block: int = 2048) -> npt.NDArray[np.intp]:
    """Indexes of each row's k most similar other rows (cosine; rows are unit length)."""
    count = len(vectors)
    k = min(k, count - 1)
    out = np.empty((count, k), dtype=np.intp)
    for start in range(0, count, block):
        similarity = vectors[start : start + block] @ vectors.T
        rows = np.arange(similarity.shape[0])
        similarity[rows, rows + start] = -np.inf
        out[start : start + block] = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    return out


def merge_tree(vectors: Vectors, neighbours: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Ward's merge order over the neighbour graph: row i merges two nodes into node n + i."""
    from scipy.sparse import csr_matrix
    from sklearn.cluster import AgglomerativeClustering

    count, k = neighbours.shape
    graph = csr_matrix(
        (np.ones(count * k), (np.repeat(np.arange(count), k), neighbours.ravel())),
        shape=(count, count),
    )
    model = AgglomerativeClustering(linkage="ward", connectivity=graph, compute_full_tree=True)
    with np.errstate(all="ignore"):
        model.fit(vectors)
    children: npt.NDArray[np.intp] = model.children_
    return children


class MergeTree:
    """Ward's merge order with each node's size and cohesion.

    Nodes 0..n-1 are the items; merge i makes node n + i from children[i]. Cohesion of a node
    is the length of the mean of its items' (original, unit) vectors.
    """

    def __init__(self, children: npt.NDArray[np.intp], vectors: Vectors) -> None:
        count = len(vectors)
        self.count = count
        self.children = children
        sums = np.zeros((2 * count - 1, vectors.shape[1]), dtype=np.float64)
        sums[:count] = vectors
        sizes = np.ones(2 * count - 1)
        for i, (a, b) in enumerate(children):
            sums[count + i] = sums[a] + sums[b]
            sizes[count + i] = sizes[a] + sizes[b]
        self.lengths = np.linalg.norm(sums, axis=1)
        self.cohesion = self.lengths / sizes
        # How alike the two halves joined by each merge are: cosine between their centres.
        centres = sums / np.maximum(self.lengths, 1e-12)[:, None]
        self.join_similarity = np.einsum(
            "ij,ij->i", centres[children[:, 0]], centres[children[:, 1]]
        )

    def mean_cohesion_by_count(self) -> np.ndarray:
        """For every number of groups g (1..n): the size-weighted mean cohesion of that cut.

        Undoing merges one at a time from the top only swaps a parent's length for its
        children's, so every cut costs O(1) once the sums are built.
        """
        count, lengths = self.count, self.lengths
        by_count = np.zeros(count + 1)
        total = lengths[:count].sum()
        by_count[count] = total
        for i, (a, b) in enumerate(self.children):
            total += lengths[count + i] - lengths[a] - lengths[b]
            by_count[count - 1 - i] = total
        result: np.ndarray = by_count / count
        return result

    def roots(self, groups: int) -> list[int]:
        """The nodes that are groups once the first count - groups merges are applied."""
        count = self.count
        merged: set[int] = set()
        for i in range(count - groups):
            merged.update(int(node) for node in self.children[i])
        return [node for node in range(count + count - groups) if node not in merged]

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
                stack.extend(int(child) for child in self.children[node - self.count])
            else:
                out.append(node)
        return out

    def labels(self, roots: list[int]) -> Labels:
        labels = np.empty(self.count, dtype=np.intp)
        for label, root in enumerate(roots):
            stack = [root]
            while stack:
                node = stack.pop()
                if node < self.count:
                    labels[node] = label
                else:
                    stack.extend(int(child) for child in self.children[node - self.count])
        return labels


def drop_small(labels: Labels, min_size: int) -> Labels:
    """Renumber groups by size (largest first); groups under min_size become UNASSIGNED."""
    sizes = np.bincount(labels)
    order = np.argsort(-sizes, kind="stable")
    renumber = np.full(len(sizes), UNASSIGNED, dtype=np.intp)
    kept = [group for group in order if sizes[group] >= min_size]
    renumber[kept] = np.arange(len(kept))
    result: Labels = renumber[labels]
    return result


def cluster(vectors: Vectors, settings: ClusterSettings | None = None) -> Labels:
    """One label per row of `vectors` (unit length): a group number, or UNASSIGNED."""
    settings = settings or ClusterSettings()
    count = len(vectors)
    if count < max(settings.min_size, 2):
        return np.full(count, UNASSIGNED, dtype=np.intp)
    reduced = reduce(vectors, settings.dimensions, settings.seed)
    neighbours = nearest_neighbours(reduced, settings.neighbours)
    smoothing = neighbours[:, : settings.smoothing_neighbours]
    smoothed = normalise(reduced + reduced[smoothing].mean(axis=1))
    tree = MergeTree(merge_tree(smoothed, neighbours), vectors)
    cohesion = tree.mean_cohesion_by_count()
    reached = np.flatnonzero(cohesion >= settings.cohesion)
    groups = int(reached[0]) if len(reached) else count
    roots = tree.split_loose(tree.roots(groups), settings.floor)
    return drop_small(tree.labels(roots), settings.min_size)
