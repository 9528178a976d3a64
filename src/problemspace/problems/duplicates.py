"""Problems that are likely one problem told apart: a suggestion to merge, with its evidence.

Two problems are suggested as duplicates when their centres (the normalised mean of their
evidence's vectors, kept by synthesis) are at least DUPLICATE_SIMILARITY alike. Calibrated on
the demo, whose evidence has a known story theme (bench/synthesis/duplicates.py): at the
detailed granularity all 8 pairs at 0.70 or more shared their theme (of 561 pairs, 31 of which
did), 12 of 13 at 0.65; at the standard granularity 1 of the 2 pairs at 0.70 did (the other:
approvals stalled by an absent approver beside approving from the notification email, related
problems, not one). The threshold favours a short list a PM can trust over finding every pair.
Only problems of the same side are compared (the ranking with the ranking, praise with praise),
never dismissed ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem

DUPLICATE_SIMILARITY = 0.70
SHOWN = 3


@dataclass(frozen=True)
class Duplicate:
    this: Problem
    other: Problem
    similarity: float
    # The other problem's headline quote: what its customers say, to compare with this one's.
    quote: Evidence | None

    @property
    def keeps(self) -> Problem:
        """The problem a merge keeps: the one higher in the ranking."""
        return self.other if self.other.score > self.this.score else self.this

    @property
    def folds(self) -> Problem:
        """The problem a merge folds into the other."""
        return self.this if self.keeps is self.other else self.other


def _centre(problem: Problem) -> np.ndarray | None:
    if not problem.centroid:
        return None
    vector = np.frombuffer(bytes(problem.centroid), dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


def likely_duplicates(problem: Problem, limit: int = SHOWN) -> list[Duplicate]:
    """The problems most like `problem`, at least DUPLICATE_SIMILARITY alike, most alike first."""
    centre = _centre(problem)
    if centre is None or problem.dismissed:
        return []
    others = Problem.objects.filter(
        workspace_id=problem.workspace_id, dismissed=False, praise=problem.praise
    ).exclude(pk=problem.pk)
    found = []
    for other in others.only("pk", "title", "score", "centroid", "quote_ids", "candidate"):
        vector = _centre(other)
        if vector is None or len(vector) != len(centre):
            continue
        similarity = float(centre @ vector)
        if similarity >= DUPLICATE_SIMILARITY:
            found.append((similarity, other))
    found.sort(key=lambda pair: (-pair[0], pair[1].pk))
    chosen = found[:limit]
    quote_ids = [o.quote_ids[0] for _, o in chosen if o.quote_ids]
    quotes = Evidence.objects.filter(workspace_id=problem.workspace_id).in_bulk(quote_ids)
    return [
        Duplicate(
            this=problem,
            other=other,
            similarity=round(similarity, 2),
            quote=quotes.get(other.quote_ids[0]) if other.quote_ids else None,
        )
        for similarity, other in chosen
    ]
