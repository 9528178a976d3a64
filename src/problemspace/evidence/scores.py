"""Scores given with feedback (a star rating, an NPS answer, a CSAT answer): read, checked, shown.

One set of rules for every way an item comes in, a file import, the capture form and the API
push, so "4", "4,5", "4/5" and "★★★★☆" mean the same wherever they are typed, and a 7 on a
five-star scale is refused with the same sentence. The bounds are the model's
(`SCORE_RANGES`), which its check constraint enforces too.
"""

from __future__ import annotations

import math
import re
from typing import Any

from problemspace.evidence.models import SCORE_RANGES, ScoreScale

# How people write a scale -> the stored value (plain strings: this runs for every imported
# row with a score).
SCALE_NAMES: dict[str, str] = {
    "stars": "stars",
    "star": "stars",
    "star rating": "stars",
    "star_rating": "stars",
    "rating": "stars",
    "nps": "nps",
    "net promoter score": "nps",
    "csat": "csat",
}
# The scale as a sentence names it.
SCALE_WORDS = {ScoreScale.STARS: "stars", ScoreScale.NPS: "NPS", ScoreScale.CSAT: "CSAT"}
ALLOWED_SCALES = "stars (1 to 5), nps (0 to 10) or csat (1 to 5)"

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_FILLED_STARS = frozenset("★⭐")
_EMPTY_STARS = frozenset("☆")
# What may sit between the stars of "★★★★☆": spaces, and the emoji variation selector of ⭐.
_STAR_FILLER = frozenset(" \t\ufe0f")


class ScoreError(ValueError):
    """A score or scale that cannot be stored; `field` is "score" or "score_scale", `reason`
    says why in the importer's style ("'7' is not on the stars scale, ...")."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def read_scale(value: Any) -> str:
    """A scale as written ("Stars", "NPS", "") -> its stored value, "" for none."""
    if not value:
        return ""
    scale = SCALE_NAMES.get(value)  # as stored: the common case, at once
    if scale is not None:
        return scale
    text = _text(value).lower()
    if not text:
        return ""
    scale = SCALE_NAMES.get(text) or SCALE_NAMES.get(text.replace("-", " "))
    if scale is None:
        raise ScoreError("score_scale", f"{text[:40]!r} is not a scale: use {ALLOWED_SCALES}")
    return scale


def read_score(value: Any, scale: Any) -> tuple[float | None, str]:
    """(score, scale) as stored, from a score and a scale as someone wrote them.

    An empty score is no score, whatever the scale says: (None, ""). Star glyphs are a star
    rating even without a scale; a plain number needs one, since a 4 may be four stars, a CSAT
    of 4 or a middling NPS. ScoreError says what is wrong, on the field that is.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    chosen = read_scale(scale)
    number, out_of, stars = _number(value)
    if number is not None and chosen and out_of is None and not stars:
        low, high = SCORE_RANGES[chosen]
        if low <= number <= high:
            return number, chosen  # a plain number on its scale: the common case, at once
    shown = _shown(value)
    if stars:
        if chosen and chosen != ScoreScale.STARS:
            raise ScoreError(
                "score",
                f"{shown!r} is a star rating, but this score is on {_scale_words(chosen)}",
            )
        chosen = ScoreScale.STARS
    if number is None:
        allowed = _allowed(chosen) if chosen else "a number"
        raise ScoreError(
            "score", f"{shown!r} is not a score: write {allowed}, like 4, 4.5, 4/5 or ★★★★☆"
        )
    if not chosen:
        raise ScoreError(
            "score_scale",
            f"is empty, but the score {shown!r} needs one: say if it is {ALLOWED_SCALES}",
        )
    low, high = SCORE_RANGES[chosen]
    if out_of is not None and out_of != high:
        raise ScoreError(
            "score",
            f"{shown!r} is out of {out_of:g}, but {_scale_words(chosen)} goes up to {high:g}",
        )
    if not low <= number <= high:
        raise ScoreError("score", f"{shown!r} is not on {_scale_words(chosen)}")
    return number, chosen


def describe_score(score: float | None, scale: str) -> str:
    """How a page or the command line shows a score: "★ 4/5", "NPS 9", "CSAT 2/5"."""
    if score is None or scale not in SCORE_RANGES:
        return ""
    value = f"{score:g}"
    if scale == ScoreScale.STARS:
        return f"★ {value}/5"
    if scale == ScoreScale.NPS:
        return f"NPS {value}"
    return f"CSAT {value}/5"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _shown(value: Any) -> str:
    """The value as a message quotes it: 7, not 7.0, for a number sent as JSON."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)[:40]


def _scale_words(scale: str) -> str:
    """'the stars scale (1 to 5)': the scale with what it allows."""
    low, high = SCORE_RANGES[scale]
    return f"the {SCALE_WORDS[ScoreScale(scale)]} scale ({low:g} to {high:g})"


def _allowed(scale: str) -> str:
    low, high = SCORE_RANGES[scale]
    return f"a number from {low:g} to {high:g}"


def _number(value: Any) -> tuple[float | None, float | None, bool]:
    """(the number, what it is out of in "4/5", whether it was written as stars)."""
    if isinstance(value, bool):
        return None, None, False
    if isinstance(value, (int, float)):
        number = float(value)
        return (number if math.isfinite(number) else None), None, False
    text = _text(value)
    if _NUMBER.fullmatch(text):
        return float(text.replace(",", ".")), None, False
    glyphs = [c for c in text if c not in _STAR_FILLER]
    if glyphs and all(c in _FILLED_STARS or c in _EMPTY_STARS for c in glyphs):
        return float(sum(c in _FILLED_STARS for c in glyphs)), None, True
    top, sep, bottom = text.partition("/")
    if sep:
        over, under = _decimal(top.strip()), _decimal(bottom.strip())
        if over is None or under is None or under <= 0:
            return None, None, False
        return over, under, False
    return _decimal(text), None, False


def _decimal(text: str) -> float | None:
    """'4', '4.5' or '4,5' (a decimal comma) -> a float; None for anything else."""
    if not _NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", "."))
