"""Ward's agglomeration over a neighbour graph, with a weight per point.

Why not scikit-learn's `AgglomerativeClustering(connectivity=...)`: it has no sample weights,
and at 100,000 items it took minutes: one heap entry per edge, an array of every node cleared
at each of the n merges, and a graph in pieces joined by comparing every pair of pieces.
Here:

- A point of weight w is w identical items already merged: its size in Ward's cost is w. So
  the 100,000 messages of a support queue, half of them repeats, are clustered as their
  52,000 distinct texts, and the tree is the one the copies would give (test_ward.py).
- Each merge only touches the merged nodes' neighbours, and each node keeps its cheapest
  merge, so the heap holds one entry per node rather than one per edge.
- A graph in several pieces is joined the way it was built: when no merge is left, the roots
  are linked to the roots with the nearest centres, and Ward carries on.

The merge order equals scikit-learn's for the same graph and unit weights (tested).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.neighbours import top_k

Children = npt.NDArray[np.intp]
Weights = npt.NDArray[np.float64]
Heap = list[tuple[float, int, int]]
INFINITY = float("inf")
# Edges whose costs are computed at once when the tree starts.
CHUNK = 2**16
# Roots linked to each other per round when the graph is in pieces.
JOIN_NEIGHBOURS = 5


def ward_tree(
    vectors: npt.NDArray[np.floating],
    neighbours: npt.NDArray[np.intp] | Sequence[npt.NDArray[np.intp]],
    weights: Weights,
) -> Children:
    """Ward's merge order: row i of the result merges two nodes into node n + i.

    `neighbours[i]` lists the points that may merge with point i (the graph is made
    symmetric here); `weights[i]` is how many items point i stands for.
    """
    return _Ward(vectors, neighbours, weights).run()


class _Ward:
    """The merge loop's state.

    Each live node knows its cheapest merge (`best`, at `best_cost`); the heap holds one entry
    per node, keyed by that cost, so the cheapest merge overall is on top. Merging i and j into
    k costs Ward's distance to k's neighbours (needed anyway) and a fresh search only for the
    neighbours whose cheapest merge was with i or j: Ward's distance is reducible (k is never
    closer to a node than both i and j were), so every other neighbour keeps its choice unless
    k itself is cheaper. A node's entry is stale once its `version` moves on.
    """

    def __init__(
        self,
        vectors: npt.NDArray[np.floating],
        neighbours: npt.NDArray[np.intp] | Sequence[npt.NDArray[np.intp]],
        weights: Weights,
    ) -> None:
        count, width = vectors.shape
        self.count = count
        nodes = max(2 * count - 1, 0)
        self.size = np.zeros(nodes)
        self.size[:count] = weights
        self.centre = np.zeros((nodes, width))
        self.centre[:count] = vectors
        first, second = _edges(neighbours, count)
        # The nodes each live node may merge with; emptied once it is merged.
        self.adjacent: list[set[int]] = [set() for _ in range(nodes)]
        for a, b in zip(first.tolist(), second.tolist(), strict=True):
            self.adjacent[a].add(b)
        self.active = [True] * count + [False] * (nodes - count)
        self.best = [-1] * nodes
        self.best_cost = [INFINITY] * nodes
        self.version = [0] * nodes
        self.heap: Heap = []
        # Every point's cheapest merge at once (ties to the smallest neighbour), as _search
        # would find it one point at a time.
        costs = _pair_cost(self.size, self.centre, first, second)
        order = np.lexsort((second, costs, first))
        leads = order[np.r_[True, first[order][1:] != first[order][:-1]]] if len(order) else order
        for point, other, cost in zip(
            first[leads].tolist(), second[leads].tolist(), costs[leads].tolist(), strict=True
        ):
            self.best[point], self.best_cost[point] = other, cost
            self.heap.append((cost, point, 0))
        heapq.heapify(self.heap)

    def run(self) -> Children:
        count = self.count
        children = np.empty((max(count - 1, 0), 2), dtype=np.intp)
        for node in range(count, 2 * count - 1):
            first, second = self._cheapest()
            children[node - count] = sorted((first, second))
            self._merge(first, second, node)
        return children

    def _cheapest(self) -> tuple[int, int]:
        while True:
            if not self.heap:
                self._join_pieces()
                continue
            _, node, version = heapq.heappop(self.heap)
            if self.active[node] and version == self.version[node]:
                return node, self.best[node]

    def _merge(self, first: int, second: int, node: int) -> None:
        size, centre, adjacent = self.size, self.centre, self.adjacent
        self.active[first] = self.active[second] = False
        self.active[node] = True
        size[node] = size[first] + size[second]
        centre[node] = (size[first] * centre[first] + size[second] * centre[second]) / size[node]
        around = adjacent[first] | adjacent[second]
        around -= {first, second}
        adjacent[first], adjacent[second] = set(), set()
        adjacent[node] = around
        if not around:
            return
        others = np.fromiter(around, dtype=np.intp, count=len(around))
        costs = _cost(size, centre, node, others)
        cheapest = int(np.argmin(costs))
        self._choose(node, int(others[cheapest]), float(costs[cheapest]))
        best, best_cost = self.best, self.best_cost
        for other, cost in zip(others.tolist(), costs.tolist(), strict=True):
            links = adjacent[other]
            links.discard(first)
            links.discard(second)
            links.add(node)
            if best[other] == first or best[other] == second:
                self._search(other, push=True)
            elif cost < best_cost[other] or (cost == best_cost[other] and node < best[other]):
                self._choose(other, node, cost)

    def _search(self, node: int, push: bool = False) -> None:
        """Find `node`'s cheapest merge among all its neighbours."""
        around = self.adjacent[node]
        if not around:
            self.best[node], self.best_cost[node] = -1, INFINITY
            self.version[node] += 1
            return
        others = np.fromiter(around, dtype=np.intp, count=len(around))
        costs = _cost(self.size, self.centre, node, others)
        # Ties go to the smallest node, whatever order the set yields them in.
        cheapest = int(np.lexsort((others, costs))[0])
        if push:
            self._choose(node, int(others[cheapest]), float(costs[cheapest]))
        else:
            self.best[node] = int(others[cheapest])
            self.best_cost[node] = float(costs[cheapest])
            self.heap.append((self.best_cost[node], node, self.version[node]))

    def _choose(self, node: int, other: int, cost: float) -> None:
        self.best[node], self.best_cost[node] = other, cost
        self.version[node] += 1
        heapq.heappush(self.heap, (cost, node, self.version[node]))

    def _join_pieces(self) -> None:
        """Link the roots left when the graph was in pieces, each to the roots with the
        nearest centres (a few, so the pieces join in few rounds)."""
        roots = np.flatnonzero(self.active)
        centres = self.centre[roots]
        squared = np.einsum("ij,ij->i", centres, centres)
        k = min(JOIN_NEIGHBOURS, len(roots) - 1)
        nearest = roots[top_k(centres, centres, k, same=True, bias=-squared / 2)]
        for root, others in zip(roots.tolist(), nearest.tolist(), strict=True):
            for other in others:
                self.adjacent[root].add(other)
                self.adjacent[other].add(root)
        for root in roots.tolist():
            self._search(root, push=True)


