"""Telling praise from problems: a group most of whose evidence is praise is not a problem.

Customer feedback carries praise ("Best AP tool we've used", "Support was fantastic today")
alongside problems; it groups with itself, and ranked among problems by reach it would sit near
the top, since happy customers are many. A PM wants it apart: what customers value.

An item is praise when VADER (a sentiment lexicon and rules made for short social text;
Hutto & Gilbert, ICWSM 2014) reads it as clearly positive and it names nothing wrong, missing
or wanted (`clean.PROBLEM_CUE`) and asks for nothing: "Great tool, but the export keeps failing" is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from problemspace.synthesis.clean import PROBLEM_CUE, essence

# VADER's compound score runs from -1 to 1; its authors call >= 0.05 positive. Praise must be
# clearly positive, so polite problems ("Please add SSO, thanks!") stay problems.
POSITIVE = 0.5
# Asking for something is not praise, however politely: "Please add SSO, thanks!".
_REQUEST = re.compile(r"\b(please|add|could|can|would|should|how|why|when)\b|\?", re.IGNORECASE)
# A group is praise when at least this share of its distinct items is.
PRAISE_SHARE = 0.5


@cache
def _analyser() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def is_praise(text: str) -> bool:
    said = essence(text)
    if PROBLEM_CUE.search(said) or _REQUEST.search(said):
        return False
    return bool(_analyser().polarity_scores(said)["compound"] >= POSITIVE)


def is_praise_group(texts: Iterable[str]) -> bool:
    verdicts = [is_praise(text) for text in texts]
    return bool(verdicts) and sum(verdicts) / len(verdicts) >= PRAISE_SHARE
