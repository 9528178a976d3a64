"""Schedules and bookings over the API, the members' side: publish availability, add and
remove windows, read one's bookings and cancel them. Booking a slot is done on the public page
(/b/<token>/), which needs no account."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.booking import services
from problemspace.booking.access import (
    get_availability_for_member,
    get_booking_for_member,
    get_window_for_member,
    require_publisher,
)
from problemspace.booking.models import Availability, Booking, BookingStatus, Purpose
from problemspace.booking.schedules import (
    ScheduleError,
    Settings,
    add_window,
    open_slots,
    save_availability,
)
from problemspace.booking.slots import WindowSpec
from problemspace.booking.views import public_url
from problemspace.workspaces.access import get_member

router = Router()

SLOTS_LISTED = 50


class WindowOut(Schema):
    id: int
    weekday: int | None = Field(description="0 = Monday; null for a window on one date")
    on_date: date | None
    starts: time
    ends: time


class AvailabilityOut(Schema):
    id: int
    member_id: int
    member: str
    title: str
    purpose: str = Field(description="interview or office_hours")
    description: str
    time_zone: str
    slot_minutes: int
    buffer_minutes: int
    active: bool
    booking_url: str = Field(description="the public booking page")
    windows: list[WindowOut]


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime


class AvailabilityDetailOut(AvailabilityOut):
    free_slots: list[SlotOut] = Field(description=f"the next {SLOTS_LISTED} free slots, in UTC")


class AvailabilityIn(Schema):
    # Required fields are optional in the schema so that access is checked before the body (a
    # stranger's request gets 404 whatever it sends); the operation answers 422 without them.
    title: str = Field("", max_length=120, description="required")
    purpose: str = Purpose.OFFICE_HOURS
    time_zone: str = Field(
        "", max_length=64, description="required: an IANA zone, e.g. Europe/Paris"
    )
    slot_minutes: int = 30
    buffer_minutes: int = 10
    description: str = Field("", max_length=2000)
    active: bool = True


class AvailabilityPatch(Schema):
    title: str | None = Field(None, max_length=120)
    purpose: str | None = None
    time_zone: str | None = Field(None, max_length=64)
    slot_minutes: int | None = None
    buffer_minutes: int | None = None
    description: str | None = Field(None, max_length=2000)
    active: bool | None = None


class WindowIn(Schema):
    weekday: int | None = Field(None, ge=0, le=6, description="0 = Monday, for a weekly window")
    on_date: date | None = Field(None, description="for a window on one date")
    starts: time | None = Field(None, description="required: local wall-clock time")
    ends: time | None = Field(None, description="required: local wall-clock time")


class BookingOut(Schema):
    id: int
    availability_id: int | None
    purpose: str
    starts_at: datetime
    ends_at: datetime
    booker_name: str
    booker_email: str
    booker_time_zone: str
    note: str
    status: str
    created_at: datetime


def _availability(availability: Availability) -> dict[str, Any]:
    return {
        "id": availability.pk,
        "member_id": availability.member_id,
        "member": availability.member.display_name,
        "title": availability.title,
        "purpose": availability.purpose,
        "description": availability.description,
        "time_zone": availability.time_zone,
        "slot_minutes": availability.slot_minutes,
        "buffer_minutes": availability.buffer_minutes,
        "active": availability.active,
        "booking_url": public_url(availability),
        "windows": [
            {
                "id": w.pk,
                "weekday": w.weekday,
                "on_date": w.on_date,
                "starts": w.starts,
                "ends": w.ends,
            }
            for w in availability.windows.all()
        ],
    }


def _unprocessable(error: ScheduleError) -> HttpError:
    return HttpError(422, " ".join(f"{k}: {v}" for k, v in error.errors.items()))


@router.get("/w/{slug}/availability", response=list[AvailabilityOut], summary="Members' schedules")
def list_availability(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    schedules = (
        Availability.objects.filter(workspace_id=member.workspace_id)
        .select_related("member__user")
        .prefetch_related("windows")
    )
    return [_availability(a) for a in schedules]


@router.post(
    "/w/{slug}/availability",
    response={201: AvailabilityDetailOut},
    summary="Publish a schedule of your own",
)
def create_availability(request: HttpRequest, slug: str, body: AvailabilityIn) -> Status:
    member = get_member(request, slug)
    require_publisher(member)
    try:
        made = save_availability(member, Settings(**body.dict()))
    except ScheduleError as error:
        raise _unprocessable(error) from None
    return Status(201, {**_availability(made), "free_slots": []})


@router.get(
    "/w/{slug}/availability/{int:pk}",
    response=AvailabilityDetailOut,
    summary="One schedule with its next free slots",
)
def get_availability(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    availability = get_availability_for_member(member, pk)
    slots = open_slots(availability)[:SLOTS_LISTED]
    return {
        **_availability(availability),
        "free_slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at} for s in slots],
    }


@router.patch(
    "/w/{slug}/availability/{int:pk}",
    response=AvailabilityDetailOut,
    summary="Change one of your schedules",
)
def patch_availability(
    request: HttpRequest, slug: str, pk: int, body: AvailabilityPatch
) -> dict[str, Any]:
    member = get_member(request, slug)
    availability = get_availability_for_member(member, pk, write=True)
    current = Settings(
        title=availability.title,
        time_zone=availability.time_zone,
        slot_minutes=availability.slot_minutes,
        buffer_minutes=availability.buffer_minutes,
        purpose=availability.purpose,
        description=availability.description,
        active=availability.active,
    )
    for name, value in body.dict(exclude_none=True).items():
        setattr(current, name, value)
    try:
        save_availability(member, current, availability)
    except ScheduleError as error:
        raise _unprocessable(error) from None
    return get_availability(request, slug, pk)


@router.post(
    "/w/{slug}/availability/{int:pk}/windows",
    response={201: WindowOut},
    summary="Add a weekly or dated window to one of your schedules",
)
def create_window(request: HttpRequest, slug: str, pk: int, body: WindowIn) -> Status:
    member = get_member(request, slug)
    availability = get_availability_for_member(member, pk, write=True)
    if (body.weekday is None) == (body.on_date is None):
        raise HttpError(422, "Give either weekday (0 = Monday) or on_date, not both.")
    if body.starts is None or body.ends is None:
        raise HttpError(422, "Give the window's starts and ends, e.g. 09:00 and 12:00.")
    spec = WindowSpec(
        starts=body.starts, ends=body.ends, weekday=body.weekday, on_date=body.on_date
    )
    try:
        window = add_window(availability, spec)
    except ScheduleError as error:
        raise _unprocessable(error) from None
    return Status(
        201,
        {
            "id": window.pk,
            "weekday": window.weekday,
            "on_date": window.on_date,
            "starts": window.starts,
            "ends": window.ends,
        },
    )


@router.delete(
    "/w/{slug}/windows/{int:pk}", response={204: None}, summary="Remove a window of yours"
)
def delete_window(request: HttpRequest, slug: str, pk: int) -> Status:
    member = get_member(request, slug)
    get_window_for_member(member, pk).delete()
    return Status(204, None)


def _booking(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "availability_id": booking.availability_id,
        "purpose": booking.purpose,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "booker_name": booking.booker_name,
        "booker_email": booking.booker_email,
        "booker_time_zone": booking.booker_time_zone,
        "note": booking.note,
        "status": booking.status,
        "created_at": booking.created_at,
    }


@router.get(
    "/w/{slug}/bookings",
    response=list[BookingOut],
    summary="Your bookings: upcoming ones, or past and cancelled too",
)
def list_bookings(request: HttpRequest, slug: str, upcoming: bool = True) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    bookings = Booking.objects.filter(member=member)
    if upcoming:
        bookings = bookings.filter(status=BookingStatus.CONFIRMED, ends_at__gt=timezone.now())
    return [_booking(b) for b in bookings.order_by("starts_at")[:500]]


@router.post(
    "/w/{slug}/bookings/{int:pk}/cancel",
    response=BookingOut,
    summary="Cancel a booking: the slot is freed and the booker is sent a cancellation",
)
def cancel_booking(request: HttpRequest, slug: str, pk: int) -> HttpResponse | dict[str, Any]:
    member = get_member(request, slug)
    booking = get_booking_for_member(member, pk, write=True)
    services.cancel(booking)
    booking.refresh_from_db()
    return _booking(booking)
