"""The rule that told praise from problems before feedback kinds (synthesis/kinds.py).

It still decides for items whose kind is not known, and is the baseline the kinds benchmark
(bench/kinds) measures the classifier against. A group most of whose evidence is praise is not
a problem.

Customer feedback carries praise ("Best AP tool we've used", "Support was fantastic today")
alongside problems; it groups with itself, and ranked among problems by reach it would sit near
the top, since happy customers are many. A PM wants it apart: what customers value.

An item is praise when VADER (a sentiment lexicon and rules made for short social text;
Hutto & Gilbert, ICWSM 2014) reads it as clearly positive and it names nothing wrong, missing
or wanted (`clean.PROBLEM_CUE`) and asks for nothing: "Great tool, but the export keeps
failing" is a problem.
"""

from __future__ import annotations

from problemspace.synthesis.clean import customer_sentences, is_praise_sentence, names_a_need

# A group is praise when at least this share of its distinct items is.
PRAISE_SHARE = 0.5


def is_praise(text: str) -> bool:
    """Some clear praise, and nothing wrong, missing or asked for anywhere in the text."""
    said = customer_sentences(text)
    return any(is_praise_sentence(s) for s in said) and not any(names_a_need(s) for s in said)
