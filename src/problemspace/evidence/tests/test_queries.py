"""The filter and cursor parsing that the inbox and `problemspace evidence` share."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.http import QueryDict
from django.test import SimpleTestCase

from problemspace.evidence.queries import Cursor, EvidenceFilter, parse_cursor, parse_filter


class ParseFilterTestCase(SimpleTestCase):
    def test_it_reads_every_field(self) -> None:
        f, errors = parse_filter(
            QueryDict(
                "channel=sales-call&segment=SMB&account=Globex&provenance=first-hand"
                "&from=2025-01-01&to=2025-01-31&text=+export+"
            )
        )
        self.assertEqual(errors, {})
        self.assertEqual(
            f,
            EvidenceFilter(
                channel="sales_call",
                segment="SMB",
                account="Globex",
                provenance="first_hand",
                date_from=date(2025, 1, 1),
                date_to=date(2025, 1, 31),
                text="export",
            ),
        )

    def test_empty_values_mean_any(self) -> None:
        f, errors = parse_filter({"channel": "", "text": "   "})
        self.assertTrue(f.is_empty)
        self.assertEqual(errors, {})

    def test_channels_may_be_named_by_label(self) -> None:
        f, _ = parse_filter({"channel": "Support ticket"})
        self.assertEqual(f.channel, "support")

    def test_it_names_each_invalid_field(self) -> None:
        f, errors = parse_filter(
            {"channel": "fax", "provenance": "hearsay", "from": "soon", "text": "x" * 201}
        )
        self.assertEqual(set(errors), {"channel", "provenance", "from", "text"})
        self.assertIn("interview", errors["channel"])
        self.assertTrue(f.is_empty)

    def test_as_params_is_the_inverse(self) -> None:
        data = {"channel": "survey", "from": "2025-02-01", "to": "2025-02-03", "text": "sso"}
        f, _ = parse_filter(data)
        self.assertEqual(f.as_params(), data)


class CursorTestCase(SimpleTestCase):
    def test_it_round_trips_exactly(self) -> None:
        cursor = Cursor(datetime(2025, 3, 15, 12, 0, 0, 123456, tzinfo=UTC), 42)
        self.assertEqual(Cursor.decode(cursor.encode()), cursor)

    def test_it_handles_dates_before_the_epoch(self) -> None:
        cursor = Cursor(datetime(1969, 7, 20, 20, 17, tzinfo=UTC), 7)
        self.assertEqual(Cursor.decode(cursor.encode()), cursor)

    def test_it_rejects_garbage(self) -> None:
        for value in ["", "abc", "12", "12.x", "1e400.3", "99999999999999999999999.1"]:
            with self.subTest(value=value), self.assertRaises(ValueError):
                Cursor.decode(value)

    def test_parse_cursor_reports_a_broken_one(self) -> None:
        self.assertEqual(parse_cursor({}), (None, {}))
        cursor, errors = parse_cursor({"after": "nonsense"})
        self.assertIsNone(cursor)
        self.assertIn("after", errors)
