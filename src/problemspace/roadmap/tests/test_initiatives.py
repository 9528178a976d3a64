"""Initiatives: their score from the linked problems' evidence, the score set by hand (never
without a reason), moves with their history and reasons, and the webhook announcement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from problemspace.hypotheses import services as hypothesis_services
from problemspace.hypotheses.tests.factories import make_hypothesis
from problemspace.problems.models import RunStatus, SynthesisRun
from problemspace.roadmap import queries, services
from problemspace.roadmap.models import Initiative, Move
from problemspace.roadmap.tests.factories import make_initiative, make_problem_with_evidence
from problemspace.testing import BaseTestCase

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


class ScoreTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.recent = make_problem_with_evidence(
            self.workspace, "Approvals stall", accounts=6, at=NOW - timedelta(days=3), per_account=2
        )
        self.old = make_problem_with_evidence(
            self.workspace, "Old pain", accounts=4, at=NOW - timedelta(days=200)
        )

    def test_reach_and_confidence_come_from_the_linked_problems_evidence(self) -> None:
        initiative = make_initiative(
            self.bob_member, problem_ids=[self.recent.pk, self.old.pk], impact=2, effort=4, now=NOW
        )
        # Six accounts in the last 90 days (the old problem's four are outside the window);
        # first-hand, more than five accounts, heard three days ago: 100%.
        self.assertEqual(initiative.figures["accounts"], 6)
        self.assertEqual(initiative.figures["conversations"], 12)
        self.assertEqual(initiative.score, 3.0)  # 6 * 2 * 1.0 / 4
        self.assertIn("6 customers in 90 days", initiative.explanation)
        self.assertIn("100% confidence (high", initiative.explanation)

    def test_an_account_in_two_linked_problems_is_one_customer(self) -> None:
        other = make_problem_with_evidence(
            self.workspace, "Same people", accounts=0, at=NOW - timedelta(days=1)
        )
        from problemspace.evidence.models import Evidence
        from problemspace.problems.models import ProblemEvidence

        for link in self.recent.links.select_related("evidence")[:3]:
            copy = Evidence.objects.create(
                workspace=self.workspace,
                text="Again",
                occurred_at=NOW - timedelta(days=1),
                account=link.evidence.account,
            )
            ProblemEvidence.objects.create(problem=other, evidence=copy)
        initiative = make_initiative(
            self.bob_member, problem_ids=[self.recent.pk, other.pk], now=NOW
        )
        self.assertEqual(initiative.figures["accounts"], 6)

    def test_a_validated_assumption_about_a_linked_problem_raises_confidence(self) -> None:
        relayed = make_problem_with_evidence(
            self.workspace, "Relayed", accounts=6, at=NOW - timedelta(days=60), first_hand=False
        )
        initiative = make_initiative(self.bob_member, problem_ids=[relayed.pk], now=NOW)
        self.assertEqual(initiative.figures["confidence"], 0.5)  # one point: accounts
        hypothesis = make_hypothesis(self.bob_member, problem_ids=[relayed.pk])
        hypothesis_services.move(self.bob_member, hypothesis, "testing")
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            hypothesis_services.move(self.bob_member, hypothesis, "validated")
        initiative.refresh_from_db()
        self.assertEqual(initiative.figures["validated"], 1)
        self.assertEqual(initiative.figures["confidence"], 0.8)

    def test_a_finished_synthesis_counts_the_scores_again(self) -> None:
        initiative = make_initiative(self.bob_member, problem_ids=[self.recent.pk], now=NOW)
        Initiative.objects.filter(pk=initiative.pk).update(score=0, figures={})
        run = SynthesisRun.objects.create(workspace=self.workspace, mode="full")
        initiative.refresh_from_db()
        self.assertEqual(initiative.score, 0)  # not while it runs
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            run.finish(RunStatus.DONE)
        initiative.refresh_from_db()
        self.assertEqual(initiative.figures["accounts"], 6)

    def test_without_a_problem_the_score_is_zero_and_says_why(self) -> None:
        initiative = make_initiative(self.bob_member)
        self.assertEqual(initiative.score, 0)
        self.assertIn("No customer problem linked", initiative.explanation)

    def test_a_score_set_by_hand_needs_a_reason(self) -> None:
        with self.assertRaises(services.RoadmapError) as caught:
            make_initiative(self.bob_member, score_override=50, override_reason="  ")
        self.assertEqual(caught.exception.field, "override_reason")
        self.assertFalse(Initiative.objects.exists())
        initiative = make_initiative(self.bob_member, problem_ids=[self.recent.pk], now=NOW)
        with self.assertRaises(services.RoadmapError):
            services.update_initiative(self.bob_member, initiative, {"score_override": 50})
        initiative.refresh_from_db()
        self.assertIsNone(initiative.score_override)
        services.update_initiative(
            self.bob_member,
            initiative,
            {"score_override": "50", "override_reason": "Renewals depend on it."},
        )
        self.assertEqual((initiative.score_override, initiative.effective_score), (50, 50))
        self.assertEqual(initiative.score, 3.0)  # the computed one is kept alongside
        services.update_initiative(self.bob_member, initiative, {"score_override": None})
        self.assertEqual((initiative.score_override, initiative.override_reason), (None, ""))

    def test_the_list_ranks_by_the_override_when_there_is_one(self) -> None:
        high = make_initiative(self.bob_member, "Computed high", problem_ids=[self.recent.pk])
        hand = make_initiative(
            self.bob_member, "Set by hand", score_override=99, override_reason="CEO bet"
        )
        low = make_initiative(self.bob_member, "Nothing behind it")
        self.assertEqual(list(queries.ranked(self.workspace)), [hand, high, low])

    def test_bad_input_names_the_field_and_writes_nothing(self) -> None:
        for fields, field in (
            ({"title": ""}, "title"),
            ({"impact": 5}, "impact"),
            ({"impact": True}, "impact"),
            ({"effort": 0}, "effort"),
            ({"effort": "a lot"}, "effort"),
            ({"external_url": "javascript:alert(1)"}, "external_url"),
            ({"horizon": "someday"}, "horizon"),
            ({"problem_ids": [10**9]}, "problems"),
            ({"goal_ids": ["x"]}, "goals"),
        ):
            values: dict[str, Any] = {"title": "Approve from a phone", **fields}
            with self.subTest(field=field), self.assertRaises(services.RoadmapError) as caught:
                make_initiative(self.bob_member, **values)
            self.assertEqual(caught.exception.field, field)
        self.assertFalse(Initiative.objects.exists())
        self.assertFalse(Move.objects.exists())

    def test_another_workspaces_problem_cannot_be_linked(self) -> None:
        theirs = make_problem_with_evidence(self.other_workspace, "Theirs", accounts=1, at=NOW)
        with self.assertRaises(services.RoadmapError) as caught:
            make_initiative(self.bob_member, problem_ids=[theirs.pk])
        self.assertEqual(caught.exception.field, "problems")


class MovesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.initiative = make_initiative(
            self.bob_member, reason="Approvers ask for it", now=NOW - timedelta(days=10)
        )

    def test_moves_are_kept_with_who_when_and_why(self) -> None:
        services.move(
            self.bob_member,
            self.initiative,
            horizon="next",
            status="planned",
            reason="Validated by interviews",
            now=NOW - timedelta(days=5),
        )
        services.move(
            self.bob_member, self.initiative, horizon="now", status="in_progress", now=NOW
        )
        self.assertEqual((self.initiative.horizon, self.initiative.status), ("now", "in_progress"))
        history = list(self.initiative.moves.order_by("moved_at"))
        self.assertEqual(
            [m.describe() for m in history],
            [
                "added to Later (proposed)",
                "Later → Next, proposed → planned",
                "Next → Now, planned → in progress",
            ],
        )
        self.assertEqual(history[0].reason, "Approvers ask for it")
        self.assertEqual(history[1].reason, "Validated by interviews")
        self.assertEqual(history[1].moved_by, self.bob_member)

    def test_moves_in_a_period_are_what_briefs_report(self) -> None:
        services.move(
            self.bob_member, self.initiative, horizon="next", reason="Why", now=NOW - timedelta(2)
        )
        moves = list(queries.moves_in_period(self.workspace, NOW - timedelta(days=7), NOW))
        self.assertEqual([(m.to_horizon, m.reason) for m in moves], [("next", "Why")])
        self.assertEqual(
            list(queries.moves_in_period(self.other_workspace, NOW - timedelta(30), NOW)), []
        )

    def test_a_move_to_where_it_already_is_is_refused(self) -> None:
        with self.assertRaises(services.RoadmapError) as caught:
            services.move(self.bob_member, self.initiative, horizon="later")
        self.assertIn("already in Later", str(caught.exception))
        self.assertEqual(self.initiative.moves.count(), 1)

    def test_a_bad_status_is_refused(self) -> None:
        with self.assertRaises(services.RoadmapError) as caught:
            services.move(self.bob_member, self.initiative, status="done")
        self.assertEqual(caught.exception.field, "status")

    def test_a_move_is_announced_to_webhooks_once_committed(self) -> None:
        with (
            mock.patch("problemspace.integrations.events.emit") as emit,
            self.captureOnCommitCallbacks(execute=True),
        ):
            services.move(self.bob_member, self.initiative, status="shipped", reason="Released 4.2")
        emit.assert_called_once()
        workspace_id, event, payload = emit.call_args.args
        self.assertEqual((workspace_id, event), (self.workspace.pk, "initiative.moved"))
        self.assertEqual(payload["from"], {"horizon": "later", "status": "proposed"})
        self.assertEqual(payload["to"], {"horizon": "later", "status": "shipped"})
        self.assertEqual(payload["reason"], "Released 4.2")
        self.assertEqual(
            payload["initiative"]["url"], f"/w/acme/roadmap/initiatives/{self.initiative.pk}/"
        )

    def test_a_refused_move_announces_nothing(self) -> None:
        with (
            mock.patch("problemspace.integrations.events.emit") as emit,
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(services.RoadmapError),
        ):
            services.move(self.bob_member, self.initiative, horizon="later")
        emit.assert_not_called()
