"""Feedback kinds in synthesis: praise and nothing-said stay out of the ranking, a person's
correction holds, and a problem is never quoted by praise."""

from __future__ import annotations

from datetime import timedelta

from problemspace.evidence.kinds import correct_kind
from problemspace.evidence.models import Evidence, Kind
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.problems import edits
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.problems.queries import ranked_problems
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import embedder
from problemspace.testing import BaseTestCase

EXPORT = [
    "The CSV export times out at month end.",
    "Our month-end export fails every time with a timeout.",
    "Exporting the ledger to CSV takes forever and then fails.",
    "CSV export keeps timing out when we close the books.",
    "The month-end CSV export never finishes.",
    "Export to CSV broke again at month end, it times out.",
]
PRAISE = [
    "Love the approval workflows, they are fantastic.",
    "The approval workflows are fantastic, we love them.",
    "We love the approval workflows. Fantastic work!",
    "Fantastic approval workflows, the whole team loves them.",
    "Love love love the approval workflows. Just fantastic.",
]
NOTHING = ["n/a", "no comment", "N/A.", "test", "Score: 9/10."]


class KindsInSynthesisTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.export = [self.make(text, n) for n, text in enumerate(EXPORT)]
        self.praise = [self.make(text, 10 + n) for n, text in enumerate(PRAISE)]
        self.nothing = [self.make(text, 20 + n) for n, text in enumerate(NOTHING)]

    def make(self, text: str, n: int) -> Evidence:
        return make_evidence(self.workspace, text, occurred_at=BASE_TIME - timedelta(days=n))

    def synthesize(self, full: bool = False) -> None:
        synthesize_workspace(self.workspace, embedder=embedder(), full=full)

    def ranked_evidence(self) -> set[int]:
        return {e for p in ranked_problems(self.workspace) for e in p.evidence_ids}

    def kinds(self, items: list[Evidence]) -> list[str]:
        return [Evidence.objects.get(pk=e.pk).kind for e in items]

    def test_every_item_gets_a_kind_and_nothing_said_is_set_aside(self) -> None:
        self.synthesize()
        self.assertNotIn("", Evidence.objects.values_list("kind", flat=True))
        self.assertEqual(self.kinds(self.nothing), [Kind.OTHER] * len(NOTHING))
        placed = set(ProblemEvidence.objects.values_list("evidence_id", flat=True))
        self.assertFalse(placed & {e.pk for e in self.nothing})
        run = self.workspace.runs.get()
        self.assertEqual(run.counts["set_aside"], len(NOTHING))

    def test_praise_and_nothing_said_never_enter_the_ranking(self) -> None:
        self.synthesize()
        ranked = self.ranked_evidence()
        self.assertTrue({e.pk for e in self.export} & ranked)
        self.assertFalse({e.pk for e in self.praise} & ranked)
        self.assertFalse({e.pk for e in self.nothing} & ranked)
        for problem in ranked_problems(self.workspace):
            self.assertNotIn(Kind.PRAISE, problem.kind_mix)
            self.assertNotIn(Kind.OTHER, problem.kind_mix)

    def test_praise_is_what_customers_value(self) -> None:
        self.synthesize()
        self.assertEqual(self.kinds(self.praise), [Kind.PRAISE] * len(PRAISE))
        valued = ranked_problems(self.workspace, praise=True)
        self.assertEqual(len(valued), 1)
        self.assertEqual(set(valued[0].evidence_ids), {e.pk for e in self.praise})

    def test_a_correction_survives_resynthesis(self) -> None:
        self.synthesize()
        doubted = self.export[0]
        correct_kind(self.workspace, [doubted.pk], Kind.PRAISE)
        self.synthesize(full=True)
        doubted.refresh_from_db()
        self.assertEqual(doubted.kind, Kind.PRAISE)
        self.assertTrue(doubted.kind_corrected)
        self.assertIsNone(doubted.kind_confidence)
        self.assertNotIn(doubted.pk, self.ranked_evidence())
        # And a praise item a person says is a problem is grouped as one.
        correct_kind(self.workspace, [self.nothing[0].pk], Kind.PROBLEM)
        self.synthesize()
        self.assertEqual(self.kinds(self.nothing[:1]), [Kind.PROBLEM])

    def test_a_corrected_item_leaves_its_problem_at_the_next_run(self) -> None:
        self.synthesize()
        moved = self.export[1]
        self.assertIn(moved.pk, self.ranked_evidence())
        correct_kind(self.workspace, [moved.pk], Kind.OTHER)
        self.synthesize()  # incremental
        self.assertFalse(ProblemEvidence.objects.filter(evidence=moved).exists())

    def test_a_problem_is_never_quoted_by_praise(self) -> None:
        self.synthesize()
        problem = Problem.objects.get(links__evidence=self.export[0])
        # A PM moves praise into the problem: it stays there, but is not a headline quote.
        edits.move([e.pk for e in self.praise], problem, embedder=embedder())
        problem.refresh_from_db()
        self.assertTrue(problem.quote_ids)
        self.assertFalse(set(problem.quote_ids) & {e.pk for e in self.praise})
        self.assertFalse(problem.praise)

    def test_kinds_are_decided_once_per_decider(self) -> None:
        self.synthesize()
        run = self.workspace.runs.get()
        self.assertTrue(run.counts["kinds"])
        # A kind the same decider gave stands at the next run; a new item gets one.
        Evidence.objects.filter(pk=self.export[2].pk).update(kind=Kind.QUESTION)
        late = self.make("The CSV export timed out again this morning.", 30)
        self.synthesize()
        self.assertEqual(self.kinds([self.export[2]]), [Kind.QUESTION])
        self.assertNotEqual(self.kinds([late]), [""])
        # Another decider (new weights, or the model installed since) decides everything again.
        self.workspace.runs.update(counts={"kinds": "an older decider"})
        self.synthesize()
        self.assertEqual(self.kinds([self.export[2]]), [Kind.PROBLEM])
