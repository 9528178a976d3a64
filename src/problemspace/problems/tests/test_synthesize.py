from datetime import timedelta
from unittest import mock

from problemspace.evidence.models import Evidence
from problemspace.problems import edits
from problemspace.problems.models import Embedding, PlacedBy, Problem, ProblemEvidence, SynthesisRun
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import embedder, load_bias_scenario
from problemspace.synthesis.tests.scenario import TODAY
from problemspace.testing import BaseTestCase


def ranking(workspace):
    return list(Problem.objects.filter(workspace=workspace, dismissed=False, candidate=False))


def problem_of(evidence_id):
    return ProblemEvidence.objects.get(evidence_id=evidence_id).problem


class SynthesizeTestCase(BaseTestCase):
    def setUp(self):
        self.loud, self.broad = load_bias_scenario(self.workspace)

    def synthesize(self, **options):
        with mock.patch("problemspace.synthesis.pipeline.datetime") as clock:
            clock.now.return_value = TODAY
            return synthesize_workspace(self.workspace, embedder=embedder(), **options)

    def test_the_broad_problem_ranks_above_the_loud_one(self):
        run = self.synthesize()
        self.assertEqual(run.status, "done")
        problems = ranking(self.workspace)
        self.assertEqual(len(problems), 2)
        loud, broad = problem_of(min(self.loud)), problem_of(min(self.broad))
        self.assertNotEqual(loud, broad)
        # Counting items would put the loud problem first: it has twice the evidence.
        self.assertGreater(loud.links.count(), broad.links.count())
        self.assertEqual(problems[0], broad)
        self.assertGreater(broad.score, loud.score)
        self.assertIn("15 accounts", broad.explanation)
        self.assertIn("0% first-hand", loud.explanation)
        self.assertEqual(len(broad.quote_ids), 3)
        self.assertTrue(broad.title)

    def test_nothing_is_embedded_twice(self):
        self.synthesize()
        cached = Embedding.objects.count()
        # 9 distinct texts in the scenario.
        self.assertEqual(cached, 9)
        run = self.synthesize(full=True)
        self.assertEqual(run.counts["embedded"], 0)
        self.assertEqual(Embedding.objects.count(), cached)

    def test_new_evidence_joins_its_problem_without_reclustering(self):
        self.synthesize()
        broad = problem_of(min(self.broad))
        template = Evidence.objects.get(pk=min(self.broad))
        new = Evidence.objects.create(
            workspace=self.workspace,
            text="Large ledger CSV exports time out for us too",
            occurred_at=TODAY - timedelta(days=1),
            account=template.account,
        )
        before = {p.pk: p.links.count() for p in ranking(self.workspace)}
        run = self.synthesize()
        self.assertEqual(run.mode, "incremental")
        self.assertEqual(problem_of(new.pk), broad)
        self.assertEqual(broad.links.count(), before[broad.pk] + 1)

    def test_the_pms_edits_survive_a_full_synthesis(self):
        self.synthesize()
        loud, broad = problem_of(min(self.loud)), problem_of(min(self.broad))
        edits.rename(broad, "Exports time out on big ledgers")
        edits.set_pinned(loud, True)
        moved = max(self.broad)
        edits.move([moved], loud, embedder=embedder())
        self.synthesize(full=True)
        broad.refresh_from_db()
        loud.refresh_from_db()
        self.assertEqual(broad.title, "Exports time out on big ledgers")
        self.assertTrue(loud.pinned)
        self.assertEqual(problem_of(moved), loud)
        self.assertEqual(ProblemEvidence.objects.get(evidence_id=moved).placed_by, PlacedBy.PM)

    def test_merge_and_split_survive_a_full_synthesis(self):
        self.synthesize()
        loud, broad = problem_of(min(self.loud)), problem_of(min(self.broad))
        merged = edits.merge(broad, [loud], embedder=embedder())
        self.assertFalse(Problem.objects.filter(pk=loud.pk).exists())
        self.synthesize(full=True)
        self.assertEqual(len(ranking(self.workspace)), 1)
        self.assertEqual(merged.links.count(), 60)
        part = edits.split(merged, sorted(self.loud)[:10], "SSO for renewals", embedder=embedder())
        self.synthesize(full=True)
        self.assertEqual(part.links.count(), 10)
        part.refresh_from_db()
        self.assertEqual(part.title, "SSO for renewals")

    def test_dismissed_problems_stay_dismissed_and_keep_their_evidence(self):
        self.synthesize()
        loud = problem_of(min(self.loud))
        edits.set_dismissed(loud, True)
        self.synthesize(full=True)
        loud.refresh_from_db()
        self.assertTrue(loud.dismissed)
        self.assertEqual(loud.links.count(), 40)
        self.assertEqual(len(ranking(self.workspace)), 1)

    def test_an_interrupted_synthesis_leaves_the_previous_results(self):
        self.synthesize()
        before = sorted(ProblemEvidence.objects.values_list("evidence_id", "problem_id"))
        titles = sorted(Problem.objects.values_list("title", flat=True))
        with (
            mock.patch("problemspace.problems.services.describe", side_effect=KeyboardInterrupt),
            self.assertRaises(KeyboardInterrupt),
        ):
            self.synthesize(full=True)
        self.assertEqual(
            sorted(ProblemEvidence.objects.values_list("evidence_id", "problem_id")), before
        )
        self.assertEqual(sorted(Problem.objects.values_list("title", flat=True)), titles)
        self.assertEqual(
            SynthesisRun.objects.get(mode="full", status="failed").error, "KeyboardInterrupt: "
        )


