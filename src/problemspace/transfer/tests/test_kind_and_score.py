"""Export format 5: an item's kind (with a person's corrections) and its score travel with the
workspace; files of format 4 and older restore with neither; the evidence CSV carries both and
an import of it reads the score back, not the kind."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from problemspace.evidence.importing import ImportOptions, import_evidence
from problemspace.evidence.models import Evidence, Kind
from problemspace.evidence.tests.factories import make_evidence
from problemspace.testing import BaseTestCase
from problemspace.transfer import RestoreError, export_evidence_csv
from problemspace.transfer.tests.builders import (
    as_of_version,
    export_document,
    restore_document,
)
from problemspace.workspaces.models import Workspace

ADDED = ("kind", "kind_corrected", "kind_confidence", "score", "score_scale")


class KindAndScoreExportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.corrected = make_evidence(
            self.workspace,
            "Thanks!",
            kind=Kind.PRAISE,
            kind_corrected=True,
            score=4.5,
            score_scale="stars",
        )
        self.guessed = make_evidence(
            self.workspace,
            "n/a",
            kind=Kind.OTHER,
            kind_confidence=0.875,
            score=0,
            score_scale="nps",
        )
        self.plain = make_evidence(self.workspace, "Exports fail.")
        self.empty = Workspace.objects.create(name="Restored", slug="restored")

    def test_the_export_carries_kind_and_score(self) -> None:
        document = export_document(self.workspace)
        self.assertEqual(document["version"], 7)
        by_text = {item["text"]: {key: item[key] for key in ADDED} for item in document["evidence"]}
        self.assertEqual(
            by_text,
            {
                "Thanks!": {
                    "kind": "praise",
                    "kind_corrected": True,
                    "kind_confidence": None,
                    "score": 4.5,
                    "score_scale": "stars",
                },
                "n/a": {
                    "kind": "other",
                    "kind_corrected": False,
                    "kind_confidence": 0.875,
                    "score": 0.0,
                    "score_scale": "nps",
                },
                "Exports fail.": {
                    "kind": "",
                    "kind_corrected": False,
                    "kind_confidence": None,
                    "score": None,
                    "score_scale": "",
                },
            },
        )

    def test_they_restore_as_they_were(self) -> None:
        restore_document(self.empty, export_document(self.workspace))
        restored = {
            e.text: tuple(getattr(e, key) for key in ADDED)
            for e in Evidence.objects.filter(workspace=self.empty)
        }
        self.assertEqual(
            restored,
            {
                "Thanks!": ("praise", True, None, 4.5, "stars"),
                "n/a": ("other", False, 0.875, 0.0, "nps"),
                "Exports fail.": ("", False, None, None, ""),
            },
        )

    def test_a_version_4_file_restores_without_them(self) -> None:
        document = as_of_version(export_document(self.workspace), 4)
        self.assertNotIn("kind", document["evidence"][0])
        restore_document(self.empty, document)
        self.assertEqual(
            set(Evidence.objects.filter(workspace=self.empty).values_list(*ADDED)),
            {("", False, None, None, "")},
        )

    def test_a_version_4_file_may_not_have_them(self) -> None:
        document = as_of_version(export_document(self.workspace), 4)
        document["evidence"][0]["kind"] = "praise"
        with self.assertRaisesMessage(
            RestoreError, 'evidence[0] has "kind", which format version 4 does not define'
        ):
            restore_document(self.empty, document)

    def test_it_refuses_a_score_its_scale_does_not_allow(self) -> None:
        cases = [
            (
                {"score": 7, "score_scale": "stars"},
                "evidence[0].score: '7' is not on the stars scale (1 to 5).",
            ),
            (
                {"score": 4, "score_scale": ""},
                "evidence[0].score is 4 but its score_scale is empty",
            ),
            (
                {"score": None, "score_scale": "nps"},
                'evidence[0].score_scale is "nps" but its score is null',
            ),
            ({"score_scale": "percent"}, "evidence[0].score_scale is 'percent'; it must be one of"),
            ({"kind": "rant"}, "evidence[0].kind is 'rant'; it must be one of"),
            (
                {"kind_corrected": "yes"},
                "evidence[0].kind_corrected is 'yes'; it must be true or false",
            ),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                document = export_document(self.workspace)
                document["evidence"][0].update(change)
                with self.assertRaisesMessage(RestoreError, message):
                    restore_document(self.empty, document)
                self.assertFalse(Evidence.objects.filter(workspace=self.empty).exists())


class KindAndScoreCsvTestCase(BaseTestCase):
    def test_the_csv_carries_kind_and_score_and_reads_the_score_back(self) -> None:
        make_evidence(
            self.workspace,
            "Thanks!",
            kind=Kind.PRAISE,
            kind_corrected=True,
            score=4,
            score_scale="stars",
        )
        make_evidence(self.workspace, "Meh.", kind=Kind.PROBLEM, score=6.5, score_scale="nps")
        stream = io.StringIO(newline="")
        export_evidence_csv(self.workspace, stream)
        text = stream.getvalue()
        self.assertIn(",praise,4,stars,", text)
        self.assertIn(",problem,6.5,nps,", text)
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "evidence.csv"
        path.write_text(text, encoding="utf-8", newline="")
        copy = Workspace.objects.create(name="Copy", slug="copy")
        report = import_evidence(copy, path, ImportOptions())
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(report.ignored_columns, ["kind"])
        self.assertEqual(
            set(
                Evidence.objects.filter(workspace=copy).values_list(
                    "text", "score", "score_scale", "kind"
                )
            ),
            {("Thanks!", 4.0, "stars", ""), ("Meh.", 6.5, "nps", "")},
        )
