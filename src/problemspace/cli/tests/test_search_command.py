from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from io import StringIO

from problemspace.cli.main import main
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.factories import (
    BASE_TIME,
    make_account,
    make_contact,
    make_evidence,
)
from problemspace.problems.search import NO_SYNTHESIS_NOTE
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import embedder
from problemspace.testing import BaseTestCase


class SearchCommandTestCase(BaseTestCase):
    often: Evidence
    once: Evidence
    billing: Evidence

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        globex = make_account(cls.workspace, "Globex")
        dana = make_contact(cls.workspace, "dana@globex.example", name="Dana")
        cls.often = make_evidence(
            cls.workspace,
            "Exports take all Monday; every export [b]times out[/b] and exports need babysitting.",
            account=globex,
            contact=dana,
            channel=Channel.INTERVIEW,
            source="gong",
            external_id="call-7",
        )
        cls.once = make_evidence(
            cls.workspace,
            "We talked about onboarding, pricing and seats for most of the hour. " * 4
            + "Near the end: the month-end export is slow.",
            occurred_at=BASE_TIME - timedelta(days=3),
            provenance=Provenance.RELAYED,
            relayed_by="Sam",
        )
        cls.billing = make_evidence(cls.workspace, "Billing is confusing.")
        make_evidence(cls.other_workspace, "Our exports are slow too.")

    def run_cli(self, *args: str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["search", "--workspace", "acme", *args])
        return code, out.getvalue(), err.getvalue()

    def test_it_lists_json_best_match_first(self) -> None:
        code, out, err = self.run_cli("exporting", "--format", "json")
        self.assertEqual(code, 0)
        # No synthesis has run, so there are no vectors to search by meaning; it says so.
        self.assertEqual(err, f"Note: {NO_SYNTHESIS_NOTE}\n")
        rows = json.loads(out)
        self.assertEqual([row["id"] for row in rows], [self.often.pk, self.once.pk])
        first = rows[0]
        self.assertEqual(first["rank"], 1)
        self.assertEqual((first["source"], first["external_id"]), ("gong", "call-7"))
        self.assertEqual(first["account"], "Globex")
        self.assertEqual(first["contact_email"], "dana@globex.example")
        self.assertEqual(first["provenance"], "first_hand")
        self.assertEqual(first["occurred_at"], "2025-03-15T12:00:00+00:00")
        self.assertEqual(first["text"], self.often.text)
        self.assertGreater(first["keyword_score"], rows[1]["keyword_score"])
        self.assertEqual((first["matched_by"], first["similarity"]), ("words", None))
        self.assertEqual(rows[1]["relayed_by"], "Sam")
        self.assertIsNone(rows[1]["external_id"])
        # The snippet of a long text is the part around the match.
        self.assertTrue(rows[1]["snippet"].startswith("…"))
        self.assertIn("month-end export is slow", rows[1]["snippet"])

    def test_it_prints_a_table_with_the_words_as_typed(self) -> None:
        code, out, _ = self.run_cli("exports")
        self.assertEqual(code, 0)
        self.assertIn(str(self.often.pk), out)
        self.assertIn("2025-03-15", out)
        self.assertIn("Globex", out)
        self.assertIn("[b]times out[/b]", out)
        self.assertIn("Relayed by", out)
        self.assertNotIn("Billing", out)

    def test_the_words_may_come_unquoted(self) -> None:
        _, out, _ = self.run_cli("month", "end", "--format", "json")
        self.assertEqual([row["id"] for row in json.loads(out)], [self.once.pk])
        _, out, _ = self.run_cli("--format", "json", "--", "-babysitting", "export")
        self.assertEqual([row["id"] for row in json.loads(out)], [self.once.pk])

    def test_it_limits_the_results(self) -> None:
        _, out, _ = self.run_cli("exports", "--limit", "1", "--format", "json")
        self.assertEqual([row["id"] for row in json.loads(out)], [self.often.pk])

    def test_it_says_when_nothing_matches(self) -> None:
        code, out, _ = self.run_cli("kubernetes")
        self.assertEqual(code, 0)
        self.assertIn("No evidence matches 'kubernetes'.", out)
        _, out, _ = self.run_cli("kubernetes", "--format", "json")
        self.assertEqual(json.loads(out), [])

    def test_it_takes_the_search_syntax(self) -> None:
        cases = {
            '"month-end export"': {self.once.pk},
            "export -babysitting": {self.once.pk},
            "billing OR babysit*": {self.often.pk, self.billing.pk},
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                code, out, _ = self.run_cli(query, "--format", "json")
                self.assertEqual(code, 0)
                self.assertEqual({row["id"] for row in json.loads(out)}, expected)

    def test_a_query_with_nothing_to_find_is_a_user_error(self) -> None:
        for query, message in [("-okta", "cannot only leave words out"), ('"', "no words")]:
            with self.subTest(query=query):
                # "--" ends the options, so that a query may start with "-".
                code, out, err = self.run_cli("--", query)
                self.assertEqual((code, out), (2, ""))
                self.assertIn(message, " ".join(err.split()))
                self.assertIn("put - before a word", " ".join(err.split()))
                self.assertNotIn("Traceback", err)

    def test_bad_limits_are_user_errors(self) -> None:
        for limit in ["0", "201"]:
            with self.subTest(limit=limit):
                code, _, err = self.run_cli("exports", "--limit", limit)
                self.assertEqual(code, 2)
                self.assertIn("--limit must be between 1 and 200", err)

    def test_an_unknown_workspace_is_a_user_error(self) -> None:
        err = StringIO()
        with redirect_stdout(StringIO()), redirect_stderr(err):
            code = main(["search", "exports", "--workspace", "nope"])
        self.assertEqual(code, 2)
        self.assertIn("There is no workspace 'nope'", err.getvalue())

    def test_after_synthesis_it_also_finds_by_meaning(self) -> None:
        synthesize_workspace(self.workspace, embedder=embedder())
        code, out, err = self.run_cli("exports", "--format", "json", "--limit", "3")
        self.assertEqual((code, err), (0, ""))
        rows = json.loads(out)
        self.assertEqual(rows[0]["id"], self.often.pk)
        self.assertEqual(rows[0]["matched_by"], "words and meaning")
        self.assertGreater(rows[0]["similarity"], 0.3)
        code, out, err = self.run_cli("--by", "meaning", "exports", "--format", "json")
        self.assertEqual((code, err), (0, ""))
        self.assertTrue(all(row["keyword_score"] is None for row in json.loads(out)))
