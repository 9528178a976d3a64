"""Label stage: a title, keywords and three representative quotes for each problem.

Keywords are class-based TF-IDF (the words that set one problem's evidence apart from the
others'). The title is customers' own words: a sentence of a central piece of evidence that
uses the problem's keywords, clipped; quotes are central but different from one another
(maximal marginal relevance), and never two copies of one conversation.

All three work on any text: a group with no words at all (emoji, punctuation, stop words
only) gets no keywords, its central text as title, and its quotes as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from problemspace.synthesis.clean import PROBLEM_CUE, sentences
from problemspace.synthesis.dedupe import SAME_TEXT, normalised_text
from problemspace.synthesis.items import Vectors

TITLE_LENGTH = 60
KEYWORDS = 6
QUOTES = 3
# Central texts whose sentences are tried as a title: enough to find a short one that names
# the problem, few enough that an off-centre remark never wins.
TITLE_CANDIDATES = 10
# Candidates for quotes, most central first; MMR then trades centrality for variety.
QUOTE_CANDIDATES = 200
# Two characters or more, one a letter at least: "2fa" and "sso" are words; "2024", "_" and
# the "s" of "card's" are not.
_WORD_PATTERN = r"(?u)\b(?=\w*[^\W\d_])\w\w+\b"
# What the tokenizer leaves of "don't", "isn't", "we'll": stop words too.
_CONTRACTIONS = frozenset(
    {"don", "doesn", "didn", "isn", "wasn", "aren", "weren", "haven", "hasn", "hadn", "won"}
    | {"wouldn", "couldn", "shouldn", "ll", "ve", "re"}
)
_WORD = re.compile(_WORD_PATTERN)


def keywords_by_group(
    texts_by_group: Mapping[int, Sequence[str]], count: int = KEYWORDS
) -> dict[int, list[str]]:
    """The most distinctive words and word pairs of each group (class-based TF-IDF).

    A term's weight in a group is its frequency there times log(1 + average words per group /
    its frequency in all groups), so words every problem uses ("app", "customer") sink and the
    words of this problem rise. Word pairs are counted within one text, never across two.
    """
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    keys = list(texts_by_group)
    texts = [text for key in keys for text in texts_by_group[key]]
    sizes = [len(texts_by_group[key]) for key in keys]
    vectorizer = CountVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | _CONTRACTIONS),
        ngram_range=(1, 2),
        token_pattern=_WORD_PATTERN,
        max_features=100_000,
        dtype=np.float64,
    )
    try:
        by_text = vectorizer.fit_transform(texts)
    except ValueError:
        # No words at all (emoji, punctuation, only stop words): nothing to rank.
        return {key: [] for key in keys}
    # One row per group: the sum of its texts' rows.
    membership = csr_matrix(
        (np.ones(len(texts)), np.arange(len(texts)), np.concatenate([[0], np.cumsum(sizes)])),
        shape=(len(keys), len(texts)),
    )
    matrix = (membership @ by_text).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    term_frequency = np.asarray(matrix.sum(axis=0)).ravel()
    average_words = matrix.sum() / max(len(keys), 1)
    idf = np.log(1 + average_words / np.maximum(term_frequency, 1))
    result: dict[int, list[str]] = {}
    for position, key in enumerate(keys):
        start, stop = matrix.indptr[position], matrix.indptr[position + 1]
        indices, counts = matrix.indices[start:stop], matrix.data[start:stop]
        weights = counts / max(counts.sum(), 1) * idf[indices]
        # Best first; ties (common in small groups) by the vocabulary's alphabetical order.
        ranked = indices[np.lexsort((indices, -weights))]
        result[key] = _distinct_terms((str(vocabulary[i]) for i in ranked), count)
    return result


def _distinct_terms(terms: Iterable[str], count: int) -> list[str]:
    """The first `count` terms that each add a word: a pair makes its single words redundant,
    and two single words make their pair redundant."""
    chosen: list[str] = []
    words: set[str] = set()
    for term in terms:
        parts = set(term.split())
        if parts <= words or any(set(kept.split()) <= parts for kept in chosen):
            continue
        chosen.append(term)
        words |= parts
        if len(chosen) == count:
            break
    return chosen


def representative(
    ids: Sequence[int],
    vectors: Vectors,
    centre: Vectors,
    duplicate_of: Mapping[int, int],
    count: int = QUOTES,
    diversity: float = 0.3,
    texts: Sequence[str] | None = None,
) -> list[int]:
    """Ids of `count` items close to the centre and unlike each other (MMR).

    `vectors[i]` belongs to `ids[i]`. Each pick maximises (1 - diversity) * similarity to the
    centre - diversity * similarity to the closest quote already picked. Repeats of a
    conversation (keys of `duplicate_of`) are never quoted, nor is anything as close as a
    duplicate (cosine >= SAME_TEXT) to a quote already picked, nor, when `texts` (aligned with
    `ids`) is given, the same normalised text; with `texts`, a quote of fewer than three words
    ("+1", "same here") is picked only when no longer one is left.
    """
    originals = [i for i, item_id in enumerate(ids) if item_id not in duplicate_of]
    if not originals or count <= 0:
        return []
    norm = float(np.linalg.norm(centre))
    centre = centre / norm if norm > 0 else vectors[originals].mean(axis=0)
    relevance = vectors[originals] @ centre
    if texts is not None:
        short = np.array([len(_WORD.findall(texts[i])) < 3 for i in originals])
        # Behind every longer text, whatever its similarity.
        relevance = relevance - 10.0 * short
    candidates = [int(c) for c in np.argsort(-relevance, kind="stable")[:QUOTE_CANDIDATES]]
    pool = vectors[[originals[c] for c in candidates]]
    closest = np.full(len(candidates), -np.inf, dtype=np.float64)
    open_ = np.ones(len(candidates), dtype=bool)
    said: set[str] = set()
    chosen: list[int] = []
    while len(chosen) < count and open_.any():
        redundancy = np.where(np.isfinite(closest), closest, 0.0)
        scores = (1 - diversity) * relevance[candidates] - diversity * redundancy
        scores[~open_] = -np.inf
        best = int(np.argmax(scores))
        open_[best] = False
        text = normalised_text(texts[originals[candidates[best]]]) if texts is not None else None
        if text is not None and text in said:
            continue
        if text is not None:
            said.add(text)
        chosen.append(candidates[best])
        closest = np.maximum(closest, pool @ pool[best])
        open_ &= closest < SAME_TEXT
    return [ids[originals[c]] for c in chosen]


def title_from(texts: Sequence[str], keywords: Sequence[str]) -> str:
    """A short title in the customers' words, from texts ordered most central first.

    Among the sentences of the central texts, the one that uses most of the top keywords'
    words, a sentence that must be clipped counting 1.5 words less and one in capitals 1 less
    (a short, calm sentence with one keyword fewer reads better); then the most central one.
    When no sentence uses any keyword, the keywords themselves ("Csv export, ledger, timeout").
    """
    words = {word for keyword in keywords[:3] for word in keyword.split()}
    best: tuple[tuple[float, int, int], int, str] | None = None
    for position, text in enumerate(texts[:TITLE_CANDIDATES]):
        for index, (sentence, whole) in enumerate(_title_candidates(text)):
            # Too short to name a problem; text without spaces (Chinese, Japanese) is denser.
            if len(sentence) < (12 if " " in sentence else 4):
                continue
            # A leading clause stands for its whole sentence: it counts the sentence's words.
            uses = len(words & {word.lower() for word in _WORD.findall(whole)})
            merit = (
                uses
                - 1.5 * (len(sentence) > TITLE_LENGTH)
                - 1.0 * sentence.isupper()
                + 0.75 * bool(PROBLEM_CUE.search(whole))
                - CLAUSE_COST * (sentence != whole)
                - BUT_HEAD_COST * _before_but(whole, text)
            )
            fit = (-merit, position, index)
            if best is None or fit < best[0]:
                best = (fit, uses, sentence)
    if best is not None and (best[1] > 0 or not words):
        sentence = best[2]
        if sentence.isupper():
            sentence = sentence.lower()
        return _capitalised(clip(sentence, TITLE_LENGTH))
    if keywords:
        return _capitalised(clip(", ".join(keywords[:3]), TITLE_LENGTH))
    for text in texts:
        plain = " ".join(text.split())
        if plain:
            return _capitalised(clip(plain, TITLE_LENGTH))
    return "(no words to name this by)"


# A sentence's leading clause ("The line items are a mess" of "The line items are a mess:
# descriptions cut off, unit prices wrong") may stand as the title, counted with its sentence's
# words (what comes after "because" is the cause; what comes before, the problem); it costs a
# little against the whole sentence, so a whole sentence that fits is
# preferred, and the clause is preferred to the sentence clipped ("…a mess: descriptions cut
# off, unit…").
_CLAUSE_BREAK = re.compile(r"\s*(?::|;|\s[\u2014\u2013-]\s|,?\s(?:because|since)\s)\s*")
CLAUSE_COST = 0.5
# What comes before "but" is a preamble or a hedge ("Not a product thing, but our renewal quote
# went to someone who left"; "Works great, but the export times out"): the point is after it.
BUT_HEAD_COST = 1.0


def _before_but(sentence: str, text: str) -> bool:
    at = text.find(sentence)
    return at >= 0 and bool(_BUT_NEXT.match(text, at + len(sentence)))


_BUT_NEXT = re.compile(r",?\s+but\s", re.IGNORECASE)


def _title_candidates(text: str) -> Iterable[tuple[str, str]]:
    """Each sentence of `text` (with itself), and after it its leading clause when it has
    several (with the sentence)."""
    for sentence in sentences(text):
        yield sentence, sentence
        head = _CLAUSE_BREAK.split(sentence, maxsplit=1)
        if len(head) == 2 and head[1]:
            yield head[0], sentence


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def clip(text: str, length: int) -> str:
    """`text` in at most `length` characters, cut at a word with "…" when too long."""
    if len(text) <= length:
        return text.rstrip(" .,;:\u3002")
    cut = text[: length - 1]
    if " " in cut.strip():
        cut = cut.rsplit(" ", 1)[0]
    return f"{cut.rstrip(' ,;:-')}…"