class EdgeCaseTestCase(BaseTestCase):
    def run_with(self, texts):
        for n, text in enumerate(texts):
            Evidence.objects.create(
                workspace=self.workspace, text=text, occurred_at=TODAY - timedelta(days=n)
            )
        return synthesize_workspace(self.workspace, embedder=embedder())

    def test_an_empty_workspace(self):
        run = self.run_with([])
        self.assertEqual(run.status, "done")
        self.assertIn("no evidence yet", run.notes[0])

    def test_one_item(self):
        run = self.run_with(["Bank feeds drop every Monday"])
        self.assertEqual(run.counts["unassigned"], 1)
        self.assertIn("at least three", run.notes[0])

    def test_identical_items_make_one_problem(self):
        run = self.run_with(["Bank feeds drop every Monday"] * 6)
        self.assertEqual(run.counts["problems"], 1)
        problem = Problem.objects.get(workspace=self.workspace)
        # Without a customer to tell them apart they are copies: quoted once.
        self.assertEqual(len(problem.quote_ids), 1)

    def test_odd_texts_do_not_break_it(self):
        texts = [
            "🙂🙂🙂",
            "🔥",
            "…",
            "word " * 4000,
            "Les exports CSV échouent toujours",
            "导出失败",
        ]
        run = self.run_with(texts * 2)
        self.assertEqual(run.status, "done")
        self.assertEqual(run.counts["items"], 12)


class GranularityTestCase(BaseTestCase):
    def setUp(self):
        load_bias_scenario(self.workspace)

    def synthesize(self, **options):
        return synthesize_workspace(self.workspace, embedder=embedder(), **options)

    def test_later_runs_keep_the_granularity_and_a_new_one_recuts_everything(self):
        first = self.synthesize()
        self.assertEqual((first.mode, first.granularity), ("full", "standard"))
        again = self.synthesize()
        self.assertEqual((again.mode, again.granularity), ("incremental", "standard"))
        fine = self.synthesize(granularity="fine")
        self.assertEqual((fine.mode, fine.granularity), ("full", "fine"))
        kept = self.synthesize()
        self.assertEqual((kept.mode, kept.granularity), ("incremental", "fine"))

    def test_an_unknown_granularity_is_refused_before_anything_runs(self):
        with self.assertRaisesRegex(ValueError, "broad, standard, detailed, fine"):
            self.synthesize(granularity="medium")
        self.assertFalse(SynthesisRun.objects.exists())
