"""Reading a score as people write it, the one set of rules for imports, capture and the API."""

from __future__ import annotations

from django.test import SimpleTestCase

from problemspace.evidence.scores import ScoreError, describe_score, read_score


class ReadScoreTestCase(SimpleTestCase):
    def test_it_reads_the_ways_people_write_a_score(self) -> None:
        cases = {
            ("4", "stars"): (4.0, "stars"),
            ("4.5", "Stars"): (4.5, "stars"),
            ("4,5", "stars"): (4.5, "stars"),
            (" 4/5 ", "stars"): (4.0, "stars"),
            ("★★★★☆", ""): (4.0, "stars"),
            ("⭐️⭐️⭐️", ""): (3.0, "stars"),
            ("★ ★ ☆ ☆ ☆", "stars"): (2.0, "stars"),
            ("9", "NPS"): (9.0, "nps"),
            ("8/10", "nps"): (8.0, "nps"),
            ("0", "nps"): (0.0, "nps"),
            ("2", "csat"): (2.0, "csat"),
            (7, "nps"): (7.0, "nps"),
            (4.5, "stars"): (4.5, "stars"),
        }
        for (value, scale), expected in cases.items():
            with self.subTest(value=value, scale=scale):
                self.assertEqual(read_score(value, scale), expected)

    def test_no_score_is_no_score_whatever_the_scale(self) -> None:
        for value in (None, "", "   "):
            with self.subTest(value=value):
                self.assertEqual(read_score(value, "stars"), (None, ""))

    def test_it_refuses_what_the_scale_does_not_allow(self) -> None:
        cases = {
            ("7", "stars"): ("score", "'7' is not on the stars scale (1 to 5)"),
            ("0", "csat"): ("score", "'0' is not on the CSAT scale (1 to 5)"),
            ("-1", "nps"): ("score", "'-1' is not on the NPS scale (0 to 10)"),
            ("11", "nps"): ("score", "'11' is not on the NPS scale (0 to 10)"),
            ("great", "stars"): ("score", "'great' is not a score: write a number from 1 to 5"),
            ("4/5", "nps"): ("score", "'4/5' is out of 5, but the NPS scale (0 to 10) goes up"),
            ("★★★★☆", "nps"): ("score", "'★★★★☆' is a star rating, but this score is on the NPS"),
            ("☆☆☆☆☆", ""): ("score", "'☆☆☆☆☆' is not on the stars scale (1 to 5)"),
            ("4", ""): ("score_scale", "is empty, but the score '4' needs one"),
            ("4", "percent"): ("score_scale", "'percent' is not a scale: use stars (1 to 5)"),
            (True, "stars"): ("score", "'True' is not a score"),
            (float("nan"), "stars"): ("score", "'nan' is not a score"),
        }
        for (value, scale), (field, reason) in cases.items():
            with self.subTest(value=value, scale=scale):
                with self.assertRaises(ScoreError) as caught:
                    read_score(value, scale)
                self.assertEqual(caught.exception.field, field)
                self.assertTrue(caught.exception.reason.startswith(reason), caught.exception)

    def test_it_describes_a_score_for_a_page(self) -> None:
        self.assertEqual(describe_score(4.0, "stars"), "★ 4/5")
        self.assertEqual(describe_score(4.5, "stars"), "★ 4.5/5")
        self.assertEqual(describe_score(9.0, "nps"), "NPS 9")
        self.assertEqual(describe_score(2.0, "csat"), "CSAT 2/5")
        self.assertEqual(describe_score(None, ""), "")
