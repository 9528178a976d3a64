"""Streaming readers: one record at a time with the line it starts on, never the whole file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from problemspace.evidence.importing.errors import ImportFileError

# Large enough to read a pathological 10 MB cell and report it as too long for evidence, small
# enough that a corrupt file (one unclosed quote) cannot swallow gigabytes into one field.
MAX_FIELD_SIZE = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_SIZE)


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    values: dict[str, Any] | None  # None when the record itself is malformed, or skipped
    problem: str = ""
    skipped: str = ""  # why a record that is not data is left out (a report's footer)


class ByteCounter(io.RawIOBase):
    """A raw file that counts the bytes read through it, for the progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self.bytes_read += n or 0
        return n or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_text(path: Path, encoding: str) -> tuple[IO[str], ByteCounter]:
    counter = ByteCounter(path.open("rb", buffering=0))
    buffered = io.BufferedReader(counter, buffer_size=1 << 20)
    return io.TextIOWrapper(buffered, encoding=encoding, newline=""), counter


class CsvReader:
    """Rows of a CSV file as column -> value.

    A column named twice (Jira writes "Labels" once per label) reads as the list of its
    non-empty values. A survey export with a second header row (SurveyMonkey's "Response",
    "Open-Ended Response" and answer options under each question) reads with the two merged.
    """

    def __init__(self, handle: IO[str], delimiter: str, name: str) -> None:
        self._reader = csv.reader(handle, delimiter=delimiter)
        self._name = name
        try:
            header = next(self._reader)
        except StopIteration:
            raise ImportFileError(f"{name} is empty: there is nothing to import.") from None
        except csv.Error as exc:
            raise ImportFileError(f"{name}, line 1: the header cannot be read ({exc}).") from None
        header = [column.strip().lstrip("\ufeff") for column in header]
        self.open_ended: set[str] = set()  # a survey's free-text questions, where it says
        if _has_subheader(header):
            header = self._merge_subheader(header)
        # A spreadsheet's trailing comma makes a column with no name: it is shown, and left out.
        header = [column or f"(column {n})" for n, column in enumerate(header, start=1)]
        self._header = header
        self.width = len(header)
        self.columns = list(dict.fromkeys(header))
        self._repeated = len(self.columns) != len(header)

    def _merge_subheader(self, header: list[str]) -> list[str]:
        try:
            sub = next(self._reader)
        except (StopIteration, csv.Error):
            return header
        merged, question = [], ""
        for n, column in enumerate(header):
            question = column or question
            detail = sub[n].strip() if n < len(sub) else ""
            plain = detail in ("", "Response", "Open-Ended Response") or not question
            name = question if plain else f"{question} - {detail}"
            merged.append(name)
            if detail == "Open-Ended Response" or detail.lower().startswith("other (please"):
                self.open_ended.add(name)
        return merged

    def _values(self, row: list[str]) -> dict[str, Any]:
        if not self._repeated:
            return dict(zip(self.columns, row, strict=True))
        values: dict[str, Any] = {}
        for column, value in zip(self._header, row, strict=True):
            if column not in values:
                values[column] = value
                continue
            previous = values[column]
            merged = previous if isinstance(previous, list) else [previous] if previous else []
            if value:
                merged.append(value)
            values[column] = merged
        return values

    def __iter__(self) -> Iterator[Record]:
        width = self.width
        reader = self._reader
        end = reader.line_num
        after_blank = False
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    f"{self._name}, line {reader.line_num}: the file cannot be read past this "
                    f"point ({exc}). Usually a quote is not closed or a field is larger than "
                    f"{MAX_FIELD_SIZE // (1024 * 1024)} MB."
                ) from None
            end = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                after_blank = True
                continue
            if after_blank and len(row) == 1 and width > 1:
                # A report's footer under the data ("Generated By: ...", "Confidential"),
                # as Salesforce writes it: after a blank line, one cell a line.
                yield Record(start, None, skipped="a report's footer, under a blank line")
                continue
            if len(row) != width:
                yield Record(
                    start,
                    None,
                    f"has {len(row)} fields but the header has {width}; a field holding the "
                    "delimiter may lack quotes",
                )
                continue
            yield Record(start, self._values(row))


def _has_subheader(header: list[str]) -> bool:
    lowered = {column.lower() for column in header}
    return {"respondent id", "collector id"} <= lowered


class JsonLinesReader:
    def __init__(self, handle: IO[str], name: str) -> None:
        self._handle = handle
        self._name = name
        self.columns: list[str] = []  # known only as records arrive

    def __iter__(self) -> Iterator[Record]:
        for number, line in enumerate(self._handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Record(number, None, f"is not valid JSON ({exc.msg}, column {exc.colno})")
                continue
            if not isinstance(value, dict):
                yield Record(number, None, "is not a JSON object ({...})")
                continue
            yield Record(number, value)


class JsonArrayReader:
    """A file holding one JSON array of objects (`gh issue list --json ...`, most APIs' dumps),
    streamed item by item: record N is the array's Nth item."""

    def __init__(self, handle: IO[bytes], name: str) -> None:
        self._handle = handle
        self._name = name
        self.columns: list[str] = []

    def __iter__(self) -> Iterator[Record]:
        number = 0
        try:
            for value in ijson.items(self._handle, "item", use_float=True):
                number += 1
                if not isinstance(value, dict):
                    yield Record(number, None, "is not a JSON object ({...})")
                    continue
                yield Record(number, value)
        except ijson.JSONError as exc:
            raise ImportFileError(
                f"{self._name}: the JSON cannot be read after item {number} ({exc})."
            ) from None
