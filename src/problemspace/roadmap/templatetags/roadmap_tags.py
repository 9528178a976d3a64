from __future__ import annotations

from django import template

from problemspace.roadmap.scoring import format_number

register = template.Library()


@register.filter
def num(value: float | None) -> str:
    """12.0 as "12", 4.25 as "4.25", 1234.5 as "1,234.5"."""
    return "" if value is None else format_number(float(value))
