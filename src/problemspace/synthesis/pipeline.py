"""The whole synthesis in one call, for items whose vectors are already known.

The Django layer (problemspace.problems) loads evidence, embeds what its cache lacks and calls
`describe` on the groups it settled (keeping the PM's edits); the benchmark calls `synthesize`
on banking77 directly. Embedding is kept out of both on purpose: it is the slow part, it is
cached, and callers show its progress.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from problemspace.synthesis.assign import centroid
from problemspace.synthesis.clean import essence
from problemspace.synthesis.cluster import UNASSIGNED, ClusterSettings, cluster
from problemspace.synthesis.dedupe import find_duplicates
from problemspace.synthesis.items import Cluster, Item, SynthesisResult, Vectors
from problemspace.synthesis.kinds import OTHER, PRAISE, RANKED
from problemspace.synthesis.label import keywords_by_group, representative, title_from
from problemspace.synthesis.praise import PRAISE_SHARE, is_praise
from problemspace.synthesis.score import ScoringContext, Weights, score_problem

# How many of a group's most central texts decide whether it is praise.
PRAISE_SAMPLE = 200


def _praise(item: Item) -> bool:
    # Items whose kind is not decided (the benchmark's bare synthesis) fall back on the rule.
    return item.kind == PRAISE if item.kind else is_praise(item.text)


def _quotable(item: Item, praise_group: bool) -> bool:
    """A problem is quoted by its problems, requests and questions; never by praise or by an
    item with nothing in it. What customers value is quoted by what it holds."""
    if not item.kind:
        return is_praise(item.text) == praise_group
    return item.kind != OTHER if praise_group else item.kind in RANKED


def is_praise_group(group: Sequence[Item]) -> bool:
    """At least PRAISE_SHARE of the group is praise, by its items' kinds (or, for items whose
    kind is not known, by the rule)."""
    return bool(group) and sum(_praise(item) for item in group) / len(group) >= PRAISE_SHARE


@dataclass
class Description:
    title: str
    keywords: list[str]
    quote_ids: list[int]
    score: float
    components: dict[str, Any]
    explanation: str
    # Most of its evidence is praise: what customers value, kept apart from the problems.
    praise: bool = False


@dataclass
class Descriptions:
    problems: dict[int, Description] = field(default_factory=dict)
    duplicate_of: dict[int, int] = field(default_factory=dict)


def describe(
    items: Sequence[Item],
    vectors: Vectors,
    groups: Mapping[int, Sequence[int]],
    *,
    today: datetime | None = None,
    weights: Weights | None = None,
) -> Descriptions:
    """Name, quote and score each group (key -> rows of `items`)."""
    today = today or datetime.now(UTC)
    out = Descriptions()
    for rows in groups.values():
        out.duplicate_of.update(find_duplicates(items, vectors, rows))
    context = ScoringContext.of(items, today, out.duplicate_of)
    centres = {key: centroid(vectors[list(rows)]) for key, rows in groups.items() if rows}
    ordered: dict[int, list[int]] = {}
    for key, rows in groups.items():
        if rows:
            closeness = vectors[list(rows)] @ centres[key]
            ordered[key] = [rows[int(i)] for i in np.argsort(-closeness)]
    keywords = keywords_by_group(
        {key: [essence(items[row].text) for row in rows] for key, rows in ordered.items()}
    )
    for key, rows in ordered.items():
        central = [row for row in rows if items[row].id not in out.duplicate_of]
        central_texts = [items[row].text for row in central]
        # The most central items decide; the rule on every item of a large group adds nothing.
        praise = is_praise_group([items[row] for row in central[:PRAISE_SAMPLE]])
        quoted = [row for row in rows[:PRAISE_SAMPLE] if _quotable(items[row], praise)]
        quotes = representative(
            [items[row].id for row in quoted], vectors[quoted], centres[key], out.duplicate_of
        )
        if not praise:
            # The title is a problem's words too, never a praise item's.
            central_texts = [items[row].text for row in central if _quotable(items[row], False)]
            central_texts = central_texts or [items[row].text for row in central]
        score = score_problem([items[row] for row in rows], context, out.duplicate_of, weights)
        out.problems[key] = Description(
            title=title_from(central_texts, keywords[key]),
            keywords=keywords[key],
            quote_ids=quotes,
            score=score.value,
            components={**score.as_dict(), "weights": (weights or Weights()).__dict__},
            explanation=score.explain(),
            praise=praise,
        )
    return out


def synthesize(
    items: Sequence[Item],
    vectors: Vectors,
    *,
    model_id: str,
    settings: ClusterSettings | None = None,
    today: datetime | None = None,
) -> SynthesisResult:
    """Group `items` (row i of `vectors` belongs to items[i]) into named problems."""
    labels = cluster(vectors, settings)
    groups = {
        group: [int(i) for i in np.flatnonzero(labels == group)]
        for group in range(int(labels.max(initial=UNASSIGNED)) + 1)
    }
    described = describe(items, vectors, groups, today=today)
    clusters = []
    for group, rows in groups.items():
        about = described.problems[group]
        clusters.append(
            Cluster(
                item_ids=[items[row].id for row in rows],
                centroid=centroid(vectors[rows]),
                title=about.title,
                keywords=about.keywords,
                quote_ids=about.quote_ids,
            )
        )
    notes = []
    if len(items) and not clusters:
        notes.append("No problem emerged: the evidence is too little or too varied to group.")
    return SynthesisResult(
        clusters=clusters,
        unassigned=[items[int(i)].id for i in np.flatnonzero(labels == UNASSIGNED)],
        duplicate_of=described.duplicate_of,
        notes=notes,
        model_id=model_id,
    )
