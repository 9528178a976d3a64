"""Finding within a problem's evidence, and splitting off or moving every match, not only the
page of it on screen."""

from __future__ import annotations

from django.test import override_settings

from problemspace.evidence.tests.factories import make_evidence
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.testing import BaseTestCase


@override_settings(INBOX_PAGE_SIZE=5)
class FindWithinTestCase(BaseTestCase):
    problem: Problem
    other: Problem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ws = cls.workspace
        cls.problem = Problem.objects.create(workspace=ws, title="Invoices", score=0.9)
        cls.other = Problem.objects.create(workspace=ws, title="Card payments", score=0.5)
        said = [f"The card reconciliation is off again, case {n}." for n in range(12)]
        said += [f"Invoice scanning misreads totals, case {n}." for n in range(8)]
        for text in said:
            ProblemEvidence.objects.create(
                problem=cls.problem, evidence=make_evidence(ws, text=text)
            )
        # Elsewhere, the same words: never found from this problem.
        make_evidence(ws, text="The card reconciliation is off here too.")

    def url(self) -> str:
        return f"/w/acme/problems/{self.problem.pk}/"

    def test_it_finds_within_the_problem_and_pages_through_the_matches(self) -> None:
        self.client.force_login(self.vic)
        page = self.client.get(self.url(), {"q": "reconciliation"})
        self.assertContains(page, "12 items of this problem match “reconciliation”.")
        self.assertEqual(len(page.context["page"].items), 5)
        self.assertNotContains(page, "misreads totals")
        self.assertContains(page, "&amp;q=reconciliation")  # the next page keeps the search
        # Nothing to look for is said, not a crash.
        self.assertContains(self.client.get(self.url(), {"q": "!!!"}), 'role="alert"')

    def test_an_editor_moves_every_match_not_only_the_page(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(self.url(), {"q": "reconciliation"})
        self.assertContains(page, "Or with all 12 items that match “reconciliation”")
        moved = self.client.post(
            f"{self.url()}evidence/",
            {
                "action": "move",
                "target": self.other.pk,
                "q": "reconciliation",
                "all_matching": "on",
            },
        )
        self.assertEqual(moved.status_code, 302)
        in_other = ProblemEvidence.objects.filter(problem=self.other)
        self.assertEqual(in_other.count(), 12)
        self.assertTrue(
            all("reconciliation" in t for t in in_other.values_list("evidence__text", flat=True))
        )
        self.assertEqual(ProblemEvidence.objects.filter(problem=self.problem).count(), 8)

    def test_an_editor_splits_every_match_off(self) -> None:
        self.client.force_login(self.bob)
        split = self.client.post(
            f"{self.url()}evidence/",
            {
                "action": "split",
                "title": "Card reconciliation",
                "q": "reconciliation",
                "all_matching": "on",
            },
        )
        self.assertEqual(split.status_code, 302)
        new = Problem.objects.get(workspace=self.workspace, title="Card reconciliation")
        self.assertEqual(ProblemEvidence.objects.filter(problem=new).count(), 12)

    def test_without_all_matching_only_the_ticked_evidence_moves(self) -> None:
        self.client.force_login(self.bob)
        ticked = ProblemEvidence.objects.filter(problem=self.problem).values_list(
            "evidence_id", flat=True
        )[0]
        refused = self.client.post(
            f"{self.url()}evidence/",
            {"action": "move", "target": self.other.pk, "q": "reconciliation"},
        )
        self.assertContains(refused, "Tick the evidence to move first.", status_code=422)
        self.client.post(
            f"{self.url()}evidence/",
            {"action": "move", "target": self.other.pk, "evidence": [ticked]},
        )
        self.assertEqual(ProblemEvidence.objects.filter(problem=self.other).count(), 1)
