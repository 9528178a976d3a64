"""What each audience's brief says, from real workspace data, and that every claim links to the
page behind it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse

from problemspace.briefs.compose import compose
from problemspace.briefs.period import Period
from problemspace.briefs.tests.factories import (
    DUPLICATE_QUOTE,
    MONTH,
    NOW,
    PHONE_QUOTE,
    RELAYED_QUOTE,
    SHIPPED_REASON,
    Story,
    build_story,
)
from problemspace.testing import BaseTestCase


def section(content: dict[str, Any], key: str) -> dict[str, Any]:
    found = [s for s in content["sections"] if s["key"] == key]
    assert found, f"no {key} section in {[s['key'] for s in content['sections']]}"
    return found[0]


def keys(content: dict[str, Any]) -> list[str]:
    return [s["key"] for s in content["sections"]]


def urls(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["url"]] if isinstance(node.get("url"), str) else []
        return found + [u for value in node.values() for u in urls(value)]
    if isinstance(node, list):
        return [u for value in node for u in urls(value)]
    return []


class ComposeTestCase(BaseTestCase):
    story: Story

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.story = build_story(cls.workspace, cls.member_of(cls.bob), cls.member_of(cls.carol))

    @classmethod
    def member_of(cls, user: Any) -> Any:
        from problemspace.workspaces.models import Member

        return Member.objects.get(user=user, workspace=cls.workspace)

    def path(self, name: str, pk: int) -> str:
        return reverse(name, args=["acme", pk])

    def brief(self, audience: str, period: Period = MONTH) -> dict[str, Any]:
        return compose(self.workspace, audience, period, now=NOW)

    def test_executives_get_the_evidence_behind_the_bets(self) -> None:
        content = self.brief("executives")
        self.assertEqual(keys(content), ["problems", "goals", "assumptions", "moves", "exposure"])
        self.assertEqual(content["title"], "Executive brief: 31 Oct \N{EN DASH} 30 Nov 2026")
        self.assertFalse(content["empty"])

        problems = section(content, "problems")["items"]
        self.assertEqual(
            [p["title"] for p in problems],
            [
                "Approvals stall when the approver travels",
                "Duplicate payments slip through",
                "Exports time out",
            ],
        )
        approvals, duplicates, exports = problems
        self.assertEqual((approvals["moved"], approvals["movement"]), (1, "up 1 place"))
        self.assertEqual((duplicates["new"], duplicates["movement"]), (True, "new this period"))
        self.assertEqual(exports["movement"], "down 2 places")
        self.assertEqual(approvals["in_period"], 2)
        self.assertEqual(exports["in_period"], 0)
        self.assertEqual(approvals["revenue_text"], "$1.0M ARR")
        self.assertEqual(approvals["url"], self.path("problems:detail", self.story.approvals.pk))

        # Customers' own words, verbatim, with who said it and a link to the evidence.
        said = approvals["quotes"]
        self.assertEqual([q["text"] for q in said], [PHONE_QUOTE, RELAYED_QUOTE])
        self.assertEqual(said[0]["attribution"], "Maria Lopez (Controller), Globex · Mid-market")
        self.assertIn("Interview", said[0]["source"])
        self.assertEqual(said[0]["url"], self.path("evidence:detail", self.story.phone_quote.pk))
        self.assertIn("relayed by Dana (AE)", said[1]["source"])
        self.assertFalse(said[1]["first_hand"])

        goals = section(content, "goals")
        by_goal = {g["objective"]: g for g in goals["items"]}
        self.assertCountEqual(
            [i["title"] for i in by_goal["Win mid-market finance teams"]["initiatives"]],
            ["Approve invoices from a phone", "Catch duplicate invoices"],
        )
        self.assertEqual(by_goal["Be audit-ready"]["initiatives"], [])
        self.assertIn("1 goal has no initiative", goals["intro"])

        decided = section(content, "assumptions")["items"]
        self.assertEqual(
            [(a["verdict"], a["statement"]) for a in decided],
            [
                ("killed", "Finance teams will pay extra for OCR."),
                ("validated", "Controllers approve invoices away from their desk."),
            ],
        )
        self.assertEqual(decided[1]["url"], self.path("hypotheses:detail", self.story.validated.pk))

        moves = section(content, "moves")["items"]
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves[0]["reason"], SHIPPED_REASON)
        self.assertEqual(moves[0]["change"], "Next → Now, planned → shipped")
        self.assertEqual(moves[0]["url"], self.path("roadmap:initiative", self.story.catcher.pk))

        exposure = section(content, "exposure")["items"][0]
        self.assertEqual(exposure["total_hours"], 3.2)
        self.assertEqual(exposure["at_target"], 1)
        self.assertEqual(
            sorted(u["name"] for u in exposure["under"]),
            ["alice@example.org", "carol@example.org", "vic@example.org"],
        )

        highlights = [h["text"] for h in content["highlights"]]
        self.assertIn("3 customer signals from 2 accounts, 67% heard first-hand", highlights)
        self.assertIn("1 roadmap move", highlights)
        self.assertIn("1 assumption validated, 1 killed", highlights)

    def test_engineering_gets_the_problems_behind_now_and_next(self) -> None:
        content = self.brief("engineering")
        self.assertEqual(
            keys(content), ["initiatives", "assumptions", "problems", "moves", "exposure"]
        )
        initiatives = section(content, "initiatives")["items"]
        # Shipped work is done; engineering reads about what it builds now and next.
        self.assertEqual([i["title"] for i in initiatives], ["Approve invoices from a phone"])
        why = initiatives[0]["problems"][0]
        self.assertEqual(why["title"], "Approvals stall when the approver travels")
        self.assertEqual(why["quotes"][0]["text"], PHONE_QUOTE)
        assumptions = section(content, "assumptions")["items"]
        self.assertIn(
            ("testing", "AP clerks want to approve in bulk."),
            [(a["verdict"], a["statement"]) for a in assumptions],
        )

    def test_sales_gets_what_shipped_and_the_words_by_segment(self) -> None:
        content = self.brief("sales")
        self.assertEqual(keys(content), ["initiatives", "segments", "problems", "moves"])
        initiatives = section(content, "initiatives")["items"]
        self.assertEqual(
            [(i["title"], i["shipped_in_period"]) for i in initiatives],
            [("Catch duplicate invoices", True), ("Approve invoices from a phone", False)],
        )
        self.assertEqual(initiatives[0]["problems"][0]["quotes"][0]["text"], DUPLICATE_QUOTE)
        segments = {s["segment"]: s for s in section(content, "segments")["items"]}
        self.assertEqual(set(segments), {"Enterprise", "Mid-market", "SMB"})
        mid_market = segments["Mid-market"]["problems"]
        quotes = [q for p in mid_market for q in p["quotes"]]
        self.assertTrue(quotes)
        self.assertTrue(all(q["segment"] == "Mid-market" for q in quotes))

    def test_the_company_gets_a_short_digest(self) -> None:
        content = self.brief("company")
        self.assertEqual(keys(content), ["problems", "moves", "assumptions", "exposure"])
        problems = section(content, "problems")["items"]
        self.assertEqual(len(problems), 3)
        self.assertTrue(all(len(p["quotes"]) <= 1 for p in problems))

    def test_every_claim_links_to_a_page_of_the_workspace(self) -> None:
        for audience in ("executives", "engineering", "sales", "company"):
            with self.subTest(audience=audience):
                content = self.brief(audience)
                for section_ in content["sections"]:
                    for item in section_["items"]:
                        self.assertTrue(urls(item), f"{section_['key']}: {item}")
                links = urls(content)
                self.assertTrue(all(u.startswith("/w/acme/") for u in links), links)
                quotes = [u for u in links if "/evidence/" in u]
                self.assertTrue(quotes)
                for url in links:
                    response = self._get(url)
                    self.assertEqual(response.status_code, 200, url)

    def _get(self, url: str) -> Any:
        self.client.force_login(self.vic)
        return self.client.get(url)

    def test_an_empty_period_says_so_without_empty_headings(self) -> None:
        quiet = Period.last_days(30, NOW - timedelta(days=400))
        for audience in ("executives", "engineering", "sales", "company"):
            with self.subTest(audience=audience):
                content = self.brief(audience, quiet)
                self.assertTrue(content["empty"])
                self.assertIn("Nothing new in this period", content["empty_text"])
                self.assertEqual(content["sections"], [])
                self.assertEqual(content["highlights"], [])

    def test_an_empty_workspace_gives_an_empty_brief(self) -> None:
        content = compose(self.other_workspace, "executives", MONTH, now=NOW)
        self.assertTrue(content["empty"])
        self.assertEqual(content["sections"], [])

    def test_quiet_parts_are_said_in_a_line_not_shown_as_empty_headings(self) -> None:
        # Only evidence in these days: no moves and no decisions.
        week = Period.last_days(3, NOW)
        content = self.brief("executives", week)
        self.assertNotIn("moves", keys(content))
        self.assertIn("Nothing moved on the roadmap.", content["quiet"])
        self.assertIn("No assumption was validated or killed.", content["quiet"])
        self.assertIn("problems", keys(content))
