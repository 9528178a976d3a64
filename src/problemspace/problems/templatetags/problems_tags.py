"""Figures as a PM reads them: "$410k", "70%"."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(amount: float | Decimal | None) -> str:
    """Annual revenue, short: $950, $410k, $1.2M (the explanation sentence writes it so too)."""
    if amount is None:
        return "\u2013"  # an en dash: no figure
    value = float(amount)
    if value >= 1_000_000:
        return f"${value / 1_000_000:.1f}M"
    if value >= 1_000:
        return f"${value / 1_000:.0f}k"
    return f"${value:.0f}"


@register.filter
def share(value: float | None) -> str:
    """A share between 0 and 1 as a whole percentage."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    return f"{round(float(value) * 100)}%"


# How a kind reads after a count: "1 question", "3 questions", "2 with nothing said".
_KIND_WORDS = {
    "problem": ("problem", "problems"),
    "request": ("request", "requests"),
    "question": ("question", "questions"),
    "praise": ("praise", "praise"),
    "other": ("with nothing said", "with nothing said"),
}


@register.filter
def kind_mix(mix: dict[str, int] | None) -> str:
    """A problem's kind mix as a PM reads it: "176 problems, 15 requests, 22 questions"."""
    parts = []
    for kind, count in (mix or {}).items():
        one, many = _KIND_WORDS.get(kind, (kind, kind))
        parts.append(f"{count:,} {one if count == 1 else many}")
    return ", ".join(parts)
