from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from problemspace.problems import edits
from problemspace.problems.models import Problem, RunStatus, SynthesisRun
from problemspace.problems.queries import movement, ranking_ids
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import embedder, load_bias_scenario
from problemspace.synthesis.tests.scenario import TODAY
from problemspace.testing import BaseTestCase


class MovementTestCase(BaseTestCase):
    def problem(self, title: str, score: float, **fields: object) -> Problem:
        return Problem.objects.create(workspace=self.workspace, title=title, score=score, **fields)

    def record_run(self, ranking: list[int], mode: str = "full", **fields: object) -> SynthesisRun:
        # Each run finishes after the one before, as they would one synthesis at a time.
        finished = timezone.now() + timedelta(minutes=SynthesisRun.objects.count())
        fields.setdefault("status", RunStatus.DONE)
        return SynthesisRun.objects.create(
            workspace=self.workspace,
            mode=mode,
            ranking=ranking,
            counts={"problems": len(ranking)},
            finished_at=finished,
            **fields,
        )

    def test_it_says_how_many_places_each_problem_moved(self):
        a, b, c = self.problem("A", 0.5), self.problem("B", 0.9), self.problem("C", 0.1)
        self.record_run([a.pk, b.pk])
        self.record_run([b.pk, a.pk, c.pk], mode="incremental")
        self.assertEqual(ranking_ids(self.workspace), [b.pk, a.pk, c.pk])
        self.assertEqual(movement(self.workspace), {b.pk: 1, a.pk: -1, c.pk: None})

    def test_it_is_empty_before_a_second_synthesis(self):
        a = self.problem("A", 0.5)
        self.assertEqual(movement(self.workspace), {})
        self.record_run([a.pk])
        self.assertEqual(movement(self.workspace), {})

    def test_refreshes_after_edits_and_failed_runs_are_not_syntheses(self):
        a, b = self.problem("A", 0.9), self.problem("B", 0.5)
        self.record_run([b.pk, a.pk])
        self.record_run([a.pk, b.pk])
        self.record_run([b.pk], mode="refresh")
        self.record_run([b.pk], status=RunStatus.FAILED)
        self.assertEqual(movement(self.workspace), {a.pk: 1, b.pk: -1})

    def test_a_run_from_before_rankings_were_recorded_is_not_compared(self):
        a = self.problem("A", 0.9)
        old = self.record_run([])
        old.counts = {"problems": 4}
        old.save()
        self.record_run([a.pk])
        self.assertEqual(movement(self.workspace), {})

    def test_pinned_problems_lead_and_dismissed_candidates_and_praise_are_left_out(self):
        low = self.problem("Low", 0.1, pinned=True)
        high = self.problem("High", 0.9)
        self.problem("Gone", 0.95, dismissed=True)
        self.problem("Maybe", 0.99, candidate=True)
        self.problem("Kudos", 0.99, praise=True)
        self.assertEqual(ranking_ids(self.workspace), [low.pk, high.pk])

    def test_it_stays_in_the_workspace(self):
        a = self.problem("A", 0.9)
        self.record_run([a.pk])
        self.record_run([a.pk])
        other = Problem.objects.create(workspace=self.other_workspace, title="X", score=1.0)
        self.assertEqual(movement(self.workspace), {a.pk: 0})
        self.assertEqual(movement(self.other_workspace), {})
        self.assertNotIn(other.pk, movement(self.workspace))


class RecordedRankingTestCase(BaseTestCase):
    def synthesize(self, **options):
        with mock.patch("problemspace.synthesis.pipeline.datetime") as clock:
            clock.now.return_value = TODAY
            return synthesize_workspace(self.workspace, embedder=embedder(), **options)

    def test_each_synthesis_records_its_ranking_and_the_next_compares_with_it(self):
        load_bias_scenario(self.workspace)
        first = self.synthesize()
        self.assertEqual(len(first.ranking), 2)
        self.assertEqual(first.ranking, ranking_ids(self.workspace))
        self.assertEqual(movement(self.workspace), {})
        second = self.synthesize(full=True)
        self.assertEqual(second.ranking, first.ranking)
        self.assertEqual(movement(self.workspace), dict.fromkeys(first.ranking, 0))
        # Pinning the second problem moves it up one place against the previous synthesis.
        edits.set_pinned(Problem.objects.get(pk=first.ranking[1]), True)
        self.synthesize()
        self.assertEqual(movement(self.workspace), {first.ranking[1]: 1, first.ranking[0]: -1})
