from __future__ import annotations

import tempfile
from pathlib import Path

from problemspace.evidence.tests.importing_helpers import run_import, snapshot, write
from problemspace.evidence.tests.test_import_csv import ZENDESK
from problemspace.testing import BaseTestCase


class DryRunTestCase(BaseTestCase):
    def test_it_reports_what_would_happen_and_writes_nothing(self) -> None:
        path = write(Path(tempfile.mkdtemp()), "zendesk.csv", ZENDESK)
        report = run_import(self.workspace, path, dry_run=True)
        assert report.ok and report.dry_run and not report.written
        assert (report.created, report.accounts_created, report.contacts_created) == (3, 2, 2)
        assert report.tags_created == 3
        assert snapshot(self.workspace) == (0, 0, 0, 0, 0)

    def test_it_counts_rows_already_imported(self) -> None:
        path = write(Path(tempfile.mkdtemp()), "zendesk.csv", ZENDESK)
        run_import(self.workspace, path)
        report = run_import(self.workspace, path, dry_run=True)
        assert (report.created, report.unchanged, report.accounts_created) == (0, 3, 0)

    def test_it_reports_every_bad_row(self) -> None:
        rows = "".join(f"row {i},not a date\n" for i in range(5))
        path = write(Path(tempfile.mkdtemp()), "bad.csv", "text,date\n" + rows)
        report = run_import(self.workspace, path, dry_run=True)
        assert [e.line for e in report.errors] == [2, 3, 4, 5, 6]
        assert all(e.field == "occurred_at" for e in report.errors)
