"""Finding and checking spans of an interview's text: the quote a highlight is made of.

Plain Python, no Django. The browser sends character offsets of the selection (and the
selected text, to catch a page older than the text); without JavaScript the person pastes the
quote and `locate` finds it, whatever line breaks and spacing the paste has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The evidence text limit (evidence.models.MAX_TEXT_LENGTH): a quote longer than that is a
# whole conversation, not a quote.
MAX_QUOTE_LENGTH = 20_000


class SpanError(ValueError):
    """The span cannot be a highlight; the message says why."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def trimmed(text: str, start: int, end: int) -> Span:
    """The span [start, end) of `text` without the white space at its ends, checked."""
    if start < 0 or end > len(text) or start >= end:
        raise SpanError(
            f"The selection ({start} to {end}) is outside the text, which is {len(text):,} "
            "characters long. Reload the page and select the quote again."
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise SpanError("The selection is only white space; select the customer's words.")
    if end - start > MAX_QUOTE_LENGTH:
        raise SpanError(
            f"The selection is {end - start:,} characters long; a quote can have at most "
            f"{MAX_QUOTE_LENGTH:,}. Select the part that states the problem."
        )
    return Span(start, end, text[start:end])


def locate(text: str, quote: str, *, near: int = 0) -> Span | None:
    """Where `quote` appears in `text`, spacing and line breaks aside; the occurrence nearest
    to `near` when there are several. None when it does not appear."""
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    best = min(matches, key=lambda match: abs(match.start() - near))
    return trimmed(text, best.start(), best.end())


def resolve(text: str, start: int | None, end: int | None, quote: str) -> Span:
    """The span a highlight request means.

    Offsets that still select `quote` (or any offsets, when no quote is given) win; when the
    text changed since the page was loaded, or only a quote was sent, the quote is looked
    for in the text.
    """
    quote = quote.strip()
    if start is not None and end is not None:
        if not quote:
            return trimmed(text, start, end)
        if 0 <= start < end <= len(text):
            span = trimmed(text, start, end)
            if span.text.split() == quote.split():
                return span
    if not quote:
        raise SpanError("Select the quote in the text, or paste it into the quote box.")
    if len(quote) > MAX_QUOTE_LENGTH:
        raise SpanError(
            f"The quote is {len(quote):,} characters long; a quote can have at most "
            f"{MAX_QUOTE_LENGTH:,}."
        )
    found = locate(text, quote, near=start or 0)
    if found is None:
        raise SpanError(
            "That quote is not in the text. Copy it from the notes or transcript exactly as "
            "it is written there."
        )
    return found
