"""Members publish their availability: every bad window is refused with a clear message."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from problemspace.booking.models import Availability, Booking, BookingStatus, Window
from problemspace.booking.tests.factories import availability, first_slot
from problemspace.testing import BaseTestCase


class AvailabilityPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.carol)
        self.mine = availability(self.member(self.carol), every_day=False)
        self.url = reverse("booking:availability", args=["acme", self.mine.pk])

    def add(self, **fields: str) -> Any:
        data = {"w-day": "0", "w-on_date": "", "w-starts": "09:00", "w-ends": "12:00"}
        data.update({f"w-{k}": v for k, v in fields.items()})
        return self.client.post(self.url, data)

    def test_a_contributor_makes_a_schedule(self) -> None:
        response = self.client.post(
            reverse("booking:availability_list", args=["acme"]),
            {
                "title": "Product office hours",
                "purpose": "office_hours",
                "time_zone": "America/New_York",
                "slot_minutes": "45",
                "buffer_minutes": "15",
                "active": "on",
            },
        )
        made = Availability.objects.get(title="Product office hours")
        self.assertRedirects(response, reverse("booking:availability", args=["acme", made.pk]))
        self.assertEqual((made.time_zone, made.slot_minutes), ("America/New_York", 45))

    def test_an_unknown_time_zone_is_refused(self) -> None:
        response = self.client.post(
            reverse("booking:availability_list", args=["acme"]),
            {
                "title": "Hours",
                "purpose": "office_hours",
                "time_zone": "Europe/Atlantis",
                "slot_minutes": "30",
                "buffer_minutes": "0",
            },
        )
        self.assertContains(response, "is not a time zone we know", status_code=400)
        self.assertFalse(Availability.objects.filter(title="Hours").exists())

    def test_a_window_is_added(self) -> None:
        self.assertRedirects(self.add(), self.url)
        window = Window.objects.get(availability=self.mine)
        self.assertEqual((window.weekday, window.starts, window.ends), (0, time(9), time(12)))

    def test_an_inverted_window_is_refused(self) -> None:
        response = self.add(starts="14:00", ends="10:00")
        self.assertContains(
            response, "The window ends (10:00) before it starts (14:00)", status_code=400
        )
        self.assertFalse(Window.objects.exists())

    def test_an_overlapping_window_is_refused(self) -> None:
        self.add()
        response = self.add(starts="11:00", ends="13:00")
        self.assertContains(
            response, "This overlaps your window Every Monday, 09:00-12:00", status_code=400
        )
        self.assertEqual(Window.objects.count(), 1)

    def test_a_date_on_a_weekly_windows_day_overlaps_it(self) -> None:
        self.add()
        monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
        response = self.add(day="date", on_date=monday.isoformat(), starts="10:00", ends="11:00")
        self.assertContains(response, "This overlaps your window", status_code=400)

    def test_it_overlaps_windows_of_the_members_other_schedules(self) -> None:
        other = availability(self.member(self.carol), title="Interviews", every_day=False)
        Window.objects.create(availability=other, weekday=0, starts=time(8), ends=time(10))
        response = self.add()
        self.assertContains(response, "in “Interviews”", status_code=400)

    def test_a_date_in_the_past_is_refused(self) -> None:
        past = timezone.localdate() - timedelta(days=2)
        response = self.add(day="date", on_date=past.isoformat())
        self.assertContains(response, "has passed", status_code=400)
        self.assertFalse(Window.objects.exists())

    def test_a_window_shorter_than_a_slot_is_refused(self) -> None:
        response = self.add(starts="09:00", ends="09:15")
        self.assertContains(response, "shorter than one 30-minute slot", status_code=400)

    def test_a_date_window_needs_its_date(self) -> None:
        response = self.add(day="date")
        self.assertContains(response, "Give the date of this window.", status_code=400)

    def test_a_window_is_removed(self) -> None:
        self.add()
        window = Window.objects.get()
        response = self.client.post(reverse("booking:window_delete", args=["acme", window.pk]))
        self.assertRedirects(response, self.url)
        self.assertFalse(Window.objects.exists())

    def test_another_member_reads_but_cannot_change_it(self) -> None:
        self.add()
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.add(weekday="1").status_code, 403)
        window = Window.objects.get()
        delete = reverse("booking:window_delete", args=["acme", window.pk])
        self.assertEqual(self.client.post(delete).status_code, 403)

    def test_a_viewer_cannot_publish(self) -> None:
        self.client.force_login(self.vic)
        page = self.client.get(reverse("booking:availability_list", args=["acme"]))
        self.assertNotContains(page, "New schedule")
        response = self.client.post(
            reverse("booking:availability_list", args=["acme"]),
            {
                "title": "x",
                "purpose": "office_hours",
                "time_zone": "UTC",
                "slot_minutes": "30",
                "buffer_minutes": "0",
            },
        )
        self.assertEqual(response.status_code, 403)

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_colleagues_find_office_hours(self) -> None:
        self.add()
        self.client.force_login(self.vic)
        page = self.client.get(reverse("booking:availability_list", args=["acme"]))
        self.assertContains(page, "Colleagues' office hours")
        self.assertContains(page, reverse("booking_public:book", args=[self.mine.token]))


class MyBookingsTests(BaseTestCase):
    def test_a_member_sees_and_cancels_their_bookings(self) -> None:
        from problemspace.booking import services

        mine = availability(self.member(self.carol))
        slot = first_slot(mine)
        booking = services.book(
            mine, slot.key(), services.Booker("Dana", "dana@acme.example", "UTC")
        )
        self.client.force_login(self.carol)
        page = self.client.get(reverse("booking:bookings", args=["acme"]))
        self.assertContains(page, "Dana")
        self.client.force_login(self.vic)
        cancel = reverse("booking:booking_cancel", args=["acme", booking.pk])
        self.assertEqual(self.client.post(cancel).status_code, 403)
        self.client.force_login(self.carol)
        self.assertRedirects(self.client.post(cancel), reverse("booking:bookings", args=["acme"]))
        booking.refresh_from_db()
        self.assertEqual(booking.status, BookingStatus.CANCELLED)
        self.assertEqual(Booking.objects.filter(status=BookingStatus.CONFIRMED).count(), 0)

    def test_times_show_in_the_schedules_zone(self) -> None:
        from zoneinfo import ZoneInfo

        from problemspace.booking import services

        mine = availability(self.member(self.carol), time_zone="Europe/Paris")
        slot = first_slot(mine)
        services.book(mine, slot.key(), services.Booker("Dana", "dana@acme.example", "UTC"))
        self.client.force_login(self.carol)
        page = self.client.get(reverse("booking:bookings", args=["acme"]))
        # The schedule's windows are 09:00-12:00 in Paris: the slot reads as Paris time, which
        # is never the UTC time (Paris is an hour or two ahead all year).
        paris = slot.starts_at.astimezone(ZoneInfo("Europe/Paris"))
        utc = slot.starts_at.astimezone(ZoneInfo("UTC"))
        self.assertTrue(9 <= paris.hour < 12)
        self.assertContains(page, f"{paris:%d %b %Y, %H:%M}".lstrip("0"))
        self.assertNotContains(page, f"{utc:%H:%M}")
        self.assertContains(page, "Europe/Paris")
