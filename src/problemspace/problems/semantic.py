"""Semantic search: evidence whose meaning is closest to a query, from the embedding cache.

Only evidence that synthesis has embedded can be found this way; keyword search covers the
rest. The scan reads vectors in chunks, so memory stays flat however large the workspace.
"""

from __future__ import annotations

import heapq

import numpy as np

from problemspace.evidence.models import Evidence
from problemspace.problems.embeddings import cached_vectors, content_hash
from problemspace.synthesis.embedding import Embedder
from problemspace.workspaces.models import Workspace

_CHUNK = 5000
# Below this cosine similarity a match is noise for all-MiniLM-L6-v2.
MIN_SIMILARITY = 0.3


def semantic_search(
    workspace: Workspace, query: str, embedder: Embedder, limit: int = 20
) -> list[tuple[int, float]]:
    """(evidence id, similarity) of the closest evidence, best first."""
    if not query.strip():
        return []
    target = embedder.embed([query])[0]
    best: list[tuple[float, int]] = []
    rows = (
        Evidence.objects.filter(workspace=workspace)
        .order_by("id")
        .values_list("id", "text")
        .iterator(chunk_size=_CHUNK)
    )
    batch: list[tuple[int, str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _CHUNK:
            _score(batch, target, embedder.model_id, best, limit)
            batch = []
    _score(batch, target, embedder.model_id, best, limit)
    return [(pk, score) for score, pk in sorted(best, reverse=True)]


def _score(
    batch: list[tuple[int, str]],
    target: np.ndarray,
    model_id: str,
    best: list[tuple[float, int]],
    limit: int,
) -> None:
    if not batch:
        return
    hashes = [content_hash(text) for _, text in batch]
    vectors = cached_vectors(model_id, hashes)
    for (pk, _), key in zip(batch, hashes, strict=True):
        vector = vectors.get(key)
        if vector is None:
            continue
        score = float(vector @ target)
        if score < MIN_SIMILARITY:
            continue
        if len(best) < limit:
            heapq.heappush(best, (score, pk))
        elif score > best[0][0]:
            heapq.heapreplace(best, (score, pk))
