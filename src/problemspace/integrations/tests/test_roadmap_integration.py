"""Roadmap initiatives: exported for issue trackers, and their moves announced to webhooks."""

from __future__ import annotations

import csv
import io

from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_evidence
from problemspace.integrations import events, trackers
from problemspace.integrations.models import Delivery
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.problems.models import Problem
from problemspace.roadmap import services as roadmap
from problemspace.roadmap.models import Goal, Initiative
from problemspace.testing import BaseTestCase


class InitiativeExportTests(BaseTestCase):
    quote: Evidence
    sso: Initiative
    exports: Initiative

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        quote = make_evidence(cls.workspace, "We re-run the export every Monday.")
        problem = Problem.objects.create(
            workspace=cls.workspace, title="Exports time out", quote_ids=[quote.pk]
        )
        goal = Goal.objects.create(workspace=cls.workspace, objective="Cut churn to 3%")
        cls.sso = Initiative.objects.create(
            workspace=cls.workspace, title="SSO", horizon="later", score=9
        )
        cls.exports = Initiative.objects.create(
            workspace=cls.workspace,
            title="Faster exports",
            description="Stream exports instead of building them in memory.",
            horizon="now",
            score=2,
            score_override=8,
            override_reason="The biggest account renews in May.",
        )
        cls.exports.problems.add(problem)
        cls.exports.goals.add(goal)
        cls.quote = quote
        Initiative.objects.create(workspace=cls.other_workspace, title="Not acme's")

    def parse(self, fmt: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(trackers.export(self.workspace, "initiatives", fmt))))

    def test_jira_rows_come_by_horizon_as_epics(self) -> None:
        header, first, second = self.parse("jira")
        self.assertEqual(header[:4], ["Summary", "Issue Type", "Priority", "Description"])
        self.assertEqual(first[:3], ["Faster exports", "Epic", "High"])
        self.assertEqual(second[:3], ["SSO", "Epic", "Low"])
        description = first[3]
        self.assertIn("Score: 8.0 (set by hand)", description)
        self.assertIn("The biggest account renews in May.", description)
        self.assertIn("Serves the goal: Cut churn to 3%", description)
        self.assertIn("We re-run the export every Monday.", description)
        self.assertIn(f"/w/acme/evidence/{self.quote.pk}/", description)
        self.assertIn(f"/w/acme/roadmap/initiatives/{self.exports.pk}/", description)

    def test_github_rows_have_labels_and_links(self) -> None:
        header, first, _ = self.parse("github")
        self.assertEqual(header, ["title", "body", "labels", "priority", "state", "url"])
        self.assertEqual(first[2], "roadmap,horizon-now")
        self.assertIn("[Problem: Exports time out](", first[1])


class InitiativeMoveEventTests(BaseTestCase):
    def test_a_move_is_announced_after_commit_with_absolute_links(self) -> None:
        make_endpoint(self.workspace, "https://hooks.example.com/ps")
        initiative = Initiative.objects.create(workspace=self.workspace, title="SSO")
        with self.captureOnCommitCallbacks(execute=True):
            roadmap.move(self.member(self.bob), initiative, horizon="now", reason="Deals blocked")
        delivery = Delivery.objects.get(event=events.INITIATIVE_MOVED)
        data = delivery.payload["data"]
        self.assertEqual(data["to"]["horizon"], "now")
        self.assertEqual(data["reason"], "Deals blocked")
        self.assertTrue(data["initiative"]["url"].startswith("http"))
