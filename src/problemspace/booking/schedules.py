"""Members' availability: checking and saving windows and settings, and the free slots.

Every check answers with a sentence for the field it concerns, and nothing is saved unless
all of them pass. A member's windows may not overlap one another across all their schedules
(interviews and office hours alike): one person cannot be in two meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from problemspace.booking.models import Availability, Booking, BookingStatus, Purpose, Window
from problemspace.booking.slots import Slot, WindowSpec, free_slots, zone
from problemspace.workspaces.models import Member

MIN_SLOT_MINUTES = 10
MAX_SLOT_MINUTES = 240
MAX_BUFFER_MINUTES = 120
MAX_WINDOWS = 100


class ScheduleError(ValueError):
    """Input that cannot be saved; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass
class Settings:
    title: str
    time_zone: str
    slot_minutes: int
    buffer_minutes: int
    purpose: str = Purpose.INTERVIEW
    description: str = ""
    active: bool = True


def check_settings(settings: Settings) -> dict[str, str]:
    errors = {}
    if not settings.title.strip():
        errors["title"] = "Give the schedule a title people will recognise, e.g. “Office hours”."
    elif len(settings.title) > 120:
        errors["title"] = "Keep the title under 120 characters."
    if zone(settings.time_zone) is None:
        errors["time_zone"] = (
            f"“{settings.time_zone[:64]}” is not a time zone we know. Pick one from the list, "
            "such as Europe/Paris or America/New_York."
        )
    if not MIN_SLOT_MINUTES <= settings.slot_minutes <= MAX_SLOT_MINUTES:
        errors["slot_minutes"] = (
            f"A slot lasts between {MIN_SLOT_MINUTES} and {MAX_SLOT_MINUTES} minutes."
        )
    if not 0 <= settings.buffer_minutes <= MAX_BUFFER_MINUTES:
        errors["buffer_minutes"] = f"The buffer is between 0 and {MAX_BUFFER_MINUTES} minutes."
    if settings.purpose not in Purpose.values:
        errors["purpose"] = "Choose customer interviews or office hours."
    if len(settings.description) > 2000:
        errors["description"] = "Keep the description under 2,000 characters."
    return errors


def save_availability(
    member: Member, settings: Settings, availability: Availability | None = None
) -> Availability:
    """Create the member's schedule, or change `availability`, after every check passes."""
    errors = check_settings(settings)
    if availability is not None and not errors:
        # A longer slot must still fit the windows already there.
        for window in availability.windows.all():
            if _minutes(window.starts, window.ends) < settings.slot_minutes:
                errors["slot_minutes"] = (
                    f"The window {window.day_label} {window.starts:%H:%M}-{window.ends:%H:%M} "
                    f"is shorter than a {settings.slot_minutes}-minute slot; shorten the slot "
                    "or widen that window first."
                )
                break
    if errors:
        raise ScheduleError(errors)
    if availability is None:
        availability = Availability(workspace_id=member.workspace_id, member=member)
    availability.title = settings.title.strip()
    availability.time_zone = settings.time_zone
    availability.slot_minutes = settings.slot_minutes
    availability.buffer_minutes = settings.buffer_minutes
    availability.purpose = settings.purpose
    availability.description = settings.description.strip()
    availability.active = settings.active
    availability.save()
    return availability


def _minutes(starts: time, ends: time) -> int:
    return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)


def _describe(window: Window) -> str:
    return f"{window.day_label}, {window.starts:%H:%M}-{window.ends:%H:%M}"


def _clashes(a: WindowSpec, b: Window) -> bool:
    same_day = (
        (a.on_date is not None and a.on_date == b.on_date)
        or (a.weekday is not None and a.weekday == b.weekday)
        or (a.on_date is not None and b.weekday == a.on_date.weekday())
        or (b.on_date is not None and a.weekday == b.on_date.weekday())
    )
    return same_day and a.starts < b.ends and b.starts < a.ends


def check_window(
    availability: Availability, spec: WindowSpec, *, today: date | None = None
) -> dict[str, str]:
    """What is wrong with adding `spec` to `availability`, by field; empty when nothing is.

    Overlaps are checked against the member's other schedules too, and a dated window against
    weekly ones on the same weekday, since either would offer the same hour twice. Times are
    compared as wall-clock times; schedules in different zones are compared as written.
    """
    errors: dict[str, str] = {}
    today = today or timezone.now().astimezone(zone(availability.time_zone)).date()
    if spec.weekday is None and spec.on_date is None:
        errors["day"] = "Choose a day of the week, or a date."
    elif spec.on_date is not None and spec.on_date < today:
        errors["day"] = f"{spec.on_date:%-d %B %Y} has passed; choose today or a later date."
    if spec.ends <= spec.starts:
        errors["ends"] = (
            f"The window ends ({spec.ends:%H:%M}) before it starts ({spec.starts:%H:%M}). "
            "A window runs within one day; split one that passes midnight in two."
        )
    elif _minutes(spec.starts, spec.ends) < availability.slot_minutes:
        errors["ends"] = (
            f"The window is shorter than one {availability.slot_minutes}-minute slot; "
            "make it longer or the slots shorter."
        )
    if errors:
        return errors
    others = Window.objects.filter(availability__member_id=availability.member_id).select_related(
        "availability"
    )
    for other in others:
        if _clashes(spec, other):
            where = (
                ""
                if other.availability_id == availability.pk
                else f" in “{other.availability.title}”"
            )
            errors["starts"] = (
                f"This overlaps your window {_describe(other)}{where}. Change the times, or "
                "remove that window first."
            )
            break
    if not errors and availability.windows.count() >= MAX_WINDOWS:
        errors["day"] = f"A schedule holds at most {MAX_WINDOWS} windows."
    return errors


def add_window(availability: Availability, spec: WindowSpec) -> Window:
    """Add a window after every check passes; checked and written under the member's lock so
    two windows added at once cannot overlap."""
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=availability.member_id).first()
        errors = check_window(availability, spec)
        if errors:
            raise ScheduleError(errors)
        return Window.objects.create(
            availability=availability,
            weekday=spec.weekday,
            on_date=spec.on_date,
            starts=spec.starts,
            ends=spec.ends,
        )


def spec_of(window: Window) -> WindowSpec:
    return WindowSpec(
        starts=window.starts, ends=window.ends, weekday=window.weekday, on_date=window.on_date
    )


def open_slots(
    availability: Availability, *, now: datetime | None = None, ignore: Booking | None = None
) -> list[Slot]:
    """The free slots of `availability` from now on; `ignore` is a booking being moved, whose
    own slot counts as free so the booker may keep it."""
    now = now or timezone.now()
    tz = zone(availability.time_zone)
    if tz is None or not availability.active:
        return []
    busy = Booking.objects.filter(
        member_id=availability.member_id, status=BookingStatus.CONFIRMED, ends_at__gt=now
    )
    if ignore is not None:
        busy = busy.exclude(pk=ignore.pk)
    return free_slots(
        [spec_of(window) for window in availability.windows.all()],
        tz,
        slot_minutes=availability.slot_minutes,
        buffer_minutes=availability.buffer_minutes,
        busy=busy.values_list("starts_at", "ends_at"),
        now=now,
    )
