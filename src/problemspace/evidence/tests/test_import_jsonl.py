from __future__ import annotations

import json
import tempfile
from pathlib import Path

from problemspace.evidence.importing.layout import SKIPPED_NO_WORDS
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.importing_helpers import run_import, snapshot, write
from problemspace.testing import BaseTestCase


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


class ImportJsonLinesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def test_it_imports_nested_records_with_a_mapping(self) -> None:
        content = jsonl(
            {
                "id": "r-1",
                "comment": {"body": "Sync breaks every Monday"},
                "created_at": "2025-04-01T08:00:00Z",
                "requester": {"email": "kim@globex.com", "name": "Kim"},
                "labels": ["sync", "Monday"],
            },
            {
                "id": "r-2",
                "comment": {"body": "Love the new dashboard"},
                "created_at": "2025-04-02",
            },
        )
        path = write(self.tmp, "reviews.jsonl", content)
        report = run_import(
            self.workspace,
            path,
            mapping={"text": "comment.body", "contact_email": "requester.email"},
        )
        assert report.ok, report.errors
        item = Evidence.objects.get(external_id="r-1")
        assert item.text == "Sync breaks every Monday"
        assert item.contact is not None and item.contact.email == "kim@globex.com"
        assert sorted(item.tags.values_list("name", flat=True)) == ["monday", "sync"]
        assert report.format == "jsonl"

    def test_it_reports_lines_that_are_not_json_objects(self) -> None:
        content = jsonl({"text": "ok", "date": "2025-01-01"}) + "{broken\n[1, 2]\n"
        report = run_import(self.workspace, write(self.tmp, "mixed.jsonl", content))
        assert [str(e) for e in report.errors] == [
            "line 2: is not valid JSON (Expecting property name enclosed in double quotes, "
            "column 2)",
            "line 3: is not a JSON object ({...})",
        ]
        assert snapshot(self.workspace) == (0, 0, 0, 0, 0)

    def test_a_record_without_text_is_skipped_and_counted(self) -> None:
        content = jsonl({"text": "ok", "date": "2025-01-01"}, {"date": "2025-01-01"})
        report = run_import(self.workspace, write(self.tmp, "partial.jsonl", content))
        assert report.ok and report.created == 1
        assert report.skipped == {SKIPPED_NO_WORDS: 1}
