"""Periods as people write them: 30d, 4w, or two dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.test import SimpleTestCase

from problemspace.briefs.period import Period, PeriodError, parse, span_label

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class PeriodTests(SimpleTestCase):
    def test_it_reads_days_and_weeks(self) -> None:
        self.assertEqual(parse("30d", NOW).start, datetime(2026, 10, 31, 9, 0, tzinfo=UTC))
        self.assertEqual(parse("30", NOW).label, "last 30 days")
        self.assertEqual(parse("4w", NOW).days, 28)
        self.assertEqual(parse("1 day", NOW).label, "last 1 day")

    def test_it_reads_two_dates_both_included(self) -> None:
        period = parse("2026-11-01..2026-11-30", NOW)
        self.assertEqual(period.start, datetime(2026, 11, 1, tzinfo=UTC))
        self.assertEqual(period.end, datetime(2026, 12, 1, tzinfo=UTC))
        self.assertEqual(period.label, "1\N{EN DASH}30 Nov 2026")
        self.assertEqual(period.last_day, date(2026, 11, 30))

    def test_it_refuses_what_is_not_a_period(self) -> None:
        for text, said in [
            ("last month", "is not a period"),
            ("0d", "1 to 366 days"),
            ("999d", "1 to 366 days"),
            ("2026-11-30..2026-11-01", "ends before it starts"),
            ("2026-02-30..2026-03-01", "does not exist"),
            ("2027-01-01..2027-01-31", "starts in the future"),
            ("2025-01-01..2026-11-30", "at most 366 days"),
        ]:
            with self.subTest(text=text), self.assertRaisesMessage(PeriodError, said):
                parse(text, NOW)

    def test_labels_read_as_people_write_dates(self) -> None:
        self.assertEqual(
            span_label(date(2026, 10, 28), date(2026, 11, 3)), "28 Oct \N{EN DASH} 3 Nov 2026"
        )
        self.assertEqual(
            span_label(date(2026, 12, 28), date(2027, 1, 3)), "28 Dec 2026 \N{EN DASH} 3 Jan 2027"
        )
        self.assertEqual(Period.last_days(7, NOW).dates(), "23\N{EN DASH}30 Nov 2026")
