from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from io import StringIO

from problemspace.cli.main import main
from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.factories import (
    BASE_TIME,
    make_account,
    make_contact,
    make_evidence,
)
from problemspace.testing import BaseTestCase


class EvidenceCommandTestCase(BaseTestCase):
    globex: Account
    dana: Contact
    first: Evidence
    second: Evidence

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(cls.workspace, "Globex", segment="Enterprise")
        cls.dana = make_contact(cls.workspace, "dana@globex.example", name="Dana")
        cls.first = make_evidence(
            cls.workspace,
            "Exports take all Monday.",
            account=cls.globex,
            contact=cls.dana,
            channel=Channel.INTERVIEW,
            source="gong",
            external_id="c-1",
            tags=["exports", "reporting"],
        )
        cls.second = make_evidence(
            cls.workspace,
            "They want [b]SSO[/b].",
            occurred_at=BASE_TIME - timedelta(days=1),
            channel=Channel.SUPPORT,
            provenance=Provenance.RELAYED,
            relayed_by="Sam",
        )
        make_evidence(cls.other_workspace, "Not acme's.")

    def run_cli(self, *args: str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["evidence", "--workspace", "acme", *args])
        return code, out.getvalue(), err.getvalue()

    def test_it_lists_json(self) -> None:
        code, out, err = self.run_cli("--format", "json")
        self.assertEqual(code, 0)
        self.assertEqual(err, "")
        rows = json.loads(out)
        self.assertEqual([row["id"] for row in rows], [self.first.pk, self.second.pk])
        self.assertEqual(
            rows[0],
            {
                "id": self.first.pk,
                "text": "Exports take all Monday.",
                "occurred_at": "2025-03-15T12:00:00+00:00",
                "channel": "interview",
                "provenance": "first_hand",
                "relayed_by": None,
                "account": "Globex",
                "contact_email": "dana@globex.example",
                "source": "gong",
                "external_id": "c-1",
                "tags": ["exports", "reporting"],
                "kind": None,
                "kind_corrected": False,
                "kind_confidence": None,
                "score": None,
                "score_scale": None,
            },
        )
        self.assertEqual(rows[1]["relayed_by"], "Sam")
        self.assertIsNone(rows[1]["account"])

    def test_it_prints_a_table_with_the_words_as_typed(self) -> None:
        code, out, _ = self.run_cli()
        self.assertEqual(code, 0)
        self.assertIn("Exports take all Monday.", out)
        self.assertIn("[b]SSO[/b]", out)
        self.assertIn("Relayed by", out)  # the cell may wrap before "Sam"
        self.assertNotIn("Not acme", out)

    def test_it_applies_the_inbox_filters(self) -> None:
        cases = {
            ("--channel", "support"): [self.second.pk],
            ("--provenance", "first-hand"): [self.first.pk],
            ("--segment", "Enterprise"): [self.first.pk],
            ("--account", "glob"): [self.first.pk],
            ("--text", "sso"): [self.second.pk],
            ("--since", "2025-03-15"): [self.first.pk],
            ("--until", "2025-03-14"): [self.second.pk],
        }
        for args, expected in cases.items():
            with self.subTest(args=args):
                code, out, _ = self.run_cli(*args, "--format", "json")
                self.assertEqual(code, 0)
                self.assertEqual([row["id"] for row in json.loads(out)], expected)

    def test_it_pages_with_after(self) -> None:
        code, out, err = self.run_cli("--limit", "1", "--format", "json")
        self.assertEqual(code, 0)
        self.assertEqual([row["id"] for row in json.loads(out)], [self.first.pk])
        cursor = err.split("--after ")[1].split()[0]
        _, out, err = self.run_cli("--limit", "1", "--after", cursor, "--format", "json")
        self.assertEqual([row["id"] for row in json.loads(out)], [self.second.pk])
        self.assertEqual(err, "")

    def test_bad_options_are_user_errors(self) -> None:
        cases = {
            ("--channel", "fax"): "There is no channel 'fax'",
            ("--provenance", "gossip"): "first-hand or relayed",
            ("--since", "soon"): "not a date like",
            ("--account", "Hooli"): "No account is called 'Hooli'",
            ("--segment", "Whales"): "Segments: Enterprise.",
            ("--after", "page2"): "is not a cursor",
            ("--limit", "0"): "--limit must be between 1 and 1000",
        }
        for args, message in cases.items():
            with self.subTest(args=args):
                code, out, err = self.run_cli(*args)
                self.assertEqual(code, 2)
                self.assertEqual(out, "")
                self.assertIn(message, " ".join(err.split()))
                self.assertNotIn("Traceback", err)

    def test_an_unknown_workspace_is_a_user_error(self) -> None:
        err = StringIO()
        with redirect_stdout(StringIO()), redirect_stderr(err):
            code = main(["evidence", "--workspace", "nope"])
        self.assertEqual(code, 2)
        self.assertIn("There is no workspace 'nope'", err.getvalue())
