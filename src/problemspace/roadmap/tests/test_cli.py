from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

from problemspace.cli.main import main
from problemspace.roadmap import services
from problemspace.roadmap.tests.factories import make_goal, make_initiative
from problemspace.testing import BaseTestCase


def call(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


class RoadmapCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        member = self.member(self.bob)
        goal = make_goal(member, "Win mid-market")
        self.now = make_initiative(
            member, "Approve [on] a phone", horizon="now", goal_ids=[goal.pk]
        )
        self.hand = make_initiative(
            member, "SSO", horizon="next", score_override=40, override_reason="Renewals"
        )
        self.shipped = make_initiative(member, "Old thing")
        services.move(member, self.shipped, status="shipped")

    def test_it_prints_the_board(self) -> None:
        code, out, err = call("roadmap", "-w", "acme")
        self.assertEqual(code, 0, err)
        self.assertIn("Now (1)", out)
        self.assertIn("Approve [on] a phone", out)
        self.assertIn("40*", out)
        self.assertNotIn("Old thing", out)  # shipped: not on the board

    def test_it_lists_by_score_as_json(self) -> None:
        code, out, _ = call("roadmap", "-w", "acme", "--list", "--format", "json")
        self.assertEqual(code, 0)
        rows = json.loads(out)
        self.assertEqual(rows[0]["id"], self.hand.pk)
        self.assertEqual(rows[0]["override_reason"], "Renewals")
        self.assertEqual({r["title"] for r in rows}, {"Approve [on] a phone", "SSO", "Old thing"})
        self.assertEqual(rows[1]["goals"][0]["objective"], "Win mid-market")

    def test_it_filters_the_list(self) -> None:
        code, out, _ = call("roadmap", "-w", "acme", "--status", "shipped", "--recount")
        self.assertEqual(code, 0)
        self.assertIn("Old thing", out)
        self.assertNotIn("SSO", out)

    def test_an_empty_roadmap_says_so(self) -> None:
        code, out, _ = call("roadmap", "-w", "other")
        self.assertEqual(code, 0)
        self.assertIn("The roadmap is empty", out)
