"""Schedules and bookings for tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from problemspace.booking.models import Availability, Purpose, Window
from problemspace.booking.schedules import open_slots
from problemspace.booking.slots import Slot
from problemspace.workspaces.models import Member


def availability(
    member: Member,
    *,
    purpose: str = Purpose.OFFICE_HOURS,
    time_zone: str = "Europe/Paris",
    slot_minutes: int = 30,
    buffer_minutes: int = 0,
    every_day: bool = True,
    title: str = "Office hours",
) -> Availability:
    """A schedule with a 09:00-12:00 window on every day of the week (so any test day has
    slots), unless every_day is False."""
    made = Availability.objects.create(
        workspace_id=member.workspace_id,
        member=member,
        purpose=purpose,
        title=title,
        time_zone=time_zone,
        slot_minutes=slot_minutes,
        buffer_minutes=buffer_minutes,
    )
    if every_day:
        for weekday in range(7):
            Window.objects.create(availability=made, weekday=weekday, starts=time(9), ends=time(12))
    return made


def first_slot(of: Availability, skip: int = 0) -> Slot:
    return open_slots(of)[skip]


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
