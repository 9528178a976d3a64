"""The words, word pairs and letter runs of a text, weighted by TF-IDF over a fixed vocabulary.

The sentence vectors say what a text is about; they read "Exactly what I needed" close to a
request for what was needed. The words themselves ("exactly what", "love", "please add",
"crash") and letter runs (which survive typos and "Gr8 app!!") tell how it is said. The kinds
classifier (kinds.py) reads both. The vocabulary and its weights are learnt by
bench/kinds/train.py and stored as plain arrays beside the classifier's (never pickle); the
vectorizers are scikit-learn's, rebuilt from those arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

# Shared by training and use: a vocabulary is only valid with the settings it was learnt with.
WORD_SETTINGS: dict[str, Any] = {
    "ngram_range": (1, 2),
    "min_df": 3,
    "max_features": 20000,
    "sublinear_tf": True,
}
LETTER_SETTINGS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "min_df": 3,
    "max_features": 20000,
    "sublinear_tf": True,
}


@dataclass(frozen=True)
class Grams:
    """Two vocabularies (word n-grams, letter n-grams) with their inverse document
    frequencies; a text becomes the two TF-IDF rows side by side."""

    word_vocabulary: npt.NDArray[np.str_]
    word_idf: npt.NDArray[np.float64]
    letter_vocabulary: npt.NDArray[np.str_]
    letter_idf: npt.NDArray[np.float64]

    @property
    def width(self) -> int:
        return len(self.word_vocabulary) + len(self.letter_vocabulary)

    @classmethod
    def learn(cls, texts: Sequence[str]) -> Grams:
        from sklearn.feature_extraction.text import TfidfVectorizer

        words = TfidfVectorizer(**WORD_SETTINGS).fit(texts)
        letters = TfidfVectorizer(**LETTER_SETTINGS).fit(texts)
        return cls(
            np.array(words.get_feature_names_out(), dtype=str),
            words.idf_.astype(np.float64),
            np.array(letters.get_feature_names_out(), dtype=str),
            letters.idf_.astype(np.float64),
        )

    def rows(self, texts: Sequence[str]) -> Any:
        """A sparse matrix, a row per text (scipy CSR)."""
        from scipy import sparse

        words, letters = self._vectorizers
        return sparse.hstack([words.transform(texts), letters.transform(texts)]).tocsr()

    @cached_property
    def _vectorizers(self) -> tuple[Any, Any]:
        return (
            _vectorizer(WORD_SETTINGS, self.word_vocabulary, self.word_idf),
            _vectorizer(LETTER_SETTINGS, self.letter_vocabulary, self.letter_idf),
        )

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        return {
            "word_vocabulary": self.word_vocabulary,
            "word_idf": self.word_idf,
            "letter_vocabulary": self.letter_vocabulary,
            "letter_idf": self.letter_idf,
        }

    @classmethod
    def from_arrays(cls, data: Any) -> Grams | None:
        if "word_vocabulary" not in data:
            return None
        return cls(
            data["word_vocabulary"],
            data["word_idf"],
            data["letter_vocabulary"],
            data["letter_idf"],
        )


def _vectorizer(
    settings: dict[str, Any], vocabulary: npt.NDArray[np.str_], idf: npt.NDArray[np.float64]
) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        **{k: v for k, v in settings.items() if k not in ("min_df", "max_features")},
        vocabulary={term: n for n, term in enumerate(vocabulary.tolist())},
    )
    vectorizer.idf_ = idf
    return vectorizer
