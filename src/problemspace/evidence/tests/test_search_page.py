"""The search page: evidence by words and meaning together, with highlighted snippets."""

from __future__ import annotations

from unittest import mock

from problemspace.evidence.models import Provenance
from problemspace.evidence.tests.factories import make_account, make_contact, make_evidence
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.problems.services import synthesize_workspace
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.testing import BaseTestCase


class SearchPageTestCase(BaseTestCase):
    url = "/w/acme/search/"

    def setUp(self) -> None:
        globex = make_account(self.workspace, "Globex", segment="Enterprise")
        dana = make_contact(self.workspace, "dana@globex.example", name="Dana Scully")
        self.export = make_evidence(
            self.workspace,
            "The CSV export times out at month end, every single month.",
            account=globex,
            contact=dana,
        )
        self.relayed = make_evidence(
            self.workspace,
            "Exporting to NetSuite drops the tax lines.",
            provenance=Provenance.RELAYED,
            relayed_by="Sam (Sales)",
        )
        self.sso = make_evidence(self.workspace, "Single sign-on with Okta fails every morning.")
        make_evidence(self.other_workspace, "Secret: our CSV export is slow as well.")

    def search(self, user=None, **params: str):
        self.client.force_login(user or self.vic)
        return self.client.get(self.url, params)

    def ids(self, response) -> list[int]:
        return [row["evidence"].pk for row in response.context["rows"]]

    def test_it_finds_evidence_by_its_words(self) -> None:
        response = self.search(q="export")
        self.assertEqual(response.status_code, 200)
        self.assertCountEqual(self.ids(response), [self.export.pk, self.relayed.pk])
        self.assertContains(response, "2</strong> best matches for “export”")

    def test_each_result_shows_customer_date_provenance_and_a_link(self) -> None:
        response = self.search(q="export")
        self.assertContains(response, "Dana Scully")
        self.assertContains(
            response, f'href="/w/acme/accounts/{self.export.account_id}/">Globex</a>'
        )
        self.assertContains(response, "15 Mar 2025")
        self.assertContains(response, "First-hand")
        self.assertContains(response, "Relayed by Sam (Sales)")
        self.assertContains(response, f'href="/w/acme/evidence/{self.export.pk}/"')
        self.assertContains(response, "matched by words")

    def test_the_snippet_highlights_the_words(self) -> None:
        response = self.search(q="export")
        self.assertContains(response, "The CSV <mark>export</mark> times out")
        self.assertContains(response, "<mark>Exporting</mark> to NetSuite")

    def test_the_snippet_is_escaped(self) -> None:
        make_evidence(self.workspace, "<script>alert(1)</script> export & <b>import</b>")
        response = self.search(q="export")
        self.assertContains(
            response,
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>export</mark> &amp; &lt;b&gt;import&lt;/b&gt;",
        )
        self.assertNotContains(response, "<script>alert(1)")

    def test_a_query_that_looks_like_markup_is_escaped(self) -> None:
        response = self.search(q='"><script>alert(1)</script>')
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "&lt;script&gt;")

    def test_each_result_shows_its_problem(self) -> None:
        problem = Problem.objects.create(workspace=self.workspace, title="Exports fail")
        ProblemEvidence.objects.create(problem=problem, evidence=self.export)
        response = self.search(q="export")
        self.assertContains(response, f'href="/w/acme/problems/{problem.pk}/"')
        self.assertContains(response, "Exports fail")
        self.assertContains(response, "not in a problem")

    def test_before_synthesis_it_says_meaning_was_not_searched(self) -> None:
        response = self.search(q="export")
        self.assertFalse(response.context["semantic"])
        self.assertContains(response, "Matched by words only: meaning is searched too once")

    def test_after_synthesis_it_searches_by_meaning_too_and_says_so(self) -> None:
        synthesize_workspace(self.workspace, embedder=HashingEmbedder())
        response = self.search(q="export month")
        self.assertTrue(response.context["semantic"])
        self.assertContains(response, "words and meaning")
        self.assertContains(response, "model hashing-v1")
        self.assertNotContains(response, "Matched by words only")
        self.assertIn(self.export.pk, self.ids(response))

    def test_meaning_only_finds_what_shares_no_exact_word(self) -> None:
        synthesize_workspace(self.workspace, embedder=HashingEmbedder())
        response = self.search(q="exports months", by="meaning")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["by"], "meaning")
        self.assertNotIn(self.sso.pk, self.ids(response))
        self.assertTrue(
            all(row["found"].matched_by == "meaning" for row in response.context["rows"])
        )

    def test_when_the_model_is_gone_it_says_so(self) -> None:
        synthesize_workspace(self.workspace, embedder=HashingEmbedder())
        with mock.patch("problemspace.evidence.views._search_embedder", return_value=None):
            response = self.search(q="export")
        self.assertFalse(response.context["semantic"])
        self.assertContains(response, "is not installed on this server")
        self.assertCountEqual(self.ids(response), [self.export.pk, self.relayed.pk])

    def test_words_only_can_be_asked_for(self) -> None:
        synthesize_workspace(self.workspace, embedder=HashingEmbedder())
        response = self.search(q="export", by="words")
        self.assertFalse(response.context["semantic"])
        self.assertContains(response, "words only")

    def test_an_unknown_mode_searches_both_ways(self) -> None:
        self.assertEqual(self.search(q="export", by="telepathy").context["by"], "both")

    def test_an_empty_query_is_answered_with_a_sentence(self) -> None:
        for params in ({}, {"q": "   "}):
            with self.subTest(params=params):
                response = self.search(**params)
                self.assertContains(response, "Type what you are looking for")
                self.assertEqual(response.context["rows"], [])

    def test_an_invalid_query_is_answered_with_a_sentence(self) -> None:
        cases = {
            "-okta": "a search cannot only leave words out",
            "!!!": "has no words to search for",
            "x" * 201: "at most 200 characters",
        }
        for query, message in cases.items():
            with self.subTest(query=query[:10]):
                response = self.search(q=query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertContains(response, 'aria-invalid="true"')
                self.assertContains(response, "put - before a word to leave it out")

    def test_no_match_says_so(self) -> None:
        response = self.search(q="blockchain")
        self.assertContains(response, "No evidence matches “blockchain”.")

    def test_it_keeps_the_query_in_the_box(self) -> None:
        response = self.search(q='"month end" export')
        self.assertContains(response, 'value="&quot;month end&quot; export"')

    def test_it_never_shows_another_workspaces_evidence(self) -> None:
        synthesize_workspace(self.workspace, embedder=HashingEmbedder())
        synthesize_workspace(self.other_workspace, embedder=HashingEmbedder())
        response = self.search(q="CSV export slow")
        self.assertNotContains(response, "Secret")

    def test_viewers_may_search(self) -> None:
        self.assertEqual(self.search(self.vic, q="export").status_code, 200)

    def test_it_checks_membership(self) -> None:
        self.assertEqual(self.search(self.charlie, q="export").status_code, 404)

    def test_it_requires_sign_in(self) -> None:
        response = self.client.get(self.url, {"q": "export"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_workspace_pages_have_a_search_box_in_the_top_bar(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/inbox/")
        self.assertContains(response, 'action="/w/acme/search/"')
        self.assertContains(response, 'id="topsearch-q" name="q"')
