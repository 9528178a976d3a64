"""Holding, moving and freeing slots.

Two people can never hold the same slot, even when they press "Book" at the same moment:

1. the booking is checked and written inside one transaction that first locks the member's
   row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction holds the
   database's write lock from its start), so bookings for one member are checked one after
   the other and the second sees the first;
2. the database itself refuses a second confirmed booking for the same member and start
   (a conditional unique constraint), should anything slip past the first.

The loser of the race gets SlotTaken, which the pages turn into "that slot was just taken".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from problemspace.booking import emails
from problemspace.booking.models import Availability, Booking, BookingStatus
from problemspace.booking.schedules import open_slots
from problemspace.booking.signals import booking_cancelled, booking_rescheduled
from problemspace.booking.slots import parse_key, zone
from problemspace.workspaces.models import Member

# A reminder goes out this long before the booking, if it was made earlier than that.
REMINDER_LEAD = timedelta(hours=24)


class BookingError(ValueError):
    """The booking cannot be made as asked; `errors` maps fields to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class SlotTaken(Exception):
    """Someone else holds the slot (or one overlapping it) now."""


@dataclass(frozen=True)
class Booker:
    name: str
    email: str
    time_zone: str
    note: str = ""


def check_booker(booker: Booker) -> dict[str, str]:
    errors = {}
    if not booker.name.strip():
        errors["name"] = "Tell us your name."
    elif len(booker.name) > 200:
        errors["name"] = "Keep your name under 200 characters."
    try:
        validate_email(booker.email.strip())
    except ValidationError:
        errors["email"] = "That is not an email address; the invite goes there, so check it."
    if zone(booker.time_zone) is None:
        errors["time_zone"] = "Choose your time zone from the list."
    if len(booker.note) > 2000:
        errors["note"] = "Keep the note under 2,000 characters."
    return errors


def remind_at(starts_at: datetime, now: datetime) -> datetime | None:
    """When to remind: a day ahead, unless the booking is already closer than that."""
    moment = starts_at - REMINDER_LEAD
    return moment if moment > now else None


def _lock_member(member_id: int) -> None:
    # The lock that makes bookings for one member take turns (see the module's docstring).
    Member.objects.select_for_update().filter(pk=member_id).first()


def _slot_in(availability: Availability, key: str, ignore: Booking | None = None) -> datetime:
    starts_at = parse_key(key)
    if starts_at is None:
        raise BookingError({"slot": "Choose one of the times listed."})
    if not any(slot.starts_at == starts_at for slot in open_slots(availability, ignore=ignore)):
        overlapping = Booking.objects.filter(
            member_id=availability.member_id,
            status=BookingStatus.CONFIRMED,
            starts_at__lt=starts_at + timedelta(minutes=availability.slot_minutes),
            ends_at__gt=starts_at,
        )
        if ignore is not None:
            overlapping = overlapping.exclude(pk=ignore.pk)
        if overlapping.exists():
            raise SlotTaken
        raise BookingError(
            {"slot": "That time is not offered (any more); choose one of the times listed."}
        )
    return starts_at


def book(
    availability: Availability,
    key: str,
    booker: Booker,
    *,
    after: Callable[[Booking], None] | None = None,
) -> Booking:
    """Hold the slot starting at `key` for `booker`, then email both sides the invite.

    `after` runs inside the same transaction with the new booking (recruiting links its
    candidate and plans the interview there), so either everything is written or nothing.
    """
    errors = check_booker(booker)
    if errors:
        raise BookingError(errors)
    now = timezone.now()
    with transaction.atomic():
        _lock_member(availability.member_id)
        starts_at = _slot_in(availability, key)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    workspace_id=availability.workspace_id,
                    availability=availability,
                    member_id=availability.member_id,
                    purpose=availability.purpose,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=availability.slot_minutes),
                    booker_name=booker.name.strip(),
                    booker_email=booker.email.strip(),
                    booker_time_zone=booker.time_zone,
                    note=booker.note.strip(),
                    remind_at=remind_at(starts_at, now),
                    created_at=now,
                )
        except IntegrityError:
            raise SlotTaken from None
        if after is not None:
            after(booking)
        _schedule_reminder(booking)
    booking = _loaded(booking.pk)
    emails.notify(booking, "confirmed")
    return booking


def reschedule(booking: Booking, key: str) -> Booking:
    """Move a confirmed booking to another free slot of its schedule: same UID, a higher
    SEQUENCE, so calendars update the event; the old slot is free again."""
    availability = booking.availability
    if availability is None or not booking.is_confirmed:
        raise BookingError({"slot": "This booking cannot be moved; book a new time instead."})
    now = timezone.now()
    with transaction.atomic():
        _lock_member(booking.member_id)
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if not current.is_confirmed:
            raise BookingError({"slot": "This booking was cancelled; book a new time instead."})
        starts_at = _slot_in(availability, key, ignore=current)
        current.starts_at = starts_at
        current.ends_at = starts_at + timedelta(minutes=availability.slot_minutes)
        current.sequence += 1
        current.remind_at = remind_at(starts_at, now)
        current.reminder_sent_at = None
        try:
            with transaction.atomic():
                current.save(
                    update_fields=[
                        "starts_at",
                        "ends_at",
                        "sequence",
                        "remind_at",
                        "reminder_sent_at",
                    ]
                )
        except IntegrityError:
            raise SlotTaken from None
        booking_rescheduled.send(sender=Booking, booking=current)
        _schedule_reminder(current)
    moved = _loaded(booking.pk)
    emails.notify(moved, "moved")
    return moved


def cancel(booking: Booking) -> bool:
    """Cancel a confirmed booking and free its slot; False when it was already cancelled.

    The conditional UPDATE makes a double click (or the member and booker at once) send one
    cancellation, not two.
    """
    with transaction.atomic():
        done = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.CANCELLED,
            cancelled_at=timezone.now(),
            sequence=F("sequence") + 1,
        )
        if not done:
            return False
        cancelled = _loaded(booking.pk)
        booking_cancelled.send(sender=Booking, booking=cancelled)
    emails.notify(cancelled, "cancelled")
    return True


def find_by_token(token: str) -> Booking | None:
    uid = emails.uid_from_token(token)
    if uid is None:
        return None
    return (
        Booking.objects.select_related("availability", "member__user", "workspace")
        .filter(uid=uid)
        .first()
    )


def _loaded(pk: int) -> Booking:
    return Booking.objects.select_related("availability", "member__user", "workspace").get(pk=pk)


def _schedule_reminder(booking: Booking) -> None:
    if booking.remind_at is None:
        return
    from problemspace.booking.reminders import schedule

    moment = booking.remind_at
    transaction.on_commit(lambda: schedule(booking.pk, moment))
