"""The booking API, members' side: the same rules and messages as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from problemspace.booking import services
from problemspace.booking.models import Availability, BookingStatus, Window
from problemspace.booking.tests.factories import availability, first_slot
from problemspace.testing import BaseTestCase


class BookingApiTests(BaseTestCase):
    def test_a_contributor_publishes_office_hours(self) -> None:
        headers = self.api_key(self.carol)
        response = self.client.post(
            "/api/w/acme/availability",
            {"title": "Office hours", "time_zone": "America/New_York", "slot_minutes": 30},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(response.status_code, 201, response.content)
        made = Availability.objects.get(pk=response.json()["id"])
        self.assertIn(f"/b/{made.token}/", response.json()["booking_url"])
        window = self.client.post(
            f"/api/w/acme/availability/{made.pk}/windows",
            {"weekday": 2, "starts": "13:00", "ends": "15:00"},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(window.status_code, 201, window.content)
        detail = self.client.get(f"/api/w/acme/availability/{made.pk}", headers=headers).json()
        self.assertEqual(len(detail["windows"]), 1)
        self.assertGreater(len(detail["free_slots"]), 0)

    def test_bad_windows_and_zones_are_422_with_the_reason(self) -> None:
        headers = self.api_key(self.carol)
        mine = availability(self.member(self.carol), every_day=False)
        url = f"/api/w/acme/availability/{mine.pk}/windows"
        inverted = self.client.post(
            url,
            {"weekday": 0, "starts": "12:00", "ends": "09:00"},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(inverted.status_code, 422)
        self.assertIn("before it starts", inverted.json()["detail"])
        past = (timezone.localdate() - timedelta(days=1)).isoformat()
        old = self.client.post(
            url,
            {"on_date": past, "starts": "09:00", "ends": "12:00"},
            content_type="application/json",
            headers=headers,
        )
        self.assertIn("has passed", old.json()["detail"])
        zone = self.client.patch(
            f"/api/w/acme/availability/{mine.pk}",
            {"time_zone": "Nowhere/City"},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(zone.status_code, 422)
        self.assertIn("not a time zone we know", zone.json()["detail"])
        self.assertFalse(Window.objects.exists())

    def test_a_viewer_cannot_publish_and_others_cannot_change_mine(self) -> None:
        response = self.client.post(
            "/api/w/acme/availability",
            {"title": "x", "time_zone": "UTC"},
            content_type="application/json",
            headers=self.api_key(self.vic),
        )
        self.assertEqual(response.status_code, 403)
        mine = availability(self.member(self.carol))
        patch = self.client.patch(
            f"/api/w/acme/availability/{mine.pk}",
            {"title": "Mine now"},
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(patch.status_code, 403)

    def test_a_member_lists_and_cancels_their_bookings(self) -> None:
        mine = availability(self.member(self.carol))
        booking = services.book(
            mine, first_slot(mine).key(), services.Booker("Dana", "dana@x.example", "UTC")
        )
        headers = self.api_key(self.carol)
        listed = self.client.get("/api/w/acme/bookings", headers=headers).json()
        self.assertEqual([b["id"] for b in listed], [booking.pk])
        cancelled = self.client.post(f"/api/w/acme/bookings/{booking.pk}/cancel", headers=headers)
        self.assertEqual(cancelled.json()["status"], BookingStatus.CANCELLED)
        self.assertEqual(self.client.get("/api/w/acme/bookings", headers=headers).json(), [])
