"""Reading the dates that exports of other tools write.

ISO 8601 is tried first because almost every tool can write it and it parses fastest; a
million-row file spends most of its date time here, so the format that worked last is tried
first for the next value.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")

_MONTH_FIRST = ["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y", "%m/%d/%y"]
_DAY_FIRST = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d/%m/%y",
]
_UNAMBIGUOUS = [
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y %H:%M",
    "%d %b %Y %H:%M",
]


class DateError(ValueError):
    """A value that is not a date this reader understands; the message says why."""


class DateReader:
    """Turns the text of a date column into an aware datetime.

    `dayfirst` decides what 03/04/2025 means; without it, a value whose first number cannot
    be a month is reported rather than silently read the other way round.
    """

    def __init__(self, *, dayfirst: bool = False, default_tz: tzinfo = UTC) -> None:
        self.dayfirst = dayfirst
        self.default_tz = default_tz
        self._formats = (_DAY_FIRST if dayfirst else _MONTH_FIRST) + _UNAMBIGUOUS
        self._last_format: str | None = None

    def read(self, value: str) -> datetime:
        text = value.strip()
        if not text:
            raise DateError("is empty")
        parsed = self._iso(text) or self._known_format(text) or self._other(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.default_tz)
        return parsed

    def _iso(self, text: str) -> datetime | None:
        if not text[:4].isdigit() or len(text) < 8:
            return None
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None

    def _known_format(self, text: str) -> datetime | None:
        if self._last_format:
            try:
                return datetime.strptime(text, self._last_format)
            except ValueError:
                pass
        for fmt in self._formats:
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            self._last_format = fmt
            return parsed
        return None

    def _other(self, text: str) -> datetime:
        if _EPOCH.match(text):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return datetime.fromtimestamp(seconds, tz=UTC)
        if text.isdigit():
            raise DateError(f"{text!r} is a number, not a date")
        slashed = _SLASHED.match(text)
        if slashed and not self.dayfirst and int(slashed.group(1)) > 12:
            raise DateError(
                f"{text!r} is not month/day/year ({slashed.group(1)} is not a month); "
                "if the file writes day/month/year, pass --dayfirst"
            )
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dateutil_parser.parse(text, dayfirst=self.dayfirst)
        except (ValueError, OverflowError):
            raise DateError(f"{text!r} is not a date") from None
