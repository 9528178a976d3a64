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
