"""Essence vectors of labelled texts with the model synthesis uses on a CPU, cached on disk.

The cache (bench/out/kinds-vectors.npz, keyed by the hash synthesis keys its own cache by) makes
a second training or benchmark run skip the embedding.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.clean import essence
from problemspace.synthesis.embedding import QuantizedEmbedder

CACHE = Path(__file__).resolve().parent.parent / "out" / "kinds-vectors.npz"


def _key(text: str) -> str:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def embed_essences(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    essences = [essence(text) for text in texts]
    keys = [_key(text) for text in essences]
    cached: dict[str, npt.NDArray[np.float32]] = {}
    if CACHE.exists():
        with np.load(CACHE, allow_pickle=False) as data:
            cached = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    missing = {key: text for key, text in zip(keys, essences, strict=True) if key not in cached}
    if missing:
        embedder = QuantizedEmbedder()
        found = embedder.embed(list(missing.values()))
        cached.update(zip(missing, found, strict=True))
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, keys=np.array(list(cached)), vectors=np.stack(list(cached.values())))
    return np.stack([cached[key] for key in keys]).astype(np.float32)
