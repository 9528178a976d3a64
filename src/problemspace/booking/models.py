"""Booking: members publish when they can meet; customers and colleagues pick a slot.

One mechanism serves two purposes: a customer booking a research interview (reached from a
recruiting campaign, after its screener) and a colleague booking a PM's office hours (a help
session, for product mentoring).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from problemspace.workspaces.models import Member, Workspace


class Purpose(models.TextChoices):
    INTERVIEW = "interview", "Customer interview"
    OFFICE_HOURS = "office_hours", "Office hours"


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Availability(models.Model):
    """A member's bookable schedule: windows of time in one time zone, cut into slots.

    The public page at /b/<token>/ lists its free slots; the token is random so the link can be
    shared without exposing the member's other schedules.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="availabilities"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="availabilities")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.INTERVIEW)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    time_zone = models.CharField(max_length=64, default="UTC")
    slot_minutes = models.PositiveSmallIntegerField(default=30)
    buffer_minutes = models.PositiveSmallIntegerField(default=10)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "availabilities"
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Window(models.Model):
    """A stretch of wall-clock time in the availability's time zone: every week on `weekday`,
    or once on `on_date`. Exactly one of the two is set."""

    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    on_date = models.DateField(null=True, blank=True)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=True) & Q(on_date__isnull=False))
                | (Q(weekday__isnull=False) & Q(on_date__isnull=True)),
                name="window_weekly_or_dated",
            ),
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="window_ordered"),
        ]
        ordering = ["on_date", "weekday", "starts"]

    def __str__(self) -> str:
        day = self.on_date.isoformat() if self.on_date else self.get_weekday_display()
        return f"{day} {self.starts:%H:%M}-{self.ends:%H:%M}"

    @property
    def day_label(self) -> str:
        if self.on_date is not None:
            return f"{self.on_date:%a %-d %b %Y}"
        return f"Every {self.get_weekday_display()}"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    """One held slot. Times are UTC; `uid` and `sequence` identify it in calendar invites, so
    a move or a cancellation updates the event people already have rather than adding one."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="bookings")
    availability = models.ForeignKey(
        Availability, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="bookings")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    booker_name = models.CharField(max_length=200)
    booker_email = models.EmailField(max_length=254)
    booker_time_zone = models.CharField(max_length=64, default="UTC")
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    remind_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The last line of defence against double booking: whatever races the code has,
            # the database holds at most one confirmed booking per member and start time.
            models.UniqueConstraint(
                fields=["member", "starts_at"],
                condition=Q(status="confirmed"),
                name="booking_one_confirmed_per_member_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "status", "starts_at"], name="booking_member_time"),
            models.Index(fields=["status", "remind_at"], name="booking_reminders_due"),
        ]
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.booker_name} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_confirmed(self) -> bool:
        return self.status == BookingStatus.CONFIRMED

    @property
    def host_time_zone(self) -> str:
        """The zone the member published the slot in, which is how they think of their day;
        UTC once the schedule is gone."""
        return self.availability.time_zone if self.availability else "UTC"

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())
