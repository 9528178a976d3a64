from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest

from problemspace.cli.main import main
from problemspace.evidence.models import Evidence
from problemspace.testing import BaseTestCase
from problemspace.transfer import CSV_COLUMNS
from problemspace.transfer.tests.builders import fill


class ExportCommandTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fill(cls.workspace)

    @pytest.fixture(autouse=True)
    def _capture(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        self.capsys = capsysbinary

    def setUp(self) -> None:
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_it_writes_the_workspace_to_a_file(self) -> None:
        target = self.folder / "acme.json"
        self.assertEqual(main(["export", "-w", "acme", "-o", str(target)]), 0)
        document = json.loads(target.read_text(encoding="utf-8"))
        self.assertEqual(document["workspace"]["slug"], "acme")
        self.assertEqual(
            len(document["evidence"]), Evidence.objects.filter(workspace=self.workspace).count()
        )
        self.assertEqual(list(self.folder.iterdir()), [target])  # no temporary file left
        self.assertIn(b"Exported 21 evidence items", self.capsys.readouterr().err)

    def test_the_file_gets_the_usual_permissions(self) -> None:
        target = self.folder / "acme.json"
        main(["export", "-w", "acme", "-o", str(target)])
        umask = os.umask(0)
        os.umask(umask)
        self.assertEqual(target.stat().st_mode & 0o777, 0o666 & ~umask)

    def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(self) -> None:
        target = self.folder / "acme.json"
        target.write_text("the previous export")

        def fail_half_way(workspace: object, stream: io.TextIOBase) -> None:
            stream.write('{"format": "problemspace-workspace", ')
            raise RuntimeError("the database went away")

        with (
            mock.patch("problemspace.cli.commands.export.export_workspace", fail_half_way),
            self.assertRaises(RuntimeError),
        ):
            main(["export", "-w", "acme", "-o", str(target)])
        self.assertEqual(target.read_text(), "the previous export")
        self.assertEqual(list(self.folder.iterdir()), [target])

    def test_it_writes_csv_when_asked_or_when_the_file_ends_in_csv(self) -> None:
        for args in (["-o", "evidence.csv"], ["--format", "csv", "-o", "evidence.txt"]):
            with self.subTest(args=args):
                args[-1] = str(self.folder / args[-1])
                self.assertEqual(main(["export", "-w", "acme", *args]), 0)
                with Path(args[-1]).open(encoding="utf-8", newline="") as handle:
                    rows = list(csv.reader(handle))
                self.assertEqual(rows[0], list(CSV_COLUMNS))
                self.assertEqual(len(rows), 22)

    def test_it_writes_to_standard_output_by_default(self) -> None:
        self.assertEqual(main(["export", "-w", "acme"]), 0)
        document = json.loads(self.capsys.readouterr().out.decode("utf-8"))
        self.assertEqual(document["format"], "problemspace-workspace")

    def test_an_unknown_workspace_is_a_user_error(self) -> None:
        target = self.folder / "x.json"
        self.assertEqual(main(["export", "-w", "nope", "-o", str(target)]), 2)
        err = self.capsys.readouterr().err.decode()
        self.assertIn("There is no workspace 'nope'", err)
        self.assertNotIn("Traceback", err)
        self.assertFalse(target.exists())

    def test_several_workspaces_need_a_choice(self) -> None:
        with mock.patch.dict(os.environ, {"PROBLEMSPACE_WORKSPACE": ""}):
            self.assertEqual(main(["export"]), 2)
        self.assertIn(b"choose one with --workspace", self.capsys.readouterr().err)

    def test_a_missing_folder_is_a_user_error(self) -> None:
        target = self.folder / "no" / "such" / "x.json"
        self.assertEqual(main(["export", "-w", "acme", "-o", str(target)]), 2)
        self.assertIn(b"does not exist", self.capsys.readouterr().err)

    def test_a_folder_is_not_a_file(self) -> None:
        self.assertEqual(main(["export", "-w", "acme", "-o", str(self.folder)]), 2)
        self.assertIn(b"is a folder", self.capsys.readouterr().err)
