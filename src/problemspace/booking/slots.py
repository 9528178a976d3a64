"""Cutting an availability's windows into bookable slots.

Windows are wall-clock times in the member's time zone ("Mondays 09:00-12:00, Europe/Paris"),
so each day's window is placed in that zone first and only then turned into UTC: the same
window is 08:00 UTC in winter and 07:00 UTC in summer. Slots are then laid out in real elapsed
time from the window's start, so on the night a clock jumps a window spanning the change
holds the hours that really exist (an hour fewer in spring, an hour more in autumn), and no
slot starts at a wall-clock time that never happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# How far ahead the booking page offers slots, and how soon a slot may start: nobody should
# find an interview in their calendar starting in five minutes.
HORIZON_DAYS = 28
MIN_NOTICE = timedelta(hours=2)


@dataclass(frozen=True)
class WindowSpec:
    """A window as the slot maker needs it: weekly (weekday 0 = Monday) or on one date."""

    starts: time
    ends: time
    weekday: int | None = None
    on_date: date | None = None

    def on(self, day: date) -> bool:
        if self.on_date is not None:
            return self.on_date == day
        return self.weekday == day.weekday()


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at

    def key(self) -> str:
        """How a slot travels in a form: its UTC start, to the second."""
        return self.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_key(value: str) -> datetime | None:
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=UTC)


def zone(name: str) -> ZoneInfo | None:
    """The time zone called `name` in the zoneinfo database, or None when there is none."""
    if not name or name not in _zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def zone_names() -> list[str]:
    """Every zone a person might pick, sorted, without the legacy aliases' clutter."""
    return sorted(name for name in _zone_names() if "/" in name or name == "UTC")


def window_bounds(window: WindowSpec, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The window on `day`, in UTC. A wall-clock start inside a spring-forward gap falls
    after the gap (zoneinfo reads it with the offset from before the jump)."""
    starts = datetime.combine(day, window.starts, tzinfo=tz).astimezone(UTC)
    ends = datetime.combine(day, window.ends, tzinfo=tz).astimezone(UTC)
    return starts, ends


def slots_in(
    window: WindowSpec, day: date, tz: ZoneInfo, slot: timedelta, buffer: timedelta
) -> Iterator[Slot]:
    start, end = window_bounds(window, day, tz)
    step = slot + buffer
    while start + slot <= end:
        yield Slot(start, start + slot)
        start += step


def free_slots(
    windows: Iterable[WindowSpec],
    tz: ZoneInfo,
    *,
    slot_minutes: int,
    buffer_minutes: int,
    busy: Iterable[tuple[datetime, datetime]],
    now: datetime,
    horizon_days: int = HORIZON_DAYS,
) -> list[Slot]:
    """The slots from `now` (plus the notice) to the horizon that overlap nothing in `busy`.

    `busy` holds the member's confirmed bookings, of any of their availabilities; each is
    widened by the buffer on both sides so back-to-back sessions keep their breathing space.
    """
    slot = timedelta(minutes=slot_minutes)
    buffer = timedelta(minutes=buffer_minutes)
    held = [(start - buffer, end + buffer) for start, end in busy]
    earliest = now + MIN_NOTICE
    today = now.astimezone(tz).date()
    specs = list(windows)
    found: dict[datetime, Slot] = {}
    for offset in range(horizon_days + 1):
        day = today + timedelta(days=offset)
        for window in specs:
            if not window.on(day):
                continue
            for candidate in slots_in(window, day, tz, slot, buffer):
                if candidate.starts_at < earliest:
                    continue
                if any(candidate.overlaps(start, end) for start, end in held):
                    continue
                found.setdefault(candidate.starts_at, candidate)
    return [found[key] for key in sorted(found)]


def group_by_day(
    slots: Iterable[Slot], tz: ZoneInfo
) -> list[tuple[date, list[tuple[datetime, str]]]]:
    """Slots by the booker's local day, each as (local start time, form key), for the page."""
    days: dict[date, list[tuple[datetime, str]]] = {}
    for slot in slots:
        local = slot.starts_at.astimezone(tz)
        days.setdefault(local.date(), []).append((local, slot.key()))
    return sorted(days.items())
