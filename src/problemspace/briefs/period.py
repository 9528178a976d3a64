"""The period a brief covers: "the last 30 days" up to a moment, or the days between two dates.

Dates are read in the server's time zone (PROBLEMSPACE_TIME_ZONE); a period is [start, end),
so "1 to 30 November" ends at midnight starting 1 December.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from problemspace.briefs.models import MAX_PERIOD_DAYS

DASH = "\N{EN DASH}"


class PeriodError(ValueError):
    """A period that cannot be; the message says how to write one."""


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    label: str  # "last 30 days", or the dates (span_label)

    @classmethod
    def last_days(cls, days: int, now: datetime | None = None) -> Period:
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise PeriodError(f"A brief covers 1 to {MAX_PERIOD_DAYS} days, not {days}.")
        end = now or timezone.now()
        return cls(end - timedelta(days=days), end, f"last {days} day{'s' if days > 1 else ''}")

    @classmethod
    def between(cls, first: date, last: date, today: date | None = None) -> Period:
        """From the start of `first` to the end of `last`, both days included."""
        if last < first:
            raise PeriodError("The period ends before it starts: give the earlier date first.")
        if today is not None and first > today:
            raise PeriodError("The period starts in the future: nothing has happened in it yet.")
        days = (last - first).days + 1
        if days > MAX_PERIOD_DAYS:
            raise PeriodError(
                f"A brief covers at most {MAX_PERIOD_DAYS} days; this period has {days}."
            )
        return cls(_midnight(first), _midnight(last + timedelta(days=1)), span_label(first, last))

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 86400))

    @property
    def first_day(self) -> date:
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> date:
        """The last day the period touches (the day before `end` when it ends at midnight)."""
        return timezone.localtime(self.end - timedelta(microseconds=1)).date()

    def dates(self) -> str:
        """The dates it covers (span_label), whatever the label."""
        return span_label(self.first_day, self.last_day)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def span_label(first: date, last: date) -> str:
    """The dates as people write them: "30 Nov 2026", "1-30 Nov 2026", "28 Oct - 3 Nov 2026",
    "28 Dec 2026 - 3 Jan 2027", with an en dash (a spaced one between dates of two months)."""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} {DASH} {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} {DASH} {last.day} {last:%b %Y}"


DAYS = re.compile(r"^\s*(\d{1,4})\s*(d|day|days|w|week|weeks)?\s*$", re.IGNORECASE)
RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|to|/)\s*(\d{4}-\d{2}-\d{2})\s*$")
HOW = "Write it as a number of days (30d), of weeks (4w), or two dates: 2026-11-01..2026-11-30."


def parse(text: str, now: datetime | None = None) -> Period:
    """ "30d", "30", "4w", or "2026-11-01..2026-11-30" (both days included)."""
    now = now or timezone.now()
    found = DAYS.match(text or "")
    if found:
        count = int(found[1])
        unit = (found[2] or "d").lower()
        return Period.last_days(count * 7 if unit.startswith("w") else count, now)
    found = RANGE.match(text or "")
    if found:
        try:
            first, last = date.fromisoformat(found[1]), date.fromisoformat(found[2])
        except ValueError:
            raise PeriodError(f"{text.strip()!r} has a date that does not exist. {HOW}") from None
        return Period.between(first, last, today=timezone.localdate(now))
    raise PeriodError(f"{(text or '').strip()!r} is not a period. {HOW}")
