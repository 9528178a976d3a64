import numpy as np
import pytest

from problemspace.synthesis import embedding, onnx_backend
from problemspace.synthesis.embedding import (
    MODEL_MISSING_NOTE,
    HashingEmbedder,
    QuantizedEmbedder,
    SentenceEmbedder,
    can_embed,
    default_embedder,
    default_model_id,
    embedder_for,
    model_installed,
    quantized_installed,
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


needs_model = pytest.mark.skipif(not model_installed(), reason="the model extra is not installed")
needs_onnx = pytest.mark.skipif(not quantized_installed(), reason="onnxruntime is not installed")


@needs_model
@pytest.mark.parametrize("kind", [SentenceEmbedder, QuantizedEmbedder])
def test_the_model_groups_paraphrases(kind):
    if kind is QuantizedEmbedder and not quantized_installed():
        pytest.skip("onnxruntime is not installed")
    embedder = kind()
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    assert not np.isnan(vectors).any()
    assert vectors[0] @ vectors[1] > 0.6
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    # Long texts are clipped for the model, not refused.
    assert embedder.embed(["word " * 50_000]).shape == (1, 384)


def test_the_missing_model_note_says_how_to_install_it():
    assert "pip install 'problemspace[model]'" in MODEL_MISSING_NOTE


@needs_model
def test_the_default_is_the_model_and_says_its_id():
    embedder, notes = default_embedder()
    assert notes == []
    assert embedder.model_id in {SentenceEmbedder.model_id, QuantizedEmbedder.model_id}
    assert embedder.model_id == default_model_id()


@needs_onnx
def test_the_int8_model_stays_close_to_the_full_one():
    full = SentenceEmbedder(device="cpu").embed(TEXTS)
    quantized = QuantizedEmbedder().embed(TEXTS)
    assert quantized.shape == full.shape
    assert np.allclose(np.linalg.norm(quantized, axis=1), 1, atol=1e-4)
    # A text gets the same vector alone as among others: the cache depends on it.
    assert np.array_equal(QuantizedEmbedder().embed(TEXTS[2:3]), quantized[2:3])
    assert (np.einsum("ij,ij->i", full, quantized) > 0.97).all()
    # Not the same vectors: they are cached under an id of their own.
    assert QuantizedEmbedder.model_id != SentenceEmbedder.model_id


@needs_onnx
def test_the_int8_model_is_made_once_in_the_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PROBLEMSPACE_CACHE_DIR", str(tmp_path))
    QuantizedEmbedder()
    made = list(tmp_path.glob("models/*/model.onnx"))
    assert len(made) == 1
    first = made[0].stat().st_mtime_ns
    monkeypatch.setattr(onnx_backend, "_export", lambda *args: pytest.fail("made again"))
    QuantizedEmbedder()
    assert made[0].stat().st_mtime_ns == first
    # Nothing half-made is left beside it.
    assert [path.name for path in made[0].parent.iterdir()] == ["model.onnx"]


@needs_onnx
def test_it_falls_back_to_the_full_model_when_int8_cannot_be_made(monkeypatch, caplog):
    def broken(self):
        raise OSError("read-only file system")

    monkeypatch.setattr(embedding, "_gpu", lambda: False)
    monkeypatch.setattr(QuantizedEmbedder, "__init__", broken)
    embedder, notes = default_embedder()
    assert isinstance(embedder, SentenceEmbedder)
    assert notes == []
    assert "read-only file system" in caplog.text


@needs_model
def test_a_gpu_runs_the_full_model(monkeypatch):
    monkeypatch.setattr(embedding, "_gpu", lambda: True)
    assert default_model_id() == SentenceEmbedder.model_id


def test_each_model_id_gets_the_embedder_of_its_vectors(monkeypatch):
    assert isinstance(embedder_for(HashingEmbedder.model_id), HashingEmbedder)
    assert can_embed(HashingEmbedder.model_id)
    assert embedder_for("some-other-model") is None
    assert not can_embed("some-other-model")
    assert not can_embed(None)
    monkeypatch.setattr(embedding, "quantized_installed", lambda: False)
    assert not can_embed(QuantizedEmbedder.model_id)
    assert embedder_for(QuantizedEmbedder.model_id) is None
