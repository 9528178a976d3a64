import numpy as np
import pytest

from problemspace.synthesis.embedding import (
    MODEL_MISSING_NOTE,
    HashingEmbedder,
    default_embedder,
    model_installed,
)

TEXTS = [
    "The CSV export times out for large ledgers",
    "Exporting a big ledger to CSV times out every time",
    "Please add dark mode to the mobile app",
    "🙂🙂🙂",
    "",
    "La exportación a CSV falla con libros grandes",
]


def test_the_fallback_is_stable_and_normalised():
    embedder = HashingEmbedder()
    first = embedder.embed(TEXTS)
    again = HashingEmbedder().embed(TEXTS)
    assert first.shape == (len(TEXTS), embedder.dimensions)
    assert np.allclose(first, again)
    norms = np.linalg.norm(first, axis=1)
    # Texts with no words (emoji only, empty) get a zero vector, never NaN.
    assert np.allclose(norms[[0, 1, 2, 5]], 1, atol=1e-5)
    assert not np.isnan(first).any()
    assert first[0] @ first[1] > first[0] @ first[2]


def test_asking_for_the_fallback_gives_it_without_a_warning():
    embedder, notes = default_embedder(fallback=True)
    assert embedder.model_id == "hashing-v1"
    assert notes == []


@pytest.mark.skipif(not model_installed(), reason="the model extra is not installed")
def test_the_model_groups_paraphrases():
    embedder, notes = default_embedder()
    assert notes == []
    assert embedder.model_id == "all-MiniLM-L6-v2"
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    assert not np.isnan(vectors).any()
    assert vectors[0] @ vectors[1] > 0.6
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    # Long texts are clipped for the model, not refused.
    assert embedder.embed(["word " * 50_000]).shape == (1, 384)


def test_the_missing_model_note_says_how_to_install_it():
    assert "pip install 'problemspace[model]'" in MODEL_MISSING_NOTE
