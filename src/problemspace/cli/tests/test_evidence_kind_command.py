"""`problemspace evidence --kind` lists items of one kind; `--set-kind KIND --id N` corrects
what items are, as an editor does in the inbox."""

from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from io import StringIO

from problemspace.cli.main import main
from problemspace.evidence.models import Evidence, Kind
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.testing import BaseTestCase


class EvidenceKindCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.praise = make_evidence(
            self.workspace,
            "Love it.",
            kind=Kind.PRAISE,
            kind_confidence=0.8,
            score=5,
            score_scale="stars",
        )
        self.blank = make_evidence(
            self.workspace, "n/a", kind=Kind.OTHER, occurred_at=BASE_TIME - timedelta(days=1)
        )
        self.undecided = make_evidence(
            self.workspace, "Exports fail.", occurred_at=BASE_TIME - timedelta(days=2)
        )
        self.theirs = make_evidence(self.other_workspace, "Not acme's.", kind=Kind.PROBLEM)

    def run_cli(self, *args: str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["evidence", "--workspace", "acme", *args])
        return code, out.getvalue(), " ".join(err.getvalue().split())

    def listed(self, *args: str) -> list[dict[str, object]]:
        code, out, err = self.run_cli(*args, "--format", "json")
        self.assertEqual(code, 0, err)
        rows: list[dict[str, object]] = json.loads(out)
        return rows

    def test_it_lists_one_kind(self) -> None:
        self.assertEqual([r["id"] for r in self.listed("--kind", "praise")], [self.praise.pk])
        self.assertEqual([r["id"] for r in self.listed("--kind", "set aside")], [self.blank.pk])
        # Without --kind, everything, what synthesis set aside included.
        self.assertEqual(len(self.listed()), 3)

    def test_json_carries_kind_and_score(self) -> None:
        (row,) = self.listed("--kind", "praise")
        self.assertEqual(
            {
                k: row[k]
                for k in ("kind", "kind_corrected", "kind_confidence", "score", "score_scale")
            },
            {
                "kind": "praise",
                "kind_corrected": False,
                "kind_confidence": 0.8,
                "score": 5.0,
                "score_scale": "stars",
            },
        )

    def test_the_table_shows_kind_and_score(self) -> None:
        code, out, _ = self.run_cli("--kind", "praise")
        self.assertEqual(code, 0)
        self.assertIn("Praise, ★ 5/5", out)

    def test_set_kind_corrects_the_items_given(self) -> None:
        code, out, err = self.run_cli(
            "--set-kind", "question", "--id", str(self.undecided.pk), "--id", str(self.blank.pk)
        )
        self.assertEqual(code, 0, err)
        self.assertEqual(out.strip(), "Marked 2 items as question.")
        for item in (self.undecided, self.blank):
            item.refresh_from_db()
            self.assertEqual(
                (item.kind, item.kind_corrected, item.kind_confidence),
                (Kind.QUESTION, True, None),
            )

    def test_ids_may_be_comma_separated(self) -> None:
        code, out, _ = self.run_cli(
            "--set-kind", "other", "--id", f"{self.praise.pk},{self.undecided.pk}"
        )
        self.assertEqual(code, 0)
        self.assertEqual(out.strip(), "Set 2 items aside as having no content.")
        self.assertEqual(Evidence.objects.filter(kind=Kind.OTHER, kind_corrected=True).count(), 2)

    def test_mistakes_are_user_errors_and_change_nothing(self) -> None:
        cases = {
            (
                "--set-kind",
                "rant",
                "--id",
                str(self.praise.pk),
            ): "There is no kind 'rant'; use one of problem, request, question, praise, other.",
            ("--set-kind", "praise"): "Say which items to correct with --id N",
            ("--set-kind", "praise", "--id", "twelve"): "--id 'twelve' is not an evidence id",
            (
                "--set-kind",
                "praise",
                "--id",
                str(self.theirs.pk),
            ): f"There is no evidence item {self.theirs.pk} in workspace 'acme'; nothing changed.",
            ("--set-kind", "praise", "--kind", "other", "--id", "1"): "leave out --kind",
            ("--id", str(self.praise.pk)): "--id names the items --set-kind corrects",
            ("--kind", "rant"): "There is no kind 'rant'",
        }
        for args, message in cases.items():
            with self.subTest(args=args):
                code, out, err = self.run_cli(*args)
                self.assertEqual(code, 2)
                self.assertEqual(out, "")
                self.assertIn(message, err)
                self.assertNotIn("Traceback", err)
        self.assertFalse(Evidence.objects.filter(kind_corrected=True).exists())
