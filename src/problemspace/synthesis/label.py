"""Label stage: a title, keywords and three representative quotes for each problem.

Keywords are class-based TF-IDF (the words that set one problem's evidence apart from the
others'). The title is customers' own words: the first sentence of a central piece of evidence,
clipped; quotes are central but different from one another (maximal marginal relevance), and
never two copies of one conversation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from problemspace.synthesis.items import Vectors

TITLE_LENGTH = 60
KEYWORDS = 6
QUOTES = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_GREETING = re.compile(
    r"^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^,.!?]*[,.!?]\s*", re.IGNORECASE
)
# Survey and review boilerplate in front of the words: "Score: 9/10", "★★★☆☆", "NPS 7 -".
_RATING = re.compile(
    r"^((score|rating|nps|csat)\s*:?\s*\d+(\s*/\s*\d+)?|[★☆*]+)\s*[-:\u2013\u2014]?\s*",
    re.IGNORECASE,
)


def keywords_by_group(texts_by_group: Mapping[int, Sequence[str]]) -> dict[int, list[str]]:
    """The most distinctive words and word pairs of each group (class-based TF-IDF)."""
    from sklearn.feature_extraction.text import CountVectorizer

    keys = list(texts_by_group)
    documents = [" ".join(texts_by_group[key]) for key in keys]
    try:
        counts = CountVectorizer(
            stop_words="english", ngram_range=(1, 2), max_features=100_000
        ).fit(documents)
    except ValueError:
        # No words at all (emoji, punctuation, only stop words): nothing to rank.
        return {key: [] for key in keys}
    matrix = counts.transform(documents).astype(np.float64)
    vocabulary = counts.get_feature_names_out()
    term_frequency = np.asarray(matrix.sum(axis=0)).ravel()
    average_words = matrix.sum() / max(len(keys), 1)
    idf = np.log(1 + average_words / np.maximum(term_frequency, 1))
    result: dict[int, list[str]] = {}
    for position, key in enumerate(keys):
        row = matrix.getrow(position)
        if row.nnz == 0:
            result[key] = []
            continue
        weights = row.data / row.sum() * idf[row.indices]
        ranked = row.indices[np.argsort(-weights)]
        chosen: list[str] = []
        for index in ranked:
            term = str(vocabulary[index])
            # A pair makes its single words redundant, and the other way round.
            if any(term in kept or kept in term for kept in chosen):
                continue
            chosen.append(term)
            if len(chosen) == KEYWORDS:
                break
        result[key] = chosen
    return result


def representative(
    ids: Sequence[int],
    vectors: Vectors,
    centre: Vectors,
    duplicate_of: Mapping[int, int],
    count: int = QUOTES,
    diversity: float = 0.3,
) -> list[int]:
    """Ids of `count` items close to the centre and unlike each other (MMR)."""
    originals = [i for i, item_id in enumerate(ids) if item_id not in duplicate_of]
    if not originals:
        return []
    relevance = vectors[originals] @ centre
    chosen: list[int] = []
    candidates = list(np.argsort(-relevance)[:200])
    while candidates and len(chosen) < count:
        if chosen:
            picked = vectors[[originals[c] for c in chosen]]
            redundancy = (vectors[[originals[c] for c in candidates]] @ picked.T).max(axis=1)
        else:
            redundancy = np.zeros(len(candidates))
        scores = (1 - diversity) * relevance[candidates] - diversity * redundancy
        best = candidates.pop(int(np.argmax(scores)))
        chosen.append(int(best))
    return [ids[originals[c]] for c in chosen]


def title_from(texts: Sequence[str], keywords: Sequence[str]) -> str:
    """A short title in the customers' words, from texts ordered most central first."""
    sentences = []
    for text in texts[:10]:
        first = _first_sentence(text)
        if len(first) >= 12:
            sentences.append(first)
    if not sentences:
        return (", ".join(keywords[:3]) or (texts[0] if texts else "")).capitalize()[
            :TITLE_LENGTH
        ] or "(no words to name this by)"
    # Prefer a central sentence that uses the problem's own keywords and is short.
    words = {word for keyword in keywords[:3] for word in keyword.split()}

    def fit(position_sentence: tuple[int, str]) -> tuple[int, int, int]:
        position, sentence = position_sentence
        uses = sum(1 for word in words if word in sentence.lower())
        return (-uses, int(len(sentence) > TITLE_LENGTH), position)

    _, best = min(enumerate(sentences), key=fit)
    return clip(best, TITLE_LENGTH)


def _first_sentence(text: str) -> str:
    text = _RATING.sub("", " ".join(text.split()))
    text = _GREETING.sub("", text)
    for part in _SENTENCE_END.split(text):
        part = part.strip()
        if part:
            return part
    return ""


def clip(text: str, length: int) -> str:
    if len(text) <= length:
        return text.rstrip(" .")
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"
