"""Reminders a day before each booking, sent once.

Two ways in, one claim: a task enqueued with `run_after` when the booking is made (the
database task backend holds it until then, and `problemspace serve` or `problemspace worker`
runs it), and the `problemspace reminders` command for a cron job, which sweeps whatever is
due (say, if the worker was down). Either claims a booking with a conditional UPDATE
("confirmed, due, and not reminded yet") before sending, so a reminder goes out once however
many of them run.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task

from problemspace.booking import emails
from problemspace.booking.models import Booking, BookingStatus

logger = logging.getLogger(__name__)


def send_reminder(booking_id: int, now: datetime | None = None) -> bool:
    """Remind the booker of booking `booking_id` if it is due and nobody has; True if sent."""
    now = now or timezone.now()
    claimed = Booking.objects.filter(
        pk=booking_id,
        status=BookingStatus.CONFIRMED,
        remind_at__lte=now,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    booking = Booking.objects.select_related("availability", "member__user").get(pk=booking_id)
    emails.notify(booking, "reminder", member_too=False)
    return True


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder that is due; how many were sent."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        remind_at__lte=now,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
    ).values_list("pk", flat=True)
    return sum(send_reminder(pk, now) for pk in list(due))


@task()
def reminder_task(booking_id: int) -> None:
    close_old_connections()
    send_reminder(booking_id)


def schedule(booking_id: int, moment: datetime) -> None:
    """Queue the reminder to run at `moment`; a moved booking queues another, and the first
    then finds nothing due (its claim checks the booking's current reminder time)."""
    try:
        reminder_task.using(run_after=moment).enqueue(booking_id)
    except Exception:
        # The booking stands without its queued reminder; `problemspace reminders` sends it.
        logger.exception("Could not queue the reminder for booking %s", booking_id)
