"""Posts like the one being typed, so a customer votes for an existing post instead of
writing a duplicate.

Ranked by meaning with the embedder of the workspace's last synthesis (the same model whose
vectors are cached, so a post's vector is made once and kept in the embedding cache), and by
shared words where the workspace has no synthesis yet or its model is not installed here.

The work is bounded: only published posts are candidates, at most CANDIDATES of them (the
most voted, which are the ones worth pointing at), and the query is clipped.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from problemspace.portal.models import Post, PostStatus
from problemspace.problems.embeddings import embed_with_cache
from problemspace.problems.search import MIN_SIMILARITY, embedder_for, synthesis_model
from problemspace.synthesis.embedding import Embedder
from problemspace.workspaces.models import Workspace

CANDIDATES = 500
MAX_QUERY = 1_000
# Fewer characters than this say too little to compare.
MIN_QUERY = 8
# Share of the typed words a post must contain to be suggested by words alone.
MIN_WORD_SHARE = 0.34
_WORD = re.compile(r"[^\W_]{3,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "this",
        "with",
        "you",
        "your",
        "are",
        "was",
        "were",
        "have",
        "has",
        "had",
        "not",
        "but",
        "can",
        "cannot",
        "from",
        "they",
        "them",
        "their",
        "there",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "all",
        "any",
        "our",
        "out",
        "get",
        "got",
        "would",
        "could",
        "should",
        "into",
        "about",
        "just",
        "like",
        "want",
        "need",
        "make",
        "more",
        "some",
        "than",
        "then",
        "also",
    ]
)

EmbedderFor = Callable[[str], Embedder | None]


@dataclass(frozen=True)
class Similar:
    post: Post
    score: float
    matched_by: str  # "meaning" or "words"


_loaded: dict[str, Embedder | None] = {}
_lock = threading.Lock()


def shared_embedder(model_id: str) -> Embedder | None:
    """The embedder for `model_id`, loaded once per process: loading the sentence model takes
    seconds, and this runs while a customer types."""
    with _lock:
        if model_id not in _loaded:
            _loaded[model_id] = embedder_for(model_id)
        return _loaded[model_id]


def post_text(post: Post) -> str:
    """What a post says, as stored in its evidence."""
    return f"{post.title}\n\n{post.body}".strip() if post.body.strip() else post.title


def similar_posts(
    workspace: Workspace,
    text: str,
    *,
    limit: int = 5,
    exclude: int | None = None,
    load_embedder: EmbedderFor = shared_embedder,
) -> list[Similar]:
    """Up to `limit` published posts of `workspace` closest to `text`, best first."""
    query = " ".join(text.split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    candidates = Post.objects.filter(workspace=workspace, status=PostStatus.PUBLISHED)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    posts = list(
        candidates.order_by("-vote_count", "-id").only(
            "pk", "title", "body", "kind", "vote_count", "workspace_id", "status"
        )[:CANDIDATES]
    )
    if not posts:
        return []
    model = synthesis_model(workspace)
    embedder = load_embedder(model) if model else None
    if embedder is not None:
        return _by_meaning(posts, query, embedder, limit)
    return _by_words(posts, query, limit)


def _by_meaning(posts: list[Post], query: str, embedder: Embedder, limit: int) -> list[Similar]:
    vectors, _, _ = embed_with_cache([post_text(post) for post in posts], embedder)
    target = embedder.embed([query])[0]
    scores = vectors @ target
    order = np.argsort(-scores)[:limit].tolist()
    return [
        Similar(posts[i], float(scores[i]), "meaning") for i in order if scores[i] >= MIN_SIMILARITY
    ]


def _stem(word: str) -> str:
    # Enough to match "exporting" with "export" and "invoices" with "invoice".
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def _by_words(posts: list[Post], query: str, limit: int) -> list[Similar]:
    wanted = words(query)
    if not wanted:
        return []
    scored = []
    for post in posts:
        share = len(wanted & words(post_text(post))) / len(wanted)
        if share >= MIN_WORD_SHARE:
            scored.append(Similar(post, share, "words"))
    scored.sort(key=lambda s: (-s.score, -s.post.vote_count, -s.post.pk))
    return scored[:limit]
