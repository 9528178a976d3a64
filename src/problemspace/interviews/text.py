"""Cutting an interview's text into pieces for the page, with its highlights marked.

The page renders the pieces one after another with nothing in between, so the text in the
browser is exactly the stored text and the selection's offsets are offsets into it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from problemspace.interviews.models import Highlight


@dataclass
class Segment:
    text: str
    highlights: list[Highlight] = field(default_factory=list)  # covering this piece
    starting: list[Highlight] = field(default_factory=list)  # beginning at this piece

    @property
    def anchor(self) -> Highlight | None:
        return self.starting[0] if self.starting else None

    @property
    def extra_anchors(self) -> list[Highlight]:
        return self.starting[1:]


def segments(text: str, highlights: Sequence[Highlight], source: str) -> list[Segment]:
    """`text` in pieces, each covered by the same highlights; overlapping highlights split
    it at every boundary. Highlights whose quote is no longer at their offsets are left out."""
    if not text:
        return []
    mine = [
        h
        for h in highlights
        if h.source == source
        and 0 <= h.start < h.end <= len(text)
        and text[h.start : h.end] == h.evidence.text
    ]
    cuts = sorted({0, len(text), *(h.start for h in mine), *(h.end for h in mine)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [h for h in mine if h.start <= start and end <= h.end]
        starting = [h for h in mine if h.start == start]
        pieces.append(Segment(text[start:end], covering, starting))
    return pieces
