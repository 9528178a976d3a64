from __future__ import annotations

import re
from unittest.mock import patch

from django.core.cache import cache
from django.test import SimpleTestCase
from django.utils.safestring import SafeString

from problemspace.lib import charts


class ChartsTestCase(SimpleTestCase):
    def test_it_draws_an_svg_without_script(self) -> None:
        svg = charts.column_series(
            "Evidence per week",
            ["Mar 3", "Mar 10"],
            [("First-hand", [3, 4]), ("Relayed", [1, 0])],
            stacked=True,
        )
        self.assertTrue(svg.startswith('<svg role="img" aria-label="Evidence per week"'))
        self.assertNotIn("<script", svg)
        self.assertIn("First-hand", svg)

    def test_labels_are_escaped(self) -> None:
        svg = charts.horizontal_bars(
            'Accounts by "segment"', ["<script>alert(1)</script>", "Mid-market"], [2, 5]
        )
        self.assertNotIn("<script", svg)
        self.assertIn("&lt;script&gt;", svg)
        self.assertIn('aria-label="Accounts by &quot;segment&quot;"', svg)

    def test_bars_read_top_down_in_the_order_given(self) -> None:
        svg = charts.horizontal_bars("Channels", ["Support", "Email", "Survey"], [9, 5, 1])
        y = {
            label: float(top)
            for top, label in re.findall(r'<text x="-5" y="([\d.]+)" class="">(\w+)</text>', svg)
        }
        self.assertLess(y["Support"], y["Email"])
        self.assertLess(y["Email"], y["Survey"])


class ChartCacheTestCase(SimpleTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_the_same_figures_are_drawn_once(self) -> None:
        with patch.object(charts, "_render", wraps=charts._render) as render:
            first = charts.horizontal_bars("Channels", ["Support", "Email"], [9, 5])
            again = charts.horizontal_bars("Channels", ["Support", "Email"], [9, 5])
        self.assertEqual(render.call_count, 1)
        self.assertEqual(again, first)
        self.assertIsInstance(again, SafeString)

    def test_other_figures_are_drawn_anew(self) -> None:
        first = charts.horizontal_bars("Channels", ["Support", "Email"], [9, 5])
        other = charts.horizontal_bars("Channels", ["Support", "Email"], [9, 6])
        columns = charts.column_series("Channels", ["Support", "Email"], [("n", [9, 5])])
        self.assertNotEqual(other, first)
        self.assertIn(">6<", other)
        self.assertNotEqual(columns, first)


class ChartsPolicyTestCase(SimpleTestCase):
    def test_no_inline_style_attribute_is_left(self) -> None:
        svg = charts.column_series("Evidence per week", ["Mar 3"], [("First-hand", [3])])
        self.assertNotIn('style="', svg)
