"""Reminders a day ahead, sent once however many workers or cron runs try."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from problemspace.booking import services
from problemspace.booking.models import Booking
from problemspace.booking.reminders import send_due_reminders, send_reminder
from problemspace.booking.schedules import open_slots
from problemspace.booking.tests.factories import availability
from problemspace.cli.main import main
from problemspace.testing import SmtpTestCase


class ReminderTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.availability = availability(self.member(self.carol))
        # A slot more than a day away, so it gets a reminder.
        later = timezone.now() + timedelta(days=3)
        self.slot = next(s for s in open_slots(self.availability) if s.starts_at > later)
        booker = services.Booker("Dana", "dana@acme.example", "Europe/Paris")
        with self.captureOnCommitCallbacks(execute=True):
            self.booking = services.book(self.availability, self.slot.key(), booker)
        assert self.booking.remind_at is not None
        self.remind_at = self.booking.remind_at
        self.smtp.clear()

    def test_the_reminder_is_due_a_day_before(self) -> None:
        self.assertEqual(self.booking.remind_at, self.slot.starts_at - timedelta(hours=24))

    def test_a_task_is_queued_to_run_then(self) -> None:
        queued = DBTaskResult.objects.get(task_path__endswith="reminder_task")
        self.assertEqual(queued.run_after, self.booking.remind_at)
        self.assertEqual(queued.args_kwargs["args"], [self.booking.pk])

    def test_it_is_sent_once_only(self) -> None:
        due = self.remind_at + timedelta(minutes=1)
        self.assertEqual(send_due_reminders(now=self.remind_at - timedelta(minutes=1)), 0)
        self.assertEqual(self.smtp.messages, [])
        self.assertTrue(send_reminder(self.booking.pk, now=due))
        self.assertFalse(send_reminder(self.booking.pk, now=due))
        self.assertEqual(send_due_reminders(now=due), 0)
        self.assertEqual(len(self.smtp.messages), 1)
        message = self.smtp.messages[0]
        self.assertEqual(message["To"], "dana@acme.example")
        self.assertTrue(message["Subject"].startswith("Tomorrow:"))

    def test_a_cancelled_booking_is_not_reminded(self) -> None:
        services.cancel(self.booking)
        self.smtp.clear()
        self.assertEqual(send_due_reminders(now=self.remind_at + timedelta(hours=1)), 0)
        self.assertEqual(self.smtp.messages, [])

    def test_a_moved_booking_is_reminded_for_its_new_time(self) -> None:
        later = next(
            s
            for s in open_slots(self.availability)
            if s.starts_at > self.slot.starts_at + timedelta(days=2)
        )
        moved = services.reschedule(self.booking, later.key())
        self.smtp.clear()
        # The first time's reminder finds nothing due...
        self.assertFalse(send_reminder(moved.pk, now=self.remind_at + timedelta(minutes=1)))
        # ...and the new one goes out a day before the new time.
        self.assertTrue(send_reminder(moved.pk, now=later.starts_at - timedelta(hours=23)))

    def test_the_command_sends_what_is_due(self) -> None:
        Booking.objects.filter(pk=self.booking.pk).update(
            remind_at=timezone.now() - timedelta(minutes=5)
        )
        self.assertEqual(main(["reminders"]), 0)
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(main(["reminders"]), 0)
        self.assertEqual(len(self.smtp.messages), 1)
