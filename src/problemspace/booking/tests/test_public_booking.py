"""The public booking page, with the invite read back from a real SMTP server."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from problemspace.booking.emails import manage_token
from problemspace.booking.models import Booking, BookingStatus, Purpose
from problemspace.booking.public_views import BOOKINGS_PER_IP
from problemspace.booking.schedules import open_slots
from problemspace.booking.tests.factories import availability, first_slot
from problemspace.testing import SmtpTestCase
from problemspace.web.models import TokenBucket


def invite_of(message: EmailMessage) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    assert parts[0].get_filename() == "invite.ics"
    return Calendar.from_ical(parts[0].get_content())


def event_of(calendar: Calendar) -> Any:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


class PublicBookingTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.availability = availability(self.member(self.carol))
        self.url = reverse("booking_public:book", args=[self.availability.token])

    def book(self, key: str, **extra: str) -> Any:
        data = {
            "slot": key,
            "name": "Dana Colleague",
            "email": "dana@acme.example",
            "time_zone": "America/New_York",
            "note": "",
            **extra,
        }
        return self.client.post(self.url, data)

    def test_the_page_lists_free_slots_in_the_chosen_zone(self) -> None:
        response = self.client.get(self.url, {"tz": "America/New_York"})
        self.assertContains(response, "Office hours")
        slot = first_slot(self.availability)
        self.assertContains(response, f'value="{slot.key()}"')
        local = slot.starts_at.astimezone(ZoneInfo("America/New_York"))
        self.assertContains(response, f"<span>{local:%H:%M}</span>")
        self.assertContains(response, "Times in America/New_York")

    def test_booking_sends_a_valid_invite(self) -> None:
        slot = first_slot(self.availability)
        response = self.book(slot.key())
        booking = Booking.objects.get()
        self.assertRedirects(
            response,
            # The zone goes along, so the page's script does not reload it without "booked".
            reverse("booking_public:manage", args=[manage_token(booking)])
            + "?booked=1&tz=America%2FNew_York",
        )
        self.assertEqual(booking.starts_at, slot.starts_at)
        self.assertEqual(booking.purpose, Purpose.OFFICE_HOURS)
        to_booker = [m for m in self.smtp.messages if m["To"] == "dana@acme.example"]
        to_member = [m for m in self.smtp.messages if m["To"] == "carol@example.org"]
        self.assertEqual((len(to_booker), len(to_member)), (1, 1))
        calendar = invite_of(to_booker[0])
        self.assertEqual(str(calendar["METHOD"]), "REQUEST")
        self.assertEqual(str(calendar["VERSION"]), "2.0")
        self.assertIn("PRODID", calendar)
        event = event_of(calendar)
        self.assertEqual(str(event["UID"]), f"{booking.uid}@problemspace")
        self.assertEqual(event.decoded("DTSTART"), slot.starts_at)
        self.assertEqual(event.decoded("DTSTART").utcoffset(), timedelta(0))
        self.assertEqual(event.decoded("DTEND"), slot.ends_at)
        self.assertIsInstance(event.decoded("DTSTAMP"), datetime)
        self.assertEqual(str(event["ORGANIZER"]), "mailto:carol@example.org")
        self.assertEqual(str(event["ATTENDEE"]), "mailto:dana@acme.example")
        self.assertEqual(event["ATTENDEE"].params["CN"], "Dana Colleague")
        self.assertEqual(int(event["SEQUENCE"]), 0)
        description = str(event["DESCRIPTION"])
        token = manage_token(booking)
        self.assertIn(f"/b/manage/{token}/", description)
        self.assertIn(f"/b/manage/{token}/cancel/", description)
        self.assertIn("Office hours", str(event["SUMMARY"]))
        # The booker's email tells the time in their own zone.
        body = to_booker[0].get_body(("plain",))
        assert body is not None
        self.assertIn("America/New_York", body.get_content())
        self.assertEqual(self.availability.member.user.email, to_member[0]["To"])

    def test_the_same_slot_cannot_be_booked_twice(self) -> None:
        slot = first_slot(self.availability)
        self.book(slot.key())
        response = self.book(slot.key(), email="erin@acme.example", name="Erin")
        self.assertContains(response, "That slot was just taken", status_code=409)
        self.assertEqual(Booking.objects.count(), 1)
        self.assertNotIn(slot.starts_at, [s.starts_at for s in open_slots(self.availability)])

    def test_rescheduling_updates_the_same_event(self) -> None:
        first, later = open_slots(self.availability)[:2]
        self.book(first.key())
        booking = Booking.objects.get()
        self.smtp.clear()
        manage = reverse("booking_public:manage", args=[manage_token(booking)])
        page = self.client.get(manage)
        self.assertContains(page, "Choose another time")
        response = self.client.post(manage, {"slot": later.key(), "time_zone": "UTC"})
        self.assertRedirects(response, manage + "?moved=1&tz=UTC")
        booking.refresh_from_db()
        self.assertEqual((booking.starts_at, booking.sequence), (later.starts_at, 1))
        event = event_of(invite_of(self.smtp.messages[0]))
        self.assertEqual(str(event["UID"]), f"{booking.uid}@problemspace")
        self.assertEqual(int(event["SEQUENCE"]), 1)
        self.assertEqual(event.decoded("DTSTART"), later.starts_at)
        # The first slot is free again.
        self.assertIn(first.starts_at, [s.starts_at for s in open_slots(self.availability)])

    def test_cancelling_sends_a_cancel_with_the_same_uid_and_frees_the_slot(self) -> None:
        slot = first_slot(self.availability)
        self.book(slot.key())
        booking = Booking.objects.get()
        self.smtp.clear()
        cancel = reverse("booking_public:cancel", args=[manage_token(booking)])
        self.assertContains(self.client.get(cancel), "Cancel your booking?")
        response = self.client.post(cancel)
        self.assertContains(response, "Booking cancelled")
        booking.refresh_from_db()
        self.assertEqual(booking.status, BookingStatus.CANCELLED)
        to_booker = [m for m in self.smtp.messages if m["To"] == "dana@acme.example"]
        calendar = invite_of(to_booker[0])
        self.assertEqual(str(calendar["METHOD"]), "CANCEL")
        event = event_of(calendar)
        self.assertEqual(str(event["UID"]), f"{booking.uid}@problemspace")
        self.assertEqual(int(event["SEQUENCE"]), 1)
        self.assertEqual(str(event["STATUS"]), "CANCELLED")
        # Cancelling again sends nothing more.
        self.smtp.clear()
        self.client.post(cancel)
        self.assertEqual(self.smtp.messages, [])
        # And the slot can be booked again.
        self.assertEqual(first_slot(self.availability).starts_at, slot.starts_at)
        self.book(slot.key(), email="erin@acme.example")
        self.assertEqual(Booking.objects.filter(status=BookingStatus.CONFIRMED).count(), 1)

    def test_a_forged_manage_link_is_a_404(self) -> None:
        slot = first_slot(self.availability)
        self.book(slot.key())
        booking = Booking.objects.get()
        forged = booking.uid.hex + ":forged"
        self.assertEqual(
            self.client.get(reverse("booking_public:manage", args=[forged])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("booking_public:cancel", args=[forged])).status_code, 404
        )

    def test_bad_input_is_answered_next_to_the_fields(self) -> None:
        slot = first_slot(self.availability)
        response = self.book(slot.key(), name="", email="not-an-email")
        self.assertContains(response, "Tell us your name.", status_code=400)
        self.assertContains(response, "That is not an email address", status_code=400)
        response = self.book("2000-01-01T09:00:00Z")
        self.assertContains(response, "not offered", status_code=400)
        response = self.book("whenever")
        self.assertContains(response, "Choose one of the times listed.", status_code=400)
        self.assertEqual(Booking.objects.count(), 0)
        self.assertEqual(self.smtp.messages, [])

    def test_the_honeypot_books_nothing(self) -> None:
        slot = first_slot(self.availability)
        response = self.book(slot.key(), website="http://spam.example")
        self.assertContains(response, "Thank you")
        self.assertEqual(Booking.objects.count(), 0)
        self.assertEqual(self.smtp.messages, [])

    def test_it_is_rate_limited_per_address(self) -> None:
        TokenBucket.objects.all().delete()
        for _ in range(BOOKINGS_PER_IP.capacity):
            self.book("whenever")
        response = self.book(first_slot(self.availability).key())
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertIn("Retry-After", response)
        self.assertEqual(Booking.objects.count(), 0)

    def test_script_in_a_note_is_escaped(self) -> None:
        slot = first_slot(self.availability)
        self.book(slot.key(), note="<script>alert('x')</script>")
        booking = Booking.objects.get()
        self.assertEqual(booking.note, "<script>alert('x')</script>")
        self.client.force_login(self.carol)
        page = self.client.get(reverse("booking:bookings", args=["acme"]))
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.client.logout()
        manage = self.client.get(reverse("booking_public:manage", args=[manage_token(booking)]))
        self.assertNotContains(manage, "<script>alert")

    def test_an_interview_schedule_needs_a_candidate_link(self) -> None:
        interviews = availability(self.member(self.bob), purpose=Purpose.INTERVIEW)
        url = reverse("booking_public:book", args=[interviews.token])
        self.assertContains(self.client.get(url), "invited participants", status_code=403)
        self.assertEqual(self.client.get(url, {"c": "1:forged"}).status_code, 403)

    def test_a_paused_schedule_takes_no_booking(self) -> None:
        self.availability.active = False
        self.availability.save()
        self.assertContains(self.client.get(self.url), "not taking bookings", status_code=410)

    def test_an_unknown_schedule_is_a_404(self) -> None:
        url = reverse("booking_public:book", args=["nope"])
        self.assertEqual(self.client.get(url).status_code, 404)
