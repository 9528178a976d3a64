"""The import command as a user meets it: messages, exit codes, no tracebacks."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from problemspace.cli.main import main
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.importing_helpers import write
from problemspace.testing import BaseTestCase


class CliTestCase(BaseTestCase):
    @pytest.fixture(autouse=True)
    def _capsys(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def run_cli(self, *argv: str) -> tuple[int, str, str]:
        code = main(["import", *argv, "--workspace", "acme"])
        out, err = self.capsys.readouterr()
        return code, out, err


class ImportCommandTestCase(CliTestCase):
    def test_it_imports_and_says_what_it_did(self) -> None:
        path = write(self.tmp, "tickets.csv", "Body,Created\nSSO please,2025-01-02\n")
        code, out, err = self.run_cli(str(path), "--channel", "support")
        assert code == 0, err
        assert "Imported 1 new evidence items from tickets.csv" in out
        assert "text <- Body" in out and "occurred_at <- Created" in out
        assert Evidence.objects.get().channel == "support"

    def test_a_dry_run_writes_nothing(self) -> None:
        path = write(self.tmp, "tickets.csv", "Body,Created\nSSO please,2025-01-02\n")
        code, out, _ = self.run_cli(str(path), "--dry-run")
        assert code == 0
        assert "Would import 1 new evidence items" in out and "nothing was written" in out
        assert not Evidence.objects.exists()

    def test_a_dry_run_shows_how_each_column_would_be_read(self) -> None:
        exports = Path(__file__).parents[2] / "evidence" / "tests" / "exports"
        code, out, err = self.run_cli(
            str(exports / "reviews_com.example.ledger_202503.csv"), "--dry-run"
        )
        assert code == 0, err
        assert "Read as: Google Play Console reviews. UTF-16, comma-separated." in out
        lines = {line.split("  ")[1].strip(): line for line in out.splitlines() if "  " in line}
        assert "score (stars)" in lines["Star Rating"] and "'2', '5'" in lines["Star Rating"]
        assert "title" in lines["Review Title"] and "text" in lines["Review Text"]
        assert "ignored" in lines["Package Name"]
        assert "Skipped 1 row: no words at all" in out
        assert not Evidence.objects.exists()

    def test_ignore_leaves_a_column_out(self) -> None:
        path = write(self.tmp, "t.csv", "Body,Created,Company\nSSO please,2025-01-02,Acme\n")
        code, _, err = self.run_cli(str(path), "--ignore", "Company")
        assert code == 0, err
        assert Evidence.objects.get().account is None

    def test_columns_saved_by_name_read_the_next_file(self) -> None:
        first = write(self.tmp, "a.csv", "Note,When,Company\nSSO please,2025-01-02,Acme\n")
        code, out, err = self.run_cli(
            str(first), "--map", "text=Note", "--ignore", "Company", "--save-columns", "Notes"
        )
        assert code == 0, err
        assert "The columns are saved as 'Notes'" in out
        second = write(self.tmp, "b.csv", "Note,When,Company\nExports fail,2025-01-03,Initech\n")
        code, out, err = self.run_cli(str(second), "--columns", "Notes")
        assert code == 0, err
        assert Evidence.objects.get(text="Exports fail").account is None
        code, _, err = self.run_cli(str(second), "--columns", "Nope")
        assert code != 0 and "no columns are saved under that name (saved: Notes)" in err

    def test_bad_rows_exit_2_and_list_every_problem(self) -> None:
        rows = "".join(f"item {i},not-a-date-{i}\n" for i in range(30))
        path = write(self.tmp, "bad.csv", "text,date\n" + rows)
        report = self.tmp / "errors.csv"
        code, _, err = self.run_cli(str(path), "--report", str(report))
        assert code == 2
        assert "30 rows are not valid in bad.csv; nothing was imported" in err
        # The field, and the file's own name for the column it came from.
        assert "line 2, occurred_at (column 'date'): 'not-a-date-0' is not a date" in err
        assert "... and 10 more (all of them are in" in err
        assert "Traceback" not in err
        lines = report.read_text().splitlines()
        assert lines[0] == "line,field,reason" and len(lines) == 31
        assert not Evidence.objects.exists()

    def test_file_problems_are_one_paragraph_with_exit_2(self) -> None:
        cases = {
            "missing": (str(self.tmp / "nope.csv"), "does not exist"),
            "empty": (str(write(self.tmp, "empty.csv", "")), "empty.csv is empty"),
            "binary": (str(write(self.tmp, "x.csv", b"PK\x03\x04\x00\x00")), "ZIP archive"),
        }
        for name, (path, expected) in cases.items():
            with self.subTest(name):
                code, _, err = self.run_cli(path)
                assert code == 2
                assert expected in err
                assert err.startswith("problemspace: ") and "Traceback" not in err
                assert "\n\n" not in err.strip()

    def test_bad_options_are_explained(self) -> None:
        path = str(write(self.tmp, "t.csv", "text,date\nx,2025-01-01\n"))
        for argv, expected in [
            (["--map", "text"], "is not FIELD=COLUMN"),
            (["--map", "body=Text"], "there is no field 'body'"),
            (["--channel", "fax"], "--channel 'fax' is not a channel"),
            (["--timezone", "Mars/Base"], "is not a time zone"),
            (["--encoding", "klingon"], "is not an encoding"),
        ]:
            with self.subTest(argv=argv):
                code, _, err = self.run_cli(path, *argv)
                assert code == 2
                assert expected in err

    def test_an_unknown_workspace_is_named(self) -> None:
        path = str(write(self.tmp, "t.csv", "text,date\nx,2025-01-01\n"))
        code = main(["import", path, "--workspace", "nope"])
        _, err = self.capsys.readouterr()
        assert code == 2
        assert "There is no workspace 'nope'" in err and "acme" in err


class RestoreThroughImportTestCase(CliTestCase):
    def test_a_workspace_export_is_restored_into_an_empty_workspace(self) -> None:
        path = write(self.tmp, "tickets.csv", "Body,Created,Company\nSSO please,2025-01-02,Acme\n")
        assert self.run_cli(str(path))[0] == 0
        export = self.tmp / "acme.json"
        assert main(["export", "-w", "acme", "-o", str(export)]) == 0
        assert main(["init", "--workspace", "Copy"]) == 0
        self.capsys.readouterr()
        assert main(["import", str(export), "-w", "copy"]) == 0
        out, _ = self.capsys.readouterr()
        assert "Restored acme.json into copy" in out
        copied = Evidence.objects.get(workspace__slug="copy")
        assert (copied.text, copied.account.name if copied.account else None) == (
            "SSO please",
            "Acme",
        )

    def test_restoring_into_a_workspace_with_evidence_is_refused(self) -> None:
        path = write(self.tmp, "tickets.csv", "Body,Created\nSSO please,2025-01-02\n")
        self.run_cli(str(path))
        export = self.tmp / "acme.json"
        main(["export", "-w", "acme", "-o", str(export)])
        self.capsys.readouterr()
        code, _, err = self.run_cli(str(export))
        assert code == 2
        assert "is not empty" in err and "Nothing was restored" in err
        assert Evidence.objects.count() == 1
