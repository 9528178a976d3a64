"""Streaming readers: one record at a time with the line it starts on, never the whole file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from problemspace.evidence.importing.errors import ImportFileError

# Large enough to read a pathological 10 MB cell and report it as too long for evidence, small
# enough that a corrupt file (one unclosed quote) cannot swallow gigabytes into one field.
MAX_FIELD_SIZE = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_SIZE)


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    values: dict[str, Any] | None  # None when the record itself is malformed
    problem: str = ""


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
    def __init__(self, handle: IO[str], delimiter: str, name: str) -> None:
        self._reader = csv.reader(handle, delimiter=delimiter)
        self._name = name
        try:
            header = next(self._reader)
        except StopIteration:
            raise ImportFileError(f"{name} is empty: there is nothing to import.") from None
        except csv.Error as exc:
            raise ImportFileError(f"{name}, line 1: the header cannot be read ({exc}).") from None
        self.columns = [column.strip().lstrip("\ufeff") for column in header]
        seen: set[str] = set()
        for column in self.columns:
            if column.lower() in seen:
                raise ImportFileError(
                    f"{name}: the column {column!r} appears twice in the header; "
                    "rename one so each column has its own name."
                )
            seen.add(column.lower())

    def __iter__(self) -> Iterator[Record]:
        width = len(self.columns)
        reader = self._reader
        end = reader.line_num
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
                continue
            if len(row) != width:
                yield Record(
                    start,
                    None,
                    f"has {len(row)} fields but the header has {width}; a field holding the "
                    "delimiter may lack quotes",
                )
                continue
            yield Record(start, dict(zip(self.columns, row, strict=True)))


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