def _cost(
    size: Weights, centre: npt.NDArray[np.float64], node: int, others: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """Ward's cost of merging `node` with each of `others`: the growth of the within-group
    sum of squares."""
    difference = centre[others] - centre[node]
    result: npt.NDArray[np.float64] = (
        size[node] * size[others] / (size[node] + size[others])
    ) * np.einsum("ij,ij->i", difference, difference)
    return result


def _pair_cost(
    size: Weights,
    centre: npt.NDArray[np.float64],
    first: npt.NDArray[np.intp],
    second: npt.NDArray[np.intp],
) -> npt.NDArray[np.float64]:
    """Ward's cost of merging first[i] with second[i], for every i (in chunks: a million
    edges' differences at once would take half a gigabyte)."""
    result = np.empty(len(first))
    for start in range(0, len(first), CHUNK):
        a, b = first[start : start + CHUNK], second[start : start + CHUNK]
        difference = centre[a] - centre[b]
        result[start : start + CHUNK] = (size[a] * size[b] / (size[a] + size[b])) * np.einsum(
            "ij,ij->i", difference, difference
        )
    return result


def _edges(
    neighbours: npt.NDArray[np.intp] | Sequence[npt.NDArray[np.intp]], count: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The neighbour lists as a symmetric graph: every edge in both directions, once each,
    sorted; self-loops dropped."""
    lists = [np.asarray(listed, dtype=np.intp).ravel() for listed in neighbours]
    lengths = [len(listed) for listed in lists]
    source = np.repeat(np.arange(count, dtype=np.intp), lengths)
    target = np.concatenate(lists) if lists else np.empty(0, dtype=np.intp)
    both = np.unique(np.concatenate([source * count + target, target * count + source]))
    first, second = np.divmod(both, count) if count else (both, both)
    keep = first != second
    return first[keep], second[keep]
