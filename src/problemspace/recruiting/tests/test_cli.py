"""`problemspace recruiting`: campaigns with their counts, and one campaign's candidates."""

from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

from problemspace.cli.main import main
from problemspace.recruiting.models import Candidate, CandidateStatus
from problemspace.recruiting.tests.factories import campaign, contact
from problemspace.testing import BaseTestCase


class RecruitingCommandTests(BaseTestCase):
    def setUp(self) -> None:
        self.campaign = campaign(self.workspace)
        Candidate.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            contact=contact(self.workspace, "pat@x.example", name="Pat Doe"),
            segment="SMB",
            status=CandidateStatus.SCREENED_IN,
            answers={"q1": {"question": "How?", "answer": "Spreadsheets"}},
        )

    def run_cli(self, *args: str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["recruiting", "--workspace", "acme", *args])
        return code, out.getvalue(), err.getvalue()

    def test_it_lists_campaigns_with_counts(self) -> None:
        code, out, _ = self.run_cli("--format", "json")
        self.assertEqual(code, 0)
        [row] = json.loads(out)
        self.assertEqual(row["name"], "Month-end close")
        self.assertEqual(row["candidates"]["screened_in"], 1)
        self.assertIn(f"/r/{self.campaign.token}/", row["signup_url"])
        self.assertEqual(row["quotas"][0], {"segment": "Enterprise", "quota": 1, "filled": 0})
        code, table, _ = self.run_cli()
        self.assertEqual(code, 0)
        self.assertIn("Month-end close", table)

    def test_it_lists_a_campaigns_candidates(self) -> None:
        code, out, _ = self.run_cli("--campaign", str(self.campaign.pk), "--format", "json")
        self.assertEqual(code, 0)
        [row] = json.loads(out)
        self.assertEqual((row["email"], row["status"]), ("pat@x.example", "screened_in"))
        self.assertEqual(row["answers"], {"q1": "Spreadsheets"})
        code, table, _ = self.run_cli("--campaign", str(self.campaign.pk), "--status", "booked")
        self.assertIn("No candidates yet.", table)

    def test_an_unknown_campaign_is_explained(self) -> None:
        code, _, err = self.run_cli("--campaign", "999999")
        self.assertEqual(code, 2)
        self.assertIn("There is no campaign 999999", err)
