from __future__ import annotations

from datetime import UTC, date, datetime
from unittest import mock

from django.test import TestCase, override_settings

from problemspace.demo.build import build_demo
from problemspace.problems.models import Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.roadmap import queries
from problemspace.roadmap.demo import GOALS, INITIATIVES
from problemspace.roadmap.models import Goal, Initiative
from problemspace.workspaces.models import Workspace

TODAY = date(2026, 11, 23)
# Scores count the evidence of the last 90 days before now: the demo's now, not the clock's.
DEMO_NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot(workspace: Workspace) -> list[tuple[object, ...]]:
    return [
        (
            i.title,
            i.horizon,
            i.status,
            i.impact,
            i.effort,
            i.score_override,
            i.created_at,
            sorted(str(x) for x in i.evidence.values_list("external_id", flat=True)),
            sorted(g.objective for g in i.goals.all()),
            list(i.moves.values_list("to_horizon", "to_status", "reason", "moved_at")),
        )
        for i in Initiative.objects.filter(workspace=workspace).order_by("title")
    ] + [
        (g.objective, g.status, g.due_on, list(g.key_results.values_list("metric", "current")))
        for g in Goal.objects.filter(workspace=workspace).order_by("objective")
    ]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoRoadmapTestCase(TestCase):
    workspace: Workspace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = build_demo(1729, today=TODAY)

    def test_it_builds_goals_and_initiatives_across_the_horizons(self) -> None:
        self.assertEqual(Goal.objects.filter(workspace=self.workspace).count(), len(GOALS))
        initiatives = Initiative.objects.filter(workspace=self.workspace)
        self.assertEqual(initiatives.count(), len(INITIATIVES))
        columns = {c.horizon: len(c.initiatives) for c in queries.board(self.workspace)}
        self.assertTrue(all(columns.values()), columns)
        self.assertTrue(all(i.evidence.exists() for i in initiatives))
        rows = queries.goals_with_initiatives(self.workspace)
        self.assertEqual(
            [r.goal.objective for r in rows if not r.initiatives],
            ["Be audit-ready for enterprise customers"],
        )
        self.assertEqual(
            [r.goal.objective for r in rows if not r.measurable],
            ["Be audit-ready for enterprise customers"],
        )
        self.assertTrue(initiatives.filter(score_override__isnull=False).exists())

    def test_the_moves_of_the_last_month_have_reasons(self) -> None:
        moves = list(
            queries.moves_in_period(
                self.workspace,
                datetime(2026, 10, 24, tzinfo=UTC),
                datetime(2026, 11, 24, tzinfo=UTC),
            )
        )
        self.assertGreaterEqual(len(moves), 4)
        self.assertTrue(all(m.reason for m in moves))

    def test_a_rebuild_is_the_same(self) -> None:
        before = snapshot(self.workspace)
        rebuilt = build_demo(1729, today=TODAY)
        self.assertEqual(snapshot(rebuilt), before)

    def test_a_finished_synthesis_ties_initiatives_to_the_problems_holding_their_quotes(
        self,
    ) -> None:
        phone = Initiative.objects.get(workspace=self.workspace, title__contains="phone")
        problem = Problem.objects.create(workspace=self.workspace, title="Approving on the road")
        decoy = Problem.objects.create(workspace=self.workspace, title="Something else")
        cited = list(phone.evidence.order_by("initiativeevidence__pk"))  # as cited
        ProblemEvidence.objects.bulk_create(
            [ProblemEvidence(problem=problem, evidence=e) for e in cited[1:]]
            + [ProblemEvidence(problem=decoy, evidence=cited[0])]
        )
        run = SynthesisRun.objects.create(workspace=self.workspace, mode="full")
        self.assertFalse(phone.problems.exists())  # not while it runs
        with mock.patch("django.utils.timezone.now", return_value=DEMO_NOW):
            run.finish(RunStatus.DONE)
        self.assertEqual(list(phone.problems.all()), [problem])
        # It now cites only what that problem holds: the first three, in the order cited.
        self.assertEqual(list(phone.evidence.order_by("initiativeevidence__pk")), cited[1:4])
        phone.refresh_from_db()
        self.assertGreater(phone.figures["accounts"], 0)
        # A later synthesis leaves the links alone.
        phone.problems.set([decoy])
        SynthesisRun.objects.create(workspace=self.workspace, mode="full").finish(RunStatus.DONE)
        self.assertEqual(list(phone.problems.all()), [decoy])


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoSynthesisTestCase(TestCase):
    def test_a_real_synthesis_of_the_demo_ties_every_initiative_to_a_problem(self) -> None:
        from problemspace.problems.services import synthesize_workspace
        from problemspace.synthesis.embedding import HashingEmbedder

        workspace = build_demo(1729, today=TODAY)
        with (
            mock.patch(
                "problemspace.problems.services.default_embedder",
                return_value=(HashingEmbedder(), []),
            ),
            mock.patch("django.utils.timezone.now", return_value=DEMO_NOW),
        ):
            synthesize_workspace(workspace)
        initiatives = Initiative.objects.filter(workspace=workspace)
        self.assertEqual(
            initiatives.filter(problems__isnull=False).distinct().count(), initiatives.count()
        )
        scored = [i for i in initiatives if i.score > 0]
        self.assertGreaterEqual(
            len(scored), len(INITIATIVES) - 1, [i.explanation for i in initiatives]
        )
