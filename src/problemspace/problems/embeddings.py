"""The embedding cache: vectors stored per (model, text hash), so nothing is embedded twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from problemspace.problems.models import Embedding
from problemspace.synthesis.clean import essence
from problemspace.synthesis.embedding import Embedder
from problemspace.synthesis.items import Vectors

# Rows per query and per insert: below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 900
# Texts embedded (and their vectors saved) at a time: an interrupted synthesis keeps what it
# has embedded so far, and the next run continues from there.
_EMBED_BATCH = 2048


def content_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def embedding_key(text: str) -> str:
    """The cache key of an evidence text: the hash of what is embedded for it, its essence.

    Texts that differ only in their wrapping (greeting, sign-off, rating) share one vector.
    """
    return content_hash(essence(text))


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview) -> Vectors:
    return np.frombuffer(bytes(data), dtype=np.float32)


def cached_vectors(model_id: str, hashes: Sequence[str]) -> dict[str, Vectors]:
    found: dict[str, Vectors] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), _CHUNK):
        rows = Embedding.objects.filter(
            model_id=model_id, content_hash__in=unique[start : start + _CHUNK]
        ).values_list("content_hash", "vector")
        found.update((key, from_bytes(vector)) for key, vector in rows)
    return found


def embed_with_cache(
    texts: Sequence[str],
    embedder: Embedder,
    progress: Callable[[int], None] | None = None,
) -> tuple[Vectors, int, list[str]]:
    """Vectors for `texts` (in order; each text's essence, see synthesis.clean), how many
    had to be embedded now, and each text's cache key.

    Each distinct text is embedded once; new vectors are saved batch by batch, outside any
    surrounding transaction's fate only if the caller runs this outside one (it should).
    """
    texts = [essence(text) for text in texts]
    hashes = [content_hash(text) for text in texts]
    found = cached_vectors(embedder.model_id, hashes)
    if progress:
        progress(sum(1 for key in hashes if key in found))
    missing: dict[str, str] = {}
    for key, text in zip(hashes, texts, strict=True):
        if key not in found and key not in missing:
            missing[key] = text
    todo = list(missing.items())
    for start in range(0, len(todo), _EMBED_BATCH):
        batch = todo[start : start + _EMBED_BATCH]
        vectors = embedder.embed([text for _, text in batch])
        rows = [
            Embedding(model_id=embedder.model_id, content_hash=key, vector=to_bytes(vector))
            for (key, _), vector in zip(batch, vectors, strict=True)
        ]
        Embedding.objects.bulk_create(rows, batch_size=_CHUNK, ignore_conflicts=True)
        found.update((key, vector) for (key, _), vector in zip(batch, vectors, strict=True))
        if progress:
            # Copies of a text count as done with it.
            done = {key for key, _ in batch}
            progress(sum(1 for key in hashes if key in done))
    out = np.empty((len(texts), embedder.dimensions), dtype=np.float32)
    for i, key in enumerate(hashes):
        out[i] = found[key]
    return out, len(todo), hashes
