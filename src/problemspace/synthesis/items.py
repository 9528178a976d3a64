"""What synthesis works on and what it returns: plain data, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of evidence as synthesis sees it.

    `contact` and `account` are opaque keys (the database ids as strings, say); `revenue` is the
    account's annual revenue; `first_hand` is False for evidence relayed by someone else.
    Only items whose `kind` is ranked (synthesis.kinds.RANKED) group into problems.
    """

    id: int
    text: str
    occurred_at: datetime
    first_hand: bool = True
    contact: str | None = None
    account: str | None = None
    segment: str | None = None
    revenue: float | None = None
    channel: str = "other"
    # What the feedback is (synthesis.kinds), "" when not yet decided.
    kind: str = ""
    # A rating or score given with it, as a share of its scale (0 the worst, 1 the best).
    score: float | None = None


@dataclass(slots=True)
class Cluster:
    """A proposed customer problem: its items, where it sits, and how to name it."""

    item_ids: list[int]
    centroid: Vectors
    title: str = ""
    keywords: list[str] = field(default_factory=list)
    # Ids of up to three representative items, quoted verbatim.
    quote_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class SynthesisResult:
    clusters: list[Cluster]
    # Items that fit no problem well enough (kept, shown as "unassigned").
    unassigned: list[int]
    # Near-duplicates: item id -> id of the item it repeats (the earliest of its group).
    duplicate_of: dict[int, int]
    # Things the user should know about this run ("fallback embedder in use", "one item").
    notes: list[str]
    model_id: str
