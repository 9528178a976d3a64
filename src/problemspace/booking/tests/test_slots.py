"""Slots from windows: wall-clock windows in the member's zone, across daylight saving."""

from __future__ import annotations

import itertools
from datetime import date, time
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from problemspace.booking.slots import WindowSpec, free_slots, group_by_day, parse_key, zone
from problemspace.booking.tests.factories import utc

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def slots(windows: list[WindowSpec], now: object, **kwargs: object) -> list:
    options = {"slot_minutes": 60, "buffer_minutes": 0, "busy": [], "horizon_days": 14}
    options.update(kwargs)
    return free_slots(windows, PARIS, now=now, **options)  # type: ignore[arg-type]


class WeeklyWindowAcrossDstTests(SimpleTestCase):
    # Europe/Paris springs forward on Sunday 28 March 2027; New York did on 14 March.
    monday_mornings = [WindowSpec(starts=time(9), ends=time(12), weekday=0)]

    def test_it_keeps_the_wall_clock_hour_across_the_change(self) -> None:
        found = slots(self.monday_mornings, utc(2027, 3, 20, 12))
        firsts = [s for s in found if s.starts_at.astimezone(PARIS).hour == 9]
        self.assertEqual([s.starts_at for s in firsts], [utc(2027, 3, 22, 8), utc(2027, 3, 29, 7)])
        for slot in found:
            local = slot.starts_at.astimezone(PARIS)
            self.assertIn(local.hour, (9, 10, 11))

    def test_it_shows_the_slots_in_the_bookers_zone(self) -> None:
        found = slots(self.monday_mornings, utc(2027, 3, 20, 12))
        days = group_by_day(found, NEW_YORK)
        self.assertEqual([day for day, _ in days], [date(2027, 3, 22), date(2027, 3, 29)])
        # 09:00 in Paris is 04:00 in New York before Paris's change, 03:00 after it.
        self.assertEqual(days[0][1][0][0].hour, 4)
        self.assertEqual(days[1][1][0][0].hour, 3)
        self.assertEqual(days[1][1][0][1], "2027-03-29T07:00:00Z")


class WindowOnTheNightOfTheChangeTests(SimpleTestCase):
    def test_spring_forward_holds_only_the_hours_that_exist(self) -> None:
        window = WindowSpec(starts=time(1), ends=time(4), on_date=date(2027, 3, 28))
        found = slots([window], utc(2027, 3, 20))
        # 01:00 CET to 04:00 CEST is two real hours: slots at 01:00 and 03:00, never 02:00.
        self.assertEqual([s.starts_at for s in found], [utc(2027, 3, 28, 0), utc(2027, 3, 28, 1)])
        self.assertEqual([s.starts_at.astimezone(PARIS).hour for s in found], [1, 3])

    def test_fall_back_holds_the_repeated_hour(self) -> None:
        window = WindowSpec(starts=time(1), ends=time(4), on_date=date(2027, 10, 31))
        found = slots([window], utc(2027, 10, 25))
        self.assertEqual(len(found), 4)
        self.assertEqual([s.starts_at.astimezone(PARIS).hour for s in found], [1, 2, 2, 3])
        for earlier, later in itertools.pairwise(found):
            self.assertEqual((later.starts_at - earlier.starts_at).total_seconds(), 3600)


class BusyAndNoticeTests(SimpleTestCase):
    window = [WindowSpec(starts=time(9), ends=time(12), on_date=date(2027, 6, 1))]

    def test_it_leaves_out_booked_slots_and_their_buffer(self) -> None:
        booked = [(utc(2027, 6, 1, 8), utc(2027, 6, 1, 8, 30))]  # 10:00-10:30 Paris
        found = free_slots(
            self.window,
            PARIS,
            slot_minutes=30,
            buffer_minutes=15,
            busy=booked,
            now=utc(2027, 5, 30),
        )
        starts = [s.starts_at.astimezone(PARIS).strftime("%H:%M") for s in found]
        # Slots step by 45 minutes (30 + 15 buffer); 09:45 would end inside the buffer.
        self.assertEqual(starts, ["09:00", "11:15"])

    def test_it_offers_nothing_too_soon(self) -> None:
        found = free_slots(
            self.window,
            PARIS,
            slot_minutes=60,
            buffer_minutes=0,
            busy=[],
            now=utc(2027, 6, 1, 6, 30),  # 08:30 in Paris: 11:00 is the only slot 2 h away
        )
        self.assertEqual([s.starts_at for s in found], [utc(2027, 6, 1, 9)])


class ParsingTests(SimpleTestCase):
    def test_keys_round_trip(self) -> None:
        self.assertEqual(parse_key("2027-03-29T07:00:00Z"), utc(2027, 3, 29, 7))
        self.assertIsNone(parse_key("tomorrow"))
        self.assertIsNone(parse_key("2027-03-29T07:00:00+02:00"))

    def test_zones_come_from_the_zoneinfo_database(self) -> None:
        self.assertEqual(zone("Europe/Paris"), PARIS)
        self.assertIsNone(zone("Mars/Olympus_Mons"))
        self.assertIsNone(zone("../../etc/passwd"))
        self.assertIsNone(zone(""))
