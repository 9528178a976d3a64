"""Evidence search by words and by meaning together, for `problemspace search` and the web.

Keyword search (problemspace.evidence.search) finds the words a person typed; semantic search
finds evidence that says the same thing in other words ("can't get my data out" for "export"),
from the vectors synthesis cached. The two rankings are fused with reciprocal rank fusion, so
what both place high comes first and neither's score scale matters.

Semantic search only knows evidence that synthesis has embedded, and it embeds the query with
the model synthesis last used, so that query and evidence vectors are comparable. Before the
first synthesis, or when that model is no longer installed, search falls back to words only and
says so.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from problemspace.evidence import search as keyword
from problemspace.evidence.models import Evidence
from problemspace.problems.embeddings import cached_vectors, embedding_key
from problemspace.problems.models import RunStatus, SynthesisRun
from problemspace.synthesis import embedding
from problemspace.synthesis.embedding import Embedder
from problemspace.workspaces.models import Workspace

_CHUNK = 5000
# Below this cosine similarity a match is noise for all-MiniLM-L6-v2.
MIN_SIMILARITY = 0.3
# Each ranking is asked for this many times the results wanted, so that fusion has candidates
# that one ranking places low and the other high.
DEPTH = 3

NO_SYNTHESIS_NOTE = (
    "Searched by words only: run `problemspace synthesize` once to search by meaning too."
)
MODEL_GONE_NOTE = (
    "Searched by words only: synthesis used {model}, which is not installed now "
    "(pip install 'problemspace[model]')."
)

MODES = frozenset({"both", "words", "meaning"})


@dataclass
class Found:
    """One result: the evidence, and how each kind of search ranked it (None: not found so)."""

    evidence: Evidence
    keyword_score: float | None = None
    similarity: float | None = None

    @property
    def matched_by(self) -> str:
        if self.keyword_score is not None and self.similarity is not None:
            return "words and meaning"
        return "words" if self.keyword_score is not None else "meaning"


@dataclass
class SearchResult:
    results: list[Found]
    notes: list[str] = field(default_factory=list)


EmbedderFor = Callable[[str], Embedder | None]


def embedder_for(model_id: str) -> Embedder | None:
    """An embedder that makes vectors comparable with `model_id`'s; None if not installed."""
    return embedding.embedder_for(model_id)


def synthesis_model(workspace: Workspace) -> str | None:
    """The model of the workspace's last finished synthesis, whose vectors are cached."""
    run = (
        SynthesisRun.objects.filter(workspace=workspace, status=RunStatus.DONE)
        .exclude(model_id="")
        .order_by("-finished_at")
        .first()
    )
    return run.model_id if run else None


def search_evidence(
    workspace: Workspace,
    query: str,
    *,
    limit: int = 20,
    mode: str = "both",
    load_embedder: EmbedderFor = embedder_for,
) -> SearchResult:
    """The `limit` pieces of evidence that match `query` best, by words, meaning or both.

    Words that the query leaves out (`-word`) are left out of the meaning results too.
    SearchError when the query has nothing to look for in the mode asked.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {sorted(MODES)}, not {mode!r}.")
    notes: list[str] = []
    # Raises SearchError, saying why, when the query has no words to look for.
    parsed = None if mode == "meaning" else keyword.parse_query(query)
    keyword_hits: dict[int, float] = {}
    if parsed is not None:
        hits = keyword.keyword_search(workspace, query, limit * DEPTH)
        keyword_hits = {hit.evidence_id: hit.score for hit in hits}
    similar: dict[int, float] = {}
    if mode != "words":
        meaning = _meaning_text(query, parsed)
        if not meaning:
            raise keyword.SearchError("Type what you are looking for.")
        embedder = _semantic_embedder(workspace, load_embedder, notes)
        if embedder is None and mode == "meaning":
            raise keyword.SearchError(" ".join(notes))
        if embedder is not None:
            similar = dict(semantic_search(workspace, meaning, embedder, limit * DEPTH))
            if parsed is not None and parsed.excluded:
                for pk in _containing_any(list(similar), parsed.excluded):
                    del similar[pk]
    order = keyword.fuse([list(keyword_hits), list(similar)])[:limit]
    rows = Evidence.objects.filter(pk__in=order).select_related("account", "contact")
    by_id = {evidence.pk: evidence for evidence in rows}
    results = [
        Found(by_id[pk], keyword_hits.get(pk), similar.get(pk)) for pk in order if pk in by_id
    ]
    return SearchResult(results, notes)


def semantic_search(
    workspace: Workspace, query: str, embedder: Embedder, limit: int = 20
) -> list[tuple[int, float]]:
    """(evidence id, cosine similarity) of the evidence closest in meaning, best first.

    Reads the workspace's evidence and its cached vectors in chunks, so memory stays flat
    however large the workspace; evidence never embedded is skipped.
    """
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
            _keep_best(batch, target, embedder.model_id, best, limit)
            batch = []
    _keep_best(batch, target, embedder.model_id, best, limit)
    return [(pk, score) for score, pk in sorted(best, reverse=True)]


def _keep_best(
    batch: list[tuple[int, str]],
    target: np.ndarray,
    model_id: str,
    best: list[tuple[float, int]],
    limit: int,
) -> None:
    if not batch:
        return
    hashes = [embedding_key(text) for _, text in batch]
    vectors = cached_vectors(model_id, hashes)
    known = [
        (pk, vectors[key]) for (pk, _), key in zip(batch, hashes, strict=True) if key in vectors
    ]
    if not known:
        return
    scores = np.stack([vector for _, vector in known]) @ target
    for (pk, _), score in zip(known, scores.tolist(), strict=True):
        if score < MIN_SIMILARITY:
            continue
        if len(best) < limit:
            heapq.heappush(best, (score, pk))
        elif score > best[0][0]:
            heapq.heapreplace(best, (score, pk))


def _parse_or_none(query: str) -> keyword.SearchQuery | None:
    try:
        return keyword.parse_query(query)
    except keyword.SearchError:
        return None


def _meaning_text(query: str, parsed: keyword.SearchQuery | None) -> str:
    """What the model reads: the words looked for, without the query language's marks."""
    if parsed is None:
        return " ".join(query.split())
    return " ".join(term.text for group in parsed.groups for term in group)


def _semantic_embedder(
    workspace: Workspace, load_embedder: EmbedderFor, notes: list[str]
) -> Embedder | None:
    model = synthesis_model(workspace)
    if model is None:
        notes.append(NO_SYNTHESIS_NOTE)
        return None
    embedder = load_embedder(model)
    if embedder is None:
        notes.append(MODEL_GONE_NOTE.format(model=model))
    return embedder


def _containing_any(ids: list[int], terms: Iterable[keyword.Term]) -> set[int]:
    """Those of `ids` whose text has any of `terms` (as keyword search reads them)."""
    either = keyword.SearchQuery(groups=(tuple(terms),))
    matches = Evidence.objects.filter(pk__in=ids).filter(keyword.Matches(either))
    return set(matches.values_list("pk", flat=True))
