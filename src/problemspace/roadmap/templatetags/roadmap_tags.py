from __future__ import annotations

from django import template

from problemspace.roadmap.scoring import format_number

register = template.Library()


@register.filter
def num(value: float | None) -> str:
    """12.0 as "12", 4.25 as "4.25", 1234.5 as "1,234.5"."""
    return "" if value is None else format_number(float(value))


# Units written before the number, and those written right after it.
PREFIXES = ("$", "€", "£", "¥")
SUFFIXES = ("%", "‰")


@register.filter
def with_unit(value: float | None, unit: str) -> str:
    """2.4 with "%" as "2.4%", 900 with "€" as "€900", 3 with "days" as "3 days"."""
    text = num(value)
    if not unit or not text:
        return text
    if unit in PREFIXES:
        return f"{unit}{text}"
    if unit in SUFFIXES:
        return f"{text}{unit}"
    return f"{text} {unit}"
