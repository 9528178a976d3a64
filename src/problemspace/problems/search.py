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
from problemspace.problems.embeddings import cached_vectors, embedding_key, from_bytes
from problemspace.problems.models import Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.synthesis import embedding
from problemspace.synthesis.embedding import Embedder
from problemspace.workspaces.models import Workspace

_CHUNK = 5000
# Meaning search in a large workspace (see semantic_search).
SCAN_ALL = 20_000
NEAREST_PROBLEMS = 3
PER_PROBLEM = 200
NEWEST = 100
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

    In a workspace of up to SCAN_ALL items (as its last synthesis counted them), every
    embedded item is compared with the query.
    Beyond, reading every vector would take seconds (a million vectors are 1.5 GB), so the
    problems do the work of an index: evidence close to the query in meaning sits in the
    problems whose centroids are closest to it. The candidates are the latest PER_PROBLEM
    items placed in the NEAREST_PROBLEMS nearest problems, whose vectors' keys synthesis
    kept, and the NEWEST items of the workspace, which may not be in a problem yet. Evidence
    never embedded is skipped. Memory stays flat: keys and vectors are read in chunks.
    """
    if not query.strip():
        return []
    target = embedder.embed([query])[0]
    keyed: Iterable[tuple[int, str]]
    if _synthesized_items(workspace) > SCAN_ALL:
        keyed = _candidates(workspace, target)
    else:
        rows = (
            Evidence.objects.filter(workspace=workspace)
            .order_by("id")
            .values_list("id", "text")
            .iterator(chunk_size=_CHUNK)
        )
        keyed = ((pk, embedding_key(text)) for pk, text in rows)
    best: list[tuple[float, int]] = []
    batch: list[tuple[int, str]] = []
    for row in keyed:
        batch.append(row)
        if len(batch) == _CHUNK:
            _keep_best(batch, target, embedder.model_id, best, limit)
            batch = []
    _keep_best(batch, target, embedder.model_id, best, limit)
    return [(pk, score) for score, pk in sorted(best, reverse=True)]


def _synthesized_items(workspace: Workspace) -> int:
    """How many items the last synthesis read: the size of what there is to search by meaning
    (counting the workspace's rows would cost 100 ms at a million on PostgreSQL)."""
    counts = (
        SynthesisRun.objects.filter(workspace=workspace, status=RunStatus.DONE)
        .order_by("-finished_at")
        .values_list("counts", flat=True)
        .first()
    )
    return int((counts or {}).get("items", 0))


def _candidates(workspace: Workspace, target: np.ndarray) -> list[tuple[int, str]]:
    """(evidence id, vector key) worth comparing with the query in a large workspace."""
    rows = (
        Problem.objects.filter(workspace=workspace, centroid__isnull=False)
        .filter(dismissed=False)
        .values_list("pk", "centroid")
    )
    centroids = [
        (pk, from_bytes(centroid))
        for pk, centroid in rows
        if centroid is not None and len(centroid) == target.size * 4
    ]
    keys: dict[int, str] = {}
    if centroids:
        similarity = np.stack([vector for _, vector in centroids]) @ target
        for i in np.argsort(-similarity)[:NEAREST_PROBLEMS].tolist():
            # The latest placed first, in the order of the problem's index: no sort.
            members = ProblemEvidence.objects.filter(problem_id=centroids[i][0]).order_by("-id")
            keys.update(members.values_list("evidence_id", "vector_key")[:PER_PROBLEM])
    newest = Evidence.objects.filter(workspace=workspace).order_by("-occurred_at", "-id")
    newest_ids = list(newest.values_list("pk", flat=True)[:NEWEST])
    placed = ProblemEvidence.objects.filter(evidence_id__in=newest_ids)
    keys.update(placed.values_list("evidence_id", "vector_key"))
    # Not placed yet, or placed by the PM since the last synthesis: no key was kept, so it is
    # made from the text (the slow way: reading the text's essence takes 0.1 ms).
    unkeyed = [pk for pk in newest_ids if not keys.get(pk)]
    unkeyed += [pk for pk, key in keys.items() if not key and pk not in newest_ids]
    texts = Evidence.objects.filter(pk__in=unkeyed).values_list("pk", "text")
    keys.update((pk, embedding_key(text)) for pk, text in texts)
    return sorted(keys.items())


def _keep_best(
    batch: list[tuple[int, str]],
    target: np.ndarray,
    model_id: str,
    best: list[tuple[float, int]],
    limit: int,
) -> None:
    if not batch:
        return
    vectors = cached_vectors(model_id, [key for _, key in batch])
    known = [(pk, vectors[key]) for pk, key in batch if key in vectors]
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
