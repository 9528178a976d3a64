"""A clock that tests set and move, for code that reads django.utils.timezone.now()."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from problemspace.evidence.tests.factories import BASE_TIME


class Clock:
    def __init__(self, start: datetime = BASE_TIME) -> None:
        self.now = start

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextmanager
def frozen_clock(start: datetime = BASE_TIME) -> Iterator[Clock]:
    clock = Clock(start)
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock
