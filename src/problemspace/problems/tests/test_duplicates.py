"""Likely duplicate problems: suggested from their centres, shown with the other's words, and
merged in one step into the one higher in the ranking."""

from __future__ import annotations

import numpy as np

from problemspace.evidence.tests.factories import make_evidence
from problemspace.problems.duplicates import DUPLICATE_SIMILARITY, likely_duplicates
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.testing import BaseTestCase


def centre(*values: float) -> bytes:
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(values)] = values
    return (vector / np.linalg.norm(vector)).astype(np.float32).tobytes()


class DuplicatesTestCase(BaseTestCase):
    phone: Problem
    mobile: Problem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ws = cls.workspace
        cls.phone = Problem.objects.create(
            workspace=ws,
            title="Approvers can't approve from their phone",
            score=0.8,
            centroid=centre(1.0, 0.0),
        )
        said = make_evidence(ws, text="A proper mobile view, so I can approve on site.")
        cls.mobile = Problem.objects.create(
            workspace=ws,
            title="A proper mobile view",
            score=0.5,
            centroid=centre(1.0, 0.3),
            quote_ids=[said.pk],
        )
        ProblemEvidence.objects.create(problem=cls.mobile, evidence=said)
        # Not alike enough (cosine under 0.5), and alike ones the PM put aside or praise.
        Problem.objects.create(workspace=ws, title="Exports", score=0.7, centroid=centre(0.2, 1.0))
        Problem.objects.create(
            workspace=ws, title="Dismissed", score=0.1, dismissed=True, centroid=centre(1.0)
        )
        Problem.objects.create(
            workspace=ws, title="Praise", score=0.9, praise=True, centroid=centre(1.0)
        )
        Problem.objects.create(
            workspace=cls.other_workspace, title="Elsewhere", score=0.9, centroid=centre(1.0)
        )

    def test_alike_problems_of_the_same_side_are_suggested(self) -> None:
        [found] = likely_duplicates(self.phone)
        self.assertEqual(found.other, self.mobile)
        self.assertGreaterEqual(found.similarity, DUPLICATE_SIMILARITY)
        self.assertEqual(found.keeps, self.phone)
        self.assertEqual(found.folds, self.mobile)
        assert found.quote is not None
        self.assertIn("mobile view", found.quote.text)
        # Seen from the other side, the same pair; never a dismissed problem's.
        [back] = likely_duplicates(self.mobile)
        self.assertEqual((back.keeps, back.folds), (self.phone, self.mobile))
        dismissed = Problem.objects.get(title="Dismissed")
        self.assertEqual(likely_duplicates(dismissed), [])

    def test_a_problem_without_a_centre_has_no_suggestion(self) -> None:
        alone = Problem.objects.create(workspace=self.workspace, title="Made by hand")
        self.assertEqual(likely_duplicates(alone), [])

    def test_the_page_suggests_it_and_an_editor_merges_in_one_step(self) -> None:
        self.client.force_login(self.vic)
        page = self.client.get(f"/w/acme/problems/{self.mobile.pk}/")
        self.assertContains(page, "Likely the same problem")
        self.assertContains(page, "Approvers can&#x27;t approve from their phone")
        self.assertNotContains(page, "Merge this problem into it")  # a viewer cannot
        self.client.force_login(self.bob)
        page = self.client.get(f"/w/acme/problems/{self.mobile.pk}/")
        self.assertContains(page, "Merge this problem into it")
        self.assertContains(page, 'name="confirm" value="1"')  # one step: the button says it
        merged = self.client.post(
            f"/w/acme/problems/{self.mobile.pk}/merge/", {"into": self.phone.pk, "confirm": "1"}
        )
        self.assertRedirects(
            merged, f"/w/acme/problems/{self.phone.pk}/", fetch_redirect_response=False
        )
        self.assertFalse(Problem.objects.filter(pk=self.mobile.pk).exists())
        self.assertEqual(
            list(
                ProblemEvidence.objects.filter(problem=self.phone).values_list(
                    "evidence__text", flat=True
                )
            ),
            ["A proper mobile view, so I can approve on site."],
        )
