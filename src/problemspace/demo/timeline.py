"""When signals happen: a problem's shape over the year, in the customer's business hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from random import Random

YEAR = 365
# Hours of the working day, with the lunch dip at noon.
_HOURS = tuple(range(8, 19))
_HOUR_WEIGHTS = (3, 6, 8, 8, 5, 6, 8, 8, 6, 4, 2)
_WEEKEND = 0.1  # finance teams mostly work weekdays; a few tickets come in on Saturday


def shape_weight(shape: str, days_ago: int, day: date) -> float:
    """How likely a signal of a problem with this `shape` is on `day` (relative weight)."""
    month = day.month
    if shape == "spike":  # the last two weeks, with a trickle before
        return 12.0 if days_ago <= 14 else 0.12
    if shape == "rising":  # flat, then climbing through the last three months
        return 0.35 if days_ago > 90 else 0.35 + 4.0 * (90 - days_ago) / 90
    if shape == "fading":  # fixed in spring: complaints die out; month-end days are worst
        base = 1.0 if days_ago > 240 else 2.718 ** (-(240 - days_ago) / 60)
        return base * (2.5 if day.day >= 26 or day.day <= 3 else 1.0)
    if shape == "summer":  # approvers on holiday: August, and the Christmas fortnight
        holiday = (
            month in (7, 8) or (month == 12 and day.day >= 15) or (month == 1 and day.day <= 6)
        )
        return 3.0 if holiday else 1.0
    if shape == "audit_season":
        return 3.5 if month in (1, 2, 3) else 1.0
    if shape == "tax_season":  # 1099s are due at the end of January
        return 4.5 if month in (12, 1, 2) else 1.0
    return 1.0


class Calendar:
    """Draws days (as days ago, 1..365) for one problem shape relative to `today`."""

    def __init__(self, shape: str, today: date):
        self.days = list(range(1, YEAR + 1))
        weights = []
        for days_ago in self.days:
            day = today - timedelta(days=days_ago)
            weight = shape_weight(shape, days_ago, day)
            weights.append(weight * (_WEEKEND if day.weekday() >= 5 else 1.0))
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def draw(self, rng: Random) -> int:
        return rng.choices(self.days, cum_weights=self.cumulative)[0]


def moment(rng: Random, today: date, days_ago: int, channel: str, utc_offset: int) -> datetime:
    """A timestamp on that day in the customer's business hours, as an aware UTC datetime."""
    day = today - timedelta(days=days_ago)
    second = rng.randint(0, 59)
    if channel == "interview":  # booked slots
        hour, minute, second = rng.randint(9, 16), rng.choice((0, 0, 30)), 0
    elif channel in ("community", "review"):  # written whenever people find the time
        hour, minute = rng.randint(7, 22), rng.randint(0, 59)
    else:
        hour, minute = rng.choices(_HOURS, weights=_HOUR_WEIGHTS)[0], rng.randint(0, 59)
    local = datetime.combine(day, time(hour, minute, second))
    moment = (local - timedelta(hours=utc_offset)).replace(tzinfo=UTC)
    midnight = datetime.combine(today, time(), UTC)
    return moment - timedelta(days=1) if moment >= midnight else moment
