"""Keyword search against the real index, on whichever database the tests run on."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from django.db import connection

from problemspace.evidence import search
from problemspace.evidence.models import Evidence
from problemspace.evidence.search import SearchError, keyword_search, matching
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.testing import BaseTestCase


class KeywordSearchTestCase(BaseTestCase):
    def ids(self, query: str, limit: int = 20) -> list[int]:
        return [hit.evidence_id for hit in keyword_search(self.workspace, query, limit)]

    def matching_ids(self, query: str) -> set[int]:
        queryset = Evidence.objects.filter(workspace=self.workspace)
        return set(matching(queryset, query).values_list("pk", flat=True))

    def test_it_finds_words_in_any_form_and_case(self) -> None:
        exports = make_evidence(self.workspace, "Month-end EXPORTS take all Monday.")
        make_evidence(self.workspace, "Billing is confusing.")
        for query in ["exporting", "export", "Exports monday"]:
            with self.subTest(query=query):
                self.assertEqual(self.ids(query), [exports.pk])
                self.assertEqual(self.matching_ids(query), {exports.pk})

    def test_every_word_must_appear(self) -> None:
        both = make_evidence(self.workspace, "SSO with Okta is a blocker.")
        make_evidence(self.workspace, "SSO would be nice.")
        self.assertEqual(self.ids("okta sso"), [both.pk])

    def test_a_phrase_needs_its_words_together_in_order(self) -> None:
        together = make_evidence(self.workspace, "The month-end close is painful.")
        make_evidence(self.workspace, "At the end of the month we close the books.")
        self.assertEqual(self.ids('"month end"'), [together.pk])
        self.assertEqual(self.matching_ids('"month end"'), {together.pk})

    def test_a_hyphenated_word_finds_its_parts_side_by_side(self) -> None:
        hyphen = make_evidence(self.workspace, "The month-end close is painful.")
        space = make_evidence(self.workspace, "The month end close is painful.")
        make_evidence(self.workspace, "The end of the month is painful.")
        self.assertEqual(self.matching_ids("month-end"), {hyphen.pk, space.pk})
        w9 = make_evidence(self.workspace, "Vendors upload their W-9 twice.")
        self.assertEqual(self.matching_ids("w-9"), {w9.pk})

    def test_or_takes_either(self) -> None:
        saml = make_evidence(self.workspace, "We need SAML.")
        okta = make_evidence(self.workspace, "We need Okta.")
        make_evidence(self.workspace, "We need dark mode.")
        self.assertEqual(self.matching_ids("need saml OR okta"), {saml.pk, okta.pk})

    def test_minus_leaves_out(self) -> None:
        plain = make_evidence(self.workspace, "SSO is a blocker.")
        make_evidence(self.workspace, "SSO with Okta is a blocker.")
        make_evidence(self.workspace, "SSO via the bank portal is a blocker.")
        self.assertEqual(self.matching_ids('sso -okta -"bank portal"'), {plain.pk})

    def test_a_star_finds_words_that_start_so(self) -> None:
        netsuite = make_evidence(self.workspace, "The NetSuite sync duplicated vendors.")
        integrations = make_evidence(self.workspace, "Integrations break every week.")
        make_evidence(self.workspace, "The net result is fine.")
        self.assertEqual(self.matching_ids("netsu*"), {netsuite.pk})
        self.assertEqual(self.matching_ids("integr*"), {integrations.pk})

    def test_accented_words_match_themselves(self) -> None:
        cafe = make_evidence(self.workspace, "The café's terminal rounds EUR wrongly.")
        self.assertEqual(self.ids("café"), [cafe.pk])
        if connection.vendor == "sqlite":
            # SQLite's tokenizer also drops the accents (PostgreSQL's english one keeps them).
            self.assertEqual(self.ids("cafe"), [cafe.pk])

    def test_it_ranks_the_better_match_first(self) -> None:
        once = make_evidence(
            self.workspace,
            "We spoke about onboarding, pricing, seats and renewals, and only at the very end"
            " about the invoice layout, which nobody likes.",
            occurred_at=BASE_TIME,
        )
        often = make_evidence(
            self.workspace,
            "Invoice scanning misreads every invoice; each invoice needs fixing.",
            occurred_at=BASE_TIME - timedelta(days=30),
        )
        hits = keyword_search(self.workspace, "invoice", 10)
        self.assertEqual([hit.evidence_id for hit in hits], [often.pk, once.pk])
        self.assertGreater(hits[0].score, hits[1].score)
        self.assertGreater(hits[1].score, 0)

    def test_words_in_most_evidence_give_the_newest_matches_unranked(self) -> None:
        # Ranking 300,000 matches takes seconds; past the inbox's threshold the newest come
        # first, found as the inbox finds them, with score 0.
        often = make_evidence(
            self.workspace, "Invoice scanning misreads every invoice.", occurred_at=BASE_TIME
        )
        newest = make_evidence(
            self.workspace, "An invoice arrived.", occurred_at=BASE_TIME + timedelta(days=1)
        )
        make_evidence(self.workspace, "Exports are slow.", occurred_at=BASE_TIME)
        with (
            patch.object(search, "SQLITE_DENSE_MATCHES", 1),
            patch.object(search, "POSTGRES_RANKED", 1),
        ):
            hits = keyword_search(self.workspace, "invoice", 10)
        self.assertEqual([hit.evidence_id for hit in hits], [newest.pk, often.pk])
        self.assertEqual({hit.score for hit in hits}, {0.0})

    def test_equal_matches_come_newest_first(self) -> None:
        old = make_evidence(self.workspace, "Exports are slow.", occurred_at=BASE_TIME)
        new = make_evidence(
            self.workspace, "Exports are slow.", occurred_at=BASE_TIME + timedelta(days=1)
        )
        self.assertEqual(self.ids("exports"), [new.pk, old.pk])

    def test_it_returns_at_most_limit(self) -> None:
        for n in range(5):
            make_evidence(self.workspace, f"Exports are slow, case {n}.")
        self.assertEqual(len(self.ids("exports", limit=3)), 3)

    def test_it_never_finds_another_workspace(self) -> None:
        make_evidence(self.other_workspace, "Exports are slow.")
        mine = make_evidence(self.workspace, "Exports are slow.")
        self.assertEqual(self.ids("exports"), [mine.pk])
        self.assertEqual(self.matching_ids("exports"), {mine.pk})

    def test_typed_syntax_never_reaches_the_database(self) -> None:
        match = make_evidence(self.workspace, 'He said "NEAR(ly) AND done" -- col:umn 100% a_b')
        queries = [
            "AND",
            "OR sso",
            "NOT",
            "NEAR(",
            "NEAR(a b, 2)",
            "col:umn",
            "^start",
            "a + b",
            "(unclosed",
            '"unclosed',
            '""quoted""',
            "100%",
            "a_b",
            "'; DROP TABLE evidence_evidence; --",
            "back\\slash",
            "it's",
            "x:*",
            "a & b | !c <-> d",
            "caf\u0301e",
            "🙂 done",
            "nul\x00byte",
            "word*",
            "-not-a-word extra",
            "Ω≈ç√∫",
        ]
        for query in queries:
            with self.subTest(query=query):
                keyword_search(self.workspace, query, 5)
                self.matching_ids(query)
        self.assertEqual(self.ids('"NEAR ly and done"'), [match.pk])

    def test_queries_with_nothing_to_find_are_errors(self) -> None:
        for query in ["", " ", '"', "*", "-", "🙂", "-sso"]:
            with self.subTest(query=query), self.assertRaises(SearchError):
                keyword_search(self.workspace, query, 5)
            with self.subTest(query=query), self.assertRaises(SearchError):
                self.matching_ids(query)

    def test_long_texts_are_searchable_to_their_end(self) -> None:
        long = make_evidence(self.workspace, "filler " * 2800 + "kubernetes")
        self.assertEqual(self.ids("kubernetes"), [long.pk])
