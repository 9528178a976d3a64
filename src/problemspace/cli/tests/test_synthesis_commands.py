from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from unittest import mock

from problemspace.cli.main import main
from problemspace.problems.tests.helpers import embedder, load_bias_scenario
from problemspace.testing import BaseTestCase


def call(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


class SynthesisCommandsTestCase(BaseTestCase):
    def setUp(self):
        self.loud, self.broad = load_bias_scenario(self.workspace)
        # One model for the whole test process (loading it is the slow part).
        patcher = mock.patch(
            "problemspace.cli.commands.synthesize.default_embedder",
            side_effect=lambda fallback=False: (embedder(), []),
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_synthesize_then_list_the_ranking(self):
        code, out, err = call("synthesize", "-w", "acme")
        self.assertEqual(code, 0, err)
        self.assertIn("60 evidence items", out)
        self.assertIn("2 problems", out)
        code, out, _ = call("problems", "-w", "acme", "--format", "json")
        self.assertEqual(code, 0)
        problems = json.loads(out)
        self.assertEqual(len(problems), 2)
        first = problems[0]
        self.assertEqual(set(first["evidence_ids"]), self.broad)
        self.assertIn("15 accounts", first["explanation"])
        self.assertEqual(len(first["quotes"]), 3)
        self.assertIn("reach", first["components"])
        code, out, _ = call("problems", "-w", "acme")
        self.assertIn("15 accounts", out)

    def test_problems_before_any_synthesis(self):
        code, out, _ = call("problems", "-w", "acme")
        self.assertEqual(code, 0)
        self.assertIn("problemspace synthesize", out)

    def test_a_bad_limit_is_a_user_error(self):
        code, _, err = call("problems", "-w", "acme", "--limit", "0")
        self.assertEqual(code, 2)
        self.assertIn("--limit", err)
