"""Loud or wide: volume beside reach, on the figures synthesis scored each problem by; the page
that shows it, and the brief section that names the loud problems."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from problemspace.briefs.compose import compose
from problemspace.briefs.render import chat_brief, markdown
from problemspace.briefs.tests.factories import MONTH, NOW
from problemspace.evidence.tests.factories import make_evidence
from problemspace.problems.loudness import Verdict, loudness
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Workspace


def problem(
    workspace: Workspace,
    title: str,
    items: int,
    accounts: int,
    first_hand: float,
    score: float,
    **fields: Any,
) -> Problem:
    return Problem.objects.create(
        workspace=workspace,
        title=title,
        score=score,
        score_components={"items": items, "accounts": accounts, "first_hand_share": first_hand},
        **fields,
    )


class LoudnessTestCase(BaseTestCase):
    sap: Problem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ws = cls.workspace
        # Medians over the five ranked problems: 10 accounts, 5 items an account.
        problem(ws, "Line items come out wrong", 120, 24, 0.9, 0.9)
        problem(ws, "Approvals stall", 50, 10, 0.8, 0.8)
        problem(ws, "Exports are slow", 60, 12, 0.7, 0.7)
        problem(ws, "W-9 for foreign vendors", 36, 6, 0.6, 0.5)
        cls.sap = problem(ws, "A native SAP connector", 71, 2, 0.1, 0.4)
        # Never in the ranking, so never loud or wide.
        problem(ws, "Love the inbox", 400, 1, 1.0, 0.95, praise=True)
        problem(ws, "Dismissed", 300, 1, 1.0, 0.3, dismissed=True)
        problem(ws, "A candidate", 300, 1, 1.0, 0.3, candidate=True)
        problem(cls.other_workspace, "Elsewhere", 999, 1, 0.0, 0.99)

    def test_loud_is_few_accounts_saying_much_wide_is_many_accounts(self) -> None:
        found = loudness(self.workspace)
        self.assertEqual(found.median_accounts, 10)
        self.assertEqual(found.median_per_account, 5)
        verdicts = {v.title: (v.place, v.verdict) for v in found.voices}
        self.assertEqual(
            verdicts,
            {
                "Line items come out wrong": (1, Verdict.WIDE),
                "Approvals stall": (2, Verdict.WIDE),
                "Exports are slow": (3, Verdict.WIDE),
                # Fewer accounts, but 6 an account is not twice the median's 5.
                "W-9 for foreign vendors": (4, Verdict.NARROW),
                "A native SAP connector": (5, Verdict.LOUD),
            },
        )
        [sap] = found.loud
        self.assertTrue(sap.relayed)
        self.assertEqual(
            sap.sentence(), "71 items from 2 accounts (36 an account), 10% heard first-hand"
        )

    def test_a_problem_a_little_below_the_median_is_not_loud(self) -> None:
        # Medians now 8.5 accounts and 5.5 an account: 7 accounts saying 12 each is more than
        # half the median's accounts, so narrow, however much each says.
        problem(self.workspace, "Foreign tax forms", 84, 7, 0.7, 0.45)
        verdicts = {v.title: v.verdict for v in loudness(self.workspace).voices}
        self.assertEqual(verdicts["Foreign tax forms"], Verdict.NARROW)
        self.assertEqual(verdicts["A native SAP connector"], Verdict.LOUD)

    def test_without_accounts_reach_cannot_be_told(self) -> None:
        problem(self.workspace, "Reviews only", 40, 0, 1.0, 0.6)
        found = loudness(self.workspace)
        verdict = {v.title: v.verdict for v in found.voices}["Reviews only"]
        self.assertEqual(verdict, Verdict.UNKNOWN)
        self.assertEqual(found.median_accounts, 10)

    def test_the_page_shows_the_loud_problem_to_every_role(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/loud-or-wide/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<svg", count=1)
        loud = response.content.decode().split('data-verdict="loud"')[1].split("</tr>")[0]
        self.assertIn("A native SAP connector", loud)
        self.assertIn("Loud, narrow", loud)
        self.assertIn("Mostly relayed", loud)
        self.assertNotContains(response, "Love the inbox")
        self.assertNotContains(response, "Elsewhere")
        # The dashboard leads there.
        make_evidence(self.workspace, text="Something was said.")
        self.assertContains(self.client.get("/w/acme/"), 'href="/w/acme/loud-or-wide/"')

    def test_the_page_is_the_workspace_members_only(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get("/w/acme/loud-or-wide/").status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get("/w/acme/loud-or-wide/").status_code, 302)

    def test_executives_and_engineering_are_told_which_problems_are_loud(self) -> None:
        make_evidence(self.workspace, occurred_at=NOW - timedelta(days=2), text="Said this month.")
        period = MONTH
        for audience in ("executives", "engineering"):
            content = compose(self.workspace, audience, period, now=NOW)
            [loud] = [s for s in content["sections"] if s["key"] == "loud"]
            [item] = loud["items"]
            self.assertEqual(item["title"], "A native SAP connector")
            self.assertEqual(item["url"], f"/w/acme/problems/{self.sap.pk}/")
            self.assertIn("71 items from 2 accounts", item["said"])
            self.assertIn("mostly relayed", item["said"])
            self.assertIn("A native SAP connector", markdown(content))
            said = chat_brief(content, "https://example.test/brief")
            self.assertTrue(any(s.heading == loud["heading"] for s in said.sections))
        sales = compose(self.workspace, "sales", period, now=NOW)
        self.assertNotIn("loud", [s["key"] for s in sales["sections"]])

    def test_no_loud_problem_no_section(self) -> None:
        self.sap.delete()
        make_evidence(self.workspace, occurred_at=NOW - timedelta(days=2), text="Said this month.")
        content = compose(self.workspace, "executives", MONTH, now=NOW)
        self.assertNotIn("loud", [s["key"] for s in content["sections"]])
