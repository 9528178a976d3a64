"""The roadmap's arithmetic, without a database: key-result progress and the RICE score."""

from __future__ import annotations

import unittest

from problemspace.roadmap.scoring import (
    DIVIDED,
    HIGH,
    LOW,
    MEDIUM,
    TIMES,
    EvidenceFigures,
    confidence,
    progress,
    score,
)

STRONG = EvidenceFigures(
    problems=1,
    accounts=12,
    lone_contacts=3,
    conversations=20,
    first_hand=14,
    days_since_latest=4,
)


class ProgressTestCase(unittest.TestCase):
    def test_a_measure_going_up(self) -> None:
        self.assertEqual(progress(10, 20, 15).share, 0.5)
        self.assertEqual(progress(10, 20, 15).direction, "up")

    def test_a_measure_going_down(self) -> None:
        # Churn from 2.4% to 1.5%: at 2.1% a third of the way.
        done = progress(2.4, 1.5, 2.1)
        self.assertAlmostEqual(done.share, 1 / 3)
        self.assertEqual(done.direction, "down")
        self.assertEqual(done.percent, 33)

    def test_it_is_clamped(self) -> None:
        self.assertEqual(progress(10, 20, 5).share, 0.0)
        self.assertEqual(progress(10, 20, 30).share, 1.0)
        self.assertTrue(progress(10, 20, 30).done)
        # Worse than the baseline of a measure that should go down.
        self.assertEqual(progress(2.4, 1.5, 3.0).share, 0.0)
        self.assertEqual(progress(2.4, 1.5, 1.0).share, 1.0)

    def test_a_target_equal_to_the_baseline_is_all_or_nothing(self) -> None:
        self.assertEqual(progress(99.9, 99.9, 99.9), progress(99.9, 99.9, 99.9000000001))
        self.assertEqual(progress(99.9, 99.9, 99.9).share, 1.0)
        self.assertEqual(progress(99.9, 99.9, 99.5).share, 0.0)
        self.assertEqual(progress(0, 0, 0).direction, "hold")


class ConfidenceTestCase(unittest.TestCase):
    def test_strong_recent_first_hand_evidence_is_high(self) -> None:
        level = confidence(STRONG)
        self.assertEqual(level.level, HIGH)
        self.assertEqual(level.points, 3)
        self.assertEqual(level.word, "high")

    def test_two_points_are_medium(self) -> None:
        old = EvidenceFigures(
            problems=1, accounts=12, conversations=20, first_hand=14, days_since_latest=60
        )
        self.assertEqual(confidence(old).level, MEDIUM)
        self.assertIn("nothing in the last 30 days", confidence(old).reasons)

    def test_relayed_evidence_from_few_accounts_is_low(self) -> None:
        weak = EvidenceFigures(
            problems=1, accounts=2, conversations=10, first_hand=2, days_since_latest=3
        )
        self.assertEqual(confidence(weak).level, LOW)
        self.assertIn("only 20% first-hand", confidence(weak).reasons)

    def test_a_validated_assumption_adds_a_point_and_an_invalidated_one_takes_it(self) -> None:
        old = EvidenceFigures(
            problems=1, accounts=12, conversations=20, first_hand=14, days_since_latest=60
        )
        validated = EvidenceFigures(**{**old.as_dict(), "validated": 1})
        self.assertEqual(confidence(validated).level, HIGH)
        killed = EvidenceFigures(**{**STRONG.as_dict(), "invalidated": 1})
        self.assertEqual(confidence(killed).level, MEDIUM)
        self.assertIn("1 assumption invalidated", confidence(killed).reasons)

    def test_no_evidence_is_low(self) -> None:
        self.assertEqual(confidence(EvidenceFigures(problems=2)).level, LOW)


class ScoreTestCase(unittest.TestCase):
    def test_it_is_reach_times_impact_times_confidence_over_effort(self) -> None:
        result = score(STRONG, impact=2, effort=4)
        # 15 customers (12 accounts, 3 people without one) * 2 * 100% / 4.
        self.assertEqual(result.reach, 15)
        self.assertEqual(result.value, 7.5)

    def test_it_explains_itself_in_a_sentence(self) -> None:
        text = score(STRONG, impact=2, effort=4).explain()
        self.assertEqual(
            text,
            f"15 customers in 90 days {TIMES} high impact (2) {TIMES} 100% confidence (high: 70% "
            f"first-hand, 12 independent accounts, heard 4 days ago) {DIVIDED} 4 person-weeks "
            "= 7.5",
        )

    def test_without_problems_or_evidence_the_score_is_zero_and_says_why(self) -> None:
        nothing = score(EvidenceFigures(), impact=3, effort=1)
        self.assertEqual(nothing.value, 0)
        self.assertIn("No customer problem linked", nothing.explain())
        quiet = score(EvidenceFigures(problems=2), impact=3, effort=1)
        self.assertIn("over the last 90 days", quiet.explain())

    def test_effort_must_be_positive(self) -> None:
        with self.assertRaises(ValueError):
            score(STRONG, impact=1, effort=0)

    def test_figures_survive_a_round_trip_through_json(self) -> None:
        stored = {**STRONG.as_dict(), "confidence": 1.0, "unknown": 1}
        self.assertEqual(EvidenceFigures.from_dict(stored), STRONG)
