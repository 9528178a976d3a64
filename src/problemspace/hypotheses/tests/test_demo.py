from __future__ import annotations

from datetime import UTC, date, datetime

from django.test import TestCase, override_settings

from problemspace.demo.build import build_demo
from problemspace.hypotheses.demo import ASSUMPTIONS
from problemspace.hypotheses.models import Hypothesis, LearningCard, Status
from problemspace.hypotheses.queries import status_changes
from problemspace.problems.models import Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.workspaces.models import Workspace

TODAY = date(2026, 11, 23)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot(workspace: Workspace) -> list[tuple[object, ...]]:
    return [
        (
            h.statement,
            h.kind,
            h.importance,
            h.evidence_strength,
            h.status,
            h.owner.user.username if h.owner else None,
            h.created_at,
            sorted(str(x) for x in h.evidence.values_list("external_id", flat=True)),
            list(h.changes.values_list("from_status", "to_status", "changed_at")),
        )
        for h in Hypothesis.objects.filter(workspace=workspace).order_by("statement")
    ]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoAssumptionsTestCase(TestCase):
    workspace: Workspace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = build_demo(1729, today=TODAY)

    def test_it_builds_the_assumptions_and_two_experiments(self) -> None:
        hypotheses = Hypothesis.objects.filter(workspace=self.workspace)
        self.assertEqual(hypotheses.count(), len(ASSUMPTIONS))
        statuses = sorted(hypotheses.values_list("status", flat=True))
        self.assertEqual(statuses.count(Status.VALIDATED), 1)
        self.assertEqual(statuses.count(Status.INVALIDATED), 1)
        self.assertEqual(statuses.count(Status.TESTING), 1)
        cards = LearningCard.objects.filter(experiment__hypothesis__workspace=self.workspace)
        self.assertEqual(
            sorted(cards.values_list("outcome", flat=True)), ["invalidated", "validated"]
        )
        self.assertTrue(all(card.evidence.exists() for card in cards))
        self.assertTrue(all(h.evidence.exists() for h in hypotheses))

    def test_the_decisions_fall_in_the_last_month(self) -> None:
        month = status_changes(
            self.workspace,
            datetime(2026, 10, 23, tzinfo=UTC),
            datetime(2026, 11, 24, tzinfo=UTC),
        )
        self.assertEqual(sorted(c.to_status for c in month), ["invalidated", "validated"])

    def test_a_rebuild_is_the_same(self) -> None:
        before = snapshot(self.workspace)
        rebuilt = build_demo(1729, today=TODAY)
        self.assertEqual(snapshot(rebuilt), before)

    def test_a_finished_synthesis_ties_assumptions_to_the_problems_holding_their_evidence(
        self,
    ) -> None:
        sap = Hypothesis.objects.get(workspace=self.workspace, statement__contains="SAP")
        problem = Problem.objects.create(workspace=self.workspace, title="No SAP connector")
        decoy = Problem.objects.create(workspace=self.workspace, title="Something else")
        cited = list(sap.evidence.all())
        ProblemEvidence.objects.bulk_create(
            [ProblemEvidence(problem=problem, evidence=e) for e in cited[1:]]
            + [ProblemEvidence(problem=decoy, evidence=cited[0])]
        )
        run = SynthesisRun.objects.create(workspace=self.workspace, mode="full")
        self.assertFalse(sap.problems.exists())  # not while it runs
        run.finish(RunStatus.DONE)
        self.assertEqual(list(sap.problems.all()), [problem])
        # A later synthesis leaves the links alone.
        sap.problems.set([decoy])
        SynthesisRun.objects.create(workspace=self.workspace, mode="full").finish(RunStatus.DONE)
        self.assertEqual(list(sap.problems.all()), [decoy])


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoSynthesisTestCase(TestCase):
    def test_a_real_synthesis_of_the_demo_ties_its_assumptions_to_problems(self) -> None:
        from unittest import mock

        from problemspace.problems.services import synthesize_workspace
        from problemspace.synthesis.embedding import HashingEmbedder

        workspace = build_demo(1729, today=TODAY)
        with mock.patch(
            "problemspace.problems.services.default_embedder",
            return_value=(HashingEmbedder(), []),
        ):
            synthesize_workspace(workspace)
        hypotheses = Hypothesis.objects.filter(workspace=workspace)
        linked = hypotheses.filter(problems__isnull=False).distinct()
        self.assertEqual(linked.count(), hypotheses.count())
        for hypothesis in linked:
            problem = hypothesis.problems.get()
            held = ProblemEvidence.objects.filter(
                problem=problem, evidence__in=hypothesis.evidence.all()
            )
            self.assertTrue(held.exists())
