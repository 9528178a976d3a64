from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

from problemspace.cli.main import main
from problemspace.hypotheses import services
from problemspace.hypotheses.tests.factories import make_hypothesis
from problemspace.testing import BaseTestCase


def call(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


class AssumptionsCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        member = self.member(self.bob)
        self.risky = make_hypothesis(member, "Approvers travel", importance=5, evidence_strength=1)
        self.done = make_hypothesis(member, "They pay", importance=2, evidence_strength=4)
        services.move(member, self.done, "testing")
        services.move(member, self.done, "validated")

    def test_it_lists_as_a_table(self) -> None:
        code, out, err = call("assumptions", "-w", "acme")
        self.assertEqual(code, 0, err)
        self.assertIn("Approvers travel [test first]", out)
        self.assertIn("validated", out)

    def test_it_filters_by_status_as_json(self) -> None:
        code, out, _ = call(
            "assumptions", "-w", "acme", "--status", "validated", "--format", "json"
        )
        self.assertEqual(code, 0)
        rows = json.loads(out)
        self.assertEqual([r["id"] for r in rows], [self.done.pk])
        self.assertEqual(rows[0]["status"], "validated")
        self.assertFalse(rows[0]["test_first"])

    def test_an_empty_list_says_so(self) -> None:
        code, out, _ = call("assumptions", "-w", "acme", "--status", "invalidated")
        self.assertEqual(code, 0)
        self.assertIn("No invalidated assumptions", out)

    def test_a_bad_status_is_refused(self) -> None:
        with self.assertRaises(SystemExit):
            call("assumptions", "-w", "acme", "--status", "dead")

    def test_brackets_in_a_statement_are_printed_as_written(self) -> None:
        make_hypothesis(self.member(self.bob), "Users want [bold]export[/bold]")
        _, out, _ = call("assumptions", "-w", "acme")
        self.assertIn("[bold]export[/bold]", out)
