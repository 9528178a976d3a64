"""Every kind of bad file gets a clear message and leaves the database exactly as it was."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from problemspace.evidence.importing import ImportFileError
from problemspace.evidence.tests.importing_helpers import run_import, snapshot, write
from problemspace.evidence.tests.test_import_csv import ZENDESK
from problemspace.testing import BaseTestCase


class BadInputTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        # Something already in the workspace, which no failed import may touch.
        run_import(self.workspace, write(self.tmp, "zendesk.csv", ZENDESK))
        self.before = snapshot(self.workspace)

    def tearDown(self) -> None:
        assert snapshot(self.workspace) == self.before

    def file_error(self, name: str, content: str | bytes, **options: object) -> str:
        path = write(self.tmp, name, content)
        with pytest.raises(ImportFileError) as caught:
            run_import(self.workspace, path, **options)
        return str(caught.value)

    def row_errors(self, name: str, content: str, **options: object) -> list[str]:
        report = run_import(self.workspace, write(self.tmp, name, content), **options)
        assert not report.ok and not report.written
        return [str(error) for error in report.errors]

    def test_an_empty_file(self) -> None:
        assert "empty.csv is empty" in self.file_error("empty.csv", "")
        assert "blank.csv is empty" in self.file_error("blank.csv", "\n\n  \n")

    def test_a_header_without_rows(self) -> None:
        assert "has no rows" in self.file_error("header.csv", "text,date\n")

    def test_a_binary_file(self) -> None:
        assert "binary" in self.file_error("data.csv", b"text,date\n\x00\x01\x02\x03")
        message = self.file_error("sheet.csv", b"PK\x03\x04" + b"\x00" * 100)
        assert "spreadsheet" in message and "Export it as CSV" in message

    def test_an_encoding_that_is_neither_utf8_nor_cp1252(self) -> None:
        message = self.file_error("odd.csv", b"text,date\n\x81\x8d bad,2025-01-01\n")
        assert "neither UTF-8 nor Windows-1252" in message and "--encoding" in message

    def test_a_wrong_encoding_given_by_hand(self) -> None:
        content = "text,date\nCafé crème,2025-01-01\n".encode("cp1252")
        message = self.file_error("latin.csv", content, encoding="utf-8")
        assert "cannot be read as utf-8" in message

    def test_no_text_column(self) -> None:
        message = self.file_error("notext.csv", "id,date,stars\n1,2025-01-01,3\n")
        assert "no column with the evidence text" in message
        assert "--map text=COLUMN" in message and "id, date, stars" in message

    def test_a_mapping_to_a_missing_column(self) -> None:
        message = self.file_error(
            "map.csv", "Body,When\nx,2025-01-01\n", mapping={"text": "Comment"}
        )
        assert "has no column 'Comment'" in message and "Body, When" in message

    def test_a_10_mb_cell(self) -> None:
        huge = "x" * (10 * 1024 * 1024)
        errors = self.row_errors("huge.csv", f"text,date\n{huge},2025-01-01\nfine,2025-01-01\n")
        assert errors == ["line 2, text: is 10,485,760 characters long; the limit is 20,000"]

    def test_rows_with_too_few_or_too_many_fields(self) -> None:
        content = "text,date,account\nok,2025-01-01,A\nshort,2025-01-01\nlong,2025-01-01,A,B\n"
        errors = self.row_errors("fields.csv", content)
        assert errors[0].startswith("line 3: has 2 fields but the header has 3")
        assert errors[1].startswith("line 4: has 4 fields but the header has 3")

    def test_unparseable_dates(self) -> None:
        content = "text,date\na,yesterday-ish\nb,\nc,2025-02-30\nd,2999-01-01\n"
        errors = self.row_errors("dates.csv", content)
        assert errors == [
            "line 2, occurred_at: 'yesterday-ish' is not a date",
            "line 3, occurred_at: is empty; every item needs a date",
            "line 4, occurred_at: '2025-02-30' is not a date",
            "line 5, occurred_at: '2999-01-01' is in the future",
        ]

    def test_duplicate_external_ids_in_one_file(self) -> None:
        content = "id,text,date\n7,a,2025-01-01\n8,b,2025-01-01\n7,c,2025-01-01\n"
        errors = self.row_errors("dupes.csv", content)
        assert errors == [
            "line 4, external_id: '7' is also the id of line 2; each row needs its own"
        ]

    def test_a_contact_email_that_is_not_an_email(self) -> None:
        errors = self.row_errors("mail.csv", "text,date,email\na,2025-01-01,bob@\n")
        assert errors == ["line 2, contact_email: 'bob@' is not an email address"]

    def test_an_unknown_provenance(self) -> None:
        errors = self.row_errors("enum.csv", "text,date,provenance\na,2025-01-01,gossip\n")
        assert errors[0].startswith("line 2, provenance: 'gossip' is not one of: first_hand")

    def test_one_bad_row_after_many_good_ones_writes_nothing(self) -> None:
        rows = "".join(f"id-{i},item {i},2025-01-01\n" for i in range(5000))
        errors = self.row_errors("late.csv", f"id,text,date\n{rows}bad,text,2025-02-30\n")
        assert errors == ["line 5002, occurred_at: '2025-02-30' is not a date"]

    def test_an_unclosed_quote(self) -> None:
        content = 'text,date\n"never closed,2025-01-01\nnext,2025-01-01\n'
        errors = self.row_errors("quote.csv", content)
        assert errors == [
            "line 2: has 1 fields but the header has 2; a field holding the "
            "delimiter may lack quotes"
        ]
