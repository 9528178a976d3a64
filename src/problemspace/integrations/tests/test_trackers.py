"""Issue-tracker CSVs: they parse back with the csv module and carry quotes and links."""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

from django.conf import settings

from problemspace.cli.main import main
from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_evidence
from problemspace.integrations import trackers
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase


class TrackerExportTests(BaseTestCase):
    quote: Evidence
    top: Problem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        globex = Account.objects.create(workspace=cls.workspace, name="Globex")
        dana = Contact.objects.create(workspace=cls.workspace, name="Dana", account=globex)
        cls.quote = make_evidence(
            cls.workspace,
            'Exports "time out", every month-end, line\nbreaks and, commas.',
            account=globex,
            contact=dana,
        )
        cls.top = Problem.objects.create(
            workspace=cls.workspace,
            title="=Exports time out",
            statement="Month-end exports fail for large accounts.",
            score=0.9,
            quote_ids=[cls.quote.pk],
            status="validated",
        )
        Problem.objects.create(workspace=cls.workspace, title="SSO", score=0.5)
        Problem.objects.create(workspace=cls.workspace, title="Dismissed", dismissed=True)
        Problem.objects.create(workspace=cls.other_workspace, title="Not acme's")

    def parse(self, text: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(text)))

    def test_jira_has_its_columns_and_one_row_per_problem(self) -> None:
        rows = self.parse(trackers.export(self.workspace, "problems", "jira"))
        header, first, second = rows
        self.assertEqual(
            header, ["Summary", "Issue Type", "Priority", "Description", "Labels", "Labels"]
        )
        self.assertEqual(first[0], "'=Exports time out")  # not a spreadsheet formula
        self.assertEqual(first[1:3], ["Story", "High"])
        self.assertEqual(first[4:], ["customer-problem", "status-validated"])
        description = first[3]
        self.assertIn("Month-end exports fail for large accounts.", description)
        self.assertIn(
            '{quote}\nExports "time out", every month-end, line breaks and, commas.\n{quote}',
            description,
        )
        self.assertIn(f"/w/acme/evidence/{self.quote.pk}/]", description)
        self.assertIn("Dana, Globex (other, 2025-03-15)", description)
        self.assertIn(f"/w/acme/problems/{self.top.pk}/]", description)
        self.assertEqual(second[0], "SSO")

    def test_github_has_title_body_labels(self) -> None:
        rows = self.parse(trackers.export(self.workspace, "problems", "github"))
        self.assertEqual(rows[0], ["title", "body", "labels", "priority", "state", "url"])
        self.assertEqual(len(rows), 3)
        body = rows[1][1]
        self.assertIn('> Exports "time out"', body)
        self.assertIn(f"]({settings.SITE_URL.rstrip('/')}/w/acme/evidence/{self.quote.pk}/)", body)
        self.assertEqual(rows[1][2], "customer-problem,status-validated")
        self.assertTrue(rows[1][5].endswith(f"/w/acme/problems/{self.top.pk}/"))

    def test_an_unknown_format_is_explained(self) -> None:
        with self.assertRaisesMessage(trackers.ExportError, "jira or github"):
            trackers.export(self.workspace, "problems", "asana")

    def test_the_download_page_serves_a_csv_to_any_member(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/integrations/export/?what=problems&format=github")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="acme-problems-github.csv"', response["Content-Disposition"])
        self.assertEqual(len(self.parse(response.content.decode())), 3)

    def test_the_command_writes_the_csv(self) -> None:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["export-tracker", "-w", "acme", "--format", "jira", "--what", "problems"])
        self.assertEqual(code, 0, err.getvalue())
        self.assertEqual(self.parse(out.getvalue())[0][0], "Summary")
