"""Search by words and meaning together, with the real model where it is installed (CI)."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from problemspace.evidence.models import Evidence
from problemspace.evidence.search import SearchError
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.problems import search as problem_search
from problemspace.problems.embeddings import embedding_key
from problemspace.problems.models import Embedding, ProblemEvidence
from problemspace.problems.search import (
    MODEL_GONE_NOTE,
    NO_SYNTHESIS_NOTE,
    search_evidence,
    semantic_search,
)
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import embedder
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.testing import BaseTestCase


class SearchEvidenceTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        make = make_evidence
        self.export = make(self.workspace, "The CSV export times out at month end.")
        # Says the same as "export" without the word: only meaning can find it.
        self.get_data_out = make(
            self.workspace, "We cannot get our data out of the system into spreadsheets."
        )
        self.export_netsuite = make(self.workspace, "Exporting to NetSuite drops the tax lines.")
        self.sso = make(self.workspace, "Single sign-on with Okta fails every morning.")
        self.billing = make(self.workspace, "The invoice shows the wrong VAT number.")
        make(self.other_workspace, "Our CSV export is slow as well.")
        self.model = embedder()

    def synthesize(self) -> None:
        synthesize_workspace(self.workspace, embedder=self.model)

    def find(self, query: str, mode: str = "both", limit: int = 20) -> list[int]:
        result = search_evidence(
            self.workspace, query, mode=mode, limit=limit, load_embedder=lambda _: self.model
        )
        return [found.evidence.pk for found in result.results]

    def test_before_synthesis_it_searches_by_words_and_says_so(self) -> None:
        result = search_evidence(self.workspace, "export", load_embedder=lambda _: self.model)
        ids = [found.evidence.pk for found in result.results]
        self.assertCountEqual(ids, [self.export.pk, self.export_netsuite.pk])
        self.assertEqual(result.notes, [NO_SYNTHESIS_NOTE])
        self.assertTrue(all(found.matched_by == "words" for found in result.results))

    def test_meaning_finds_what_the_words_miss_and_both_rank_first(self) -> None:
        self.synthesize()
        if isinstance(self.model, HashingEmbedder):
            self.skipTest("paraphrases need the sentence-embedding model (CI installs it)")
        result = search_evidence(
            self.workspace, "export data", load_embedder=lambda _: self.model, limit=3
        )
        found = {item.evidence.pk: item for item in result.results}
        self.assertEqual(result.notes, [])
        # Words alone find nothing for "export data": no text has both.
        self.assertEqual(self.find("export data", mode="words"), [])
        self.assertIn(self.get_data_out.pk, found)
        self.assertEqual(found[self.get_data_out.pk].matched_by, "meaning")
        self.assertNotIn(self.billing.pk, found)
        self.assertNotIn(self.sso.pk, found)

    def test_fusion_puts_what_both_rank_high_first(self) -> None:
        self.synthesize()
        result = search_evidence(
            self.workspace, "CSV export", load_embedder=lambda _: self.model, limit=5
        )
        first = result.results[0]
        self.assertEqual(first.evidence.pk, self.export.pk)
        self.assertEqual(first.matched_by, "words and meaning")
        self.assertIsNotNone(first.keyword_score)
        self.assertGreater(first.similarity or 0, 0.3)

    def test_left_out_words_are_left_out_of_meaning_results_too(self) -> None:
        self.synthesize()
        ids = self.find("export -netsuite", limit=10)
        self.assertIn(self.export.pk, ids)
        self.assertNotIn(self.export_netsuite.pk, ids)
        # Without the exclusion, meaning alone would have found it.
        self.assertIn(self.export_netsuite.pk, self.find("export", mode="meaning", limit=10))

    def test_it_never_returns_another_workspaces_evidence(self) -> None:
        self.synthesize()
        synthesize_workspace(self.other_workspace, embedder=self.model)
        ids = self.find("CSV export slow", limit=50)
        self.assertTrue(ids)
        self.assertEqual(
            set(ids)
            - {self.export.pk, self.get_data_out.pk, self.export_netsuite.pk}
            - {self.sso.pk, self.billing.pk},
            set(),
        )

    def test_a_model_no_longer_installed_falls_back_to_words_with_a_note(self) -> None:
        self.synthesize()
        result = search_evidence(self.workspace, "export", load_embedder=lambda _: None)
        self.assertEqual(result.notes, [MODEL_GONE_NOTE.format(model=self.model.model_id)])
        self.assertTrue(result.results)
        with self.assertRaisesRegex(SearchError, "not installed"):
            search_evidence(self.workspace, "export", mode="meaning", load_embedder=lambda _: None)

    def test_queries_with_nothing_to_look_for_are_refused(self) -> None:
        self.synthesize()
        for query, mode in [("-okta", "both"), ("!!!", "words"), ("   ", "meaning")]:
            with self.subTest(query=query, mode=mode), self.assertRaises(SearchError):
                search_evidence(
                    self.workspace, query, mode=mode, load_embedder=lambda _: self.model
                )

    def test_evidence_never_embedded_is_skipped_by_meaning(self) -> None:
        self.synthesize()
        late = make_evidence(self.workspace, "The CSV export times out at month end, again.")
        ids = [pk for pk, _ in semantic_search(self.workspace, "CSV export", self.model, 10)]
        self.assertNotIn(late.pk, ids)
        self.assertIn(self.export.pk, ids)
        self.assertTrue(Embedding.objects.exists())


class LargeWorkspaceSemanticSearchTestCase(BaseTestCase):
    """Past SCAN_ALL items, meaning search compares the query with a bounded candidate set."""

    def setUp(self) -> None:
        super().setUp()
        self.model = embedder()
        texts = [
            "The CSV export times out at month end.",
            "Exporting to NetSuite drops the tax lines.",
            "Single sign-on with Okta fails every morning.",
            "The invoice shows the wrong VAT number.",
            "Approvals stall when the approver is on holiday.",
            "Scanned receipts are misread by the OCR.",
        ]
        for n in range(4):
            for text in texts:
                make_evidence(
                    self.workspace, f"{text} ({n})", occurred_at=BASE_TIME - timedelta(days=n)
                )
        synthesize_workspace(self.workspace, embedder=self.model)

    def test_it_finds_the_same_best_matches_from_the_nearest_problems(self) -> None:
        exhaustive = semantic_search(self.workspace, "export to NetSuite", self.model, 3)
        with (
            patch.object(problem_search, "SCAN_ALL", 5),
            patch.object(problem_search, "NEWEST", 0),
        ):
            bounded = semantic_search(self.workspace, "export to NetSuite", self.model, 3)
        self.assertEqual(bounded, exhaustive)

    def test_the_keys_synthesis_kept_are_the_vectors_keys(self) -> None:
        links = ProblemEvidence.objects.filter(problem__workspace=self.workspace)
        self.assertTrue(links.exists())
        for link in links.select_related("evidence"):
            self.assertEqual(link.vector_key, embedding_key(link.evidence.text))

    def test_evidence_the_pm_placed_since_is_found_by_its_text(self) -> None:
        link = ProblemEvidence.objects.filter(evidence__text__contains="Okta").get(
            evidence__text__contains="(0)"
        )
        ProblemEvidence.objects.filter(pk=link.pk).update(vector_key="")
        target = self.model.embed(["Okta sign-on"])[0]
        with patch.object(problem_search, "NEWEST", 0):
            candidates = dict(problem_search._candidates(self.workspace, target))
        self.assertEqual(candidates[link.evidence_id], embedding_key(link.evidence.text))

    def test_it_reads_only_the_candidates(self) -> None:
        with (
            patch.object(problem_search, "SCAN_ALL", 5),
            patch.object(problem_search, "NEAREST_PROBLEMS", 1),
            patch.object(problem_search, "PER_PROBLEM", 2),
            patch.object(problem_search, "NEWEST", 1),
        ):
            candidates = problem_search._candidates(
                self.workspace, self.model.embed(["Okta sign-on"])[0]
            )
            found = semantic_search(self.workspace, "Okta sign-on", self.model, 10)
        self.assertLessEqual(len(candidates), 3)
        self.assertTrue({pk for pk, _ in found} <= {pk for pk, _ in candidates})
        okta = set(Evidence.objects.filter(text__contains="Okta").values_list("pk", flat=True))
        self.assertTrue(okta & {pk for pk, _ in found})
