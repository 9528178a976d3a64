"""Reading a workspace export incrementally: the top-level keys in order, one item at a time.

ijson turns the byte stream into parse events without ever holding the document; this module
builds each item of a section from those events and hands it over before reading the next,
so memory stays bounded by the largest single item, however long the file is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

from problemspace.transfer.errors import RestoreError
from problemspace.transfer.schema import TOP_LEVEL_KEYS

# Items are objects holding lists of ids, or of answers that may each hold a list of strings,
# and a brief's snapshot (sections of lists of quotes, a few levels more); anything deeper is not
# this format, and a limit keeps a hostile file from exhausting the stack.
MAX_DEPTH = 16
_BOM = b"\xef\xbb\xbf"


class _SkipBom:
    """A byte stream without a leading UTF-8 byte order mark (Windows editors add one)."""

    def __init__(self, stream: IO[bytes]) -> None:
        head = stream.read(len(_BOM))
        self._head = b"" if head == _BOM else head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        # ijson calls read(0) to learn whether the stream gives bytes; that must consume nothing.
        if not self._head or size == 0:
            return self._stream.read(size)
        head, self._head = self._head, b""
        if size < 0:
            return head + self._stream.read()
        return head + self._stream.read(max(size - len(head), 0))


class Document:
    """A workspace export being read front to back.

    `position` always says where the reader is ("in evidence[41]"), so that a file that ends
    early or breaks the JSON syntax is reported at the item where it happened.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._events = ijson.basic_parse(_SkipBom(stream), use_float=False)
        # The keys of the file's own format version, known once its header is read.
        self.keys: tuple[str, ...] = TOP_LEVEL_KEYS
        self.version = 0
        self.position = "at its start"

    def read_as(self, version: int, keys: tuple[str, ...]) -> None:
        """Expect the top-level keys of format `version` from here on."""
        self.version, self.keys = version, keys

    def open(self) -> None:
        event, _ = self._next()
        if event != "start_map":
            raise RestoreError(
                "The file is not a problemspace workspace export: it does not hold a JSON object."
            )

    def key(self, expected: str) -> None:
        """Step over the next top-level key, which must be `expected`."""
        event, value = self._next()
        if event == "end_map":
            raise RestoreError(f'The file has no "{expected}" at its top level.')
        if value != expected:
            order = ", ".join(f'"{key}"' for key in self.keys)
            raise RestoreError(
                f'The file has "{value}" at its top level where "{expected}" was expected; the'
                f" keys must come in this order, which lets restore read the file once: {order}."
            )

    def value(self, where: str) -> Any:
        self.position = f"in {where}"
        event, value = self._next()
        return self._build(event, value, where, 0)

    def items(self, section: str) -> Iterator[tuple[str, Any]]:
        """Each item of the list `section` with its JSON path, built one at a time."""
        self.position = f'at "{section}"'
        event, value = self._next()
        if event != "start_array":
            raise RestoreError(f'"{section}" must be a list; it is {_kind(event)}.')
        index = 0
        while True:
            where = f"{section}[{index}]"
            self.position = f"in {where}"
            event, value = self._next()
            if event == "end_array":
                break
            yield where, self._build(event, value, where, 0)
            index += 1
        self.position = f'after "{section}"'

    def close(self) -> None:
        event, value = self._next()
        if event != "end_map":
            raise RestoreError(
                f'The file has "{value}" at its top level after "{self.keys[-1]}"; format'
                f" version {self.version} ends there. Was it written by a newer problemspace?"
            )
        self.position = "after its end"
        try:
            for _ in self._events:
                raise RestoreError("The file goes on after its end.")
        except ijson.JSONError as exc:  # ijson reports what follows the object as an error
            raise RestoreError(_syntax_message(exc, self.position)) from None

    def _next(self) -> tuple[str, Any]:
        try:
            event: tuple[str, Any] = next(self._events)
        except StopIteration:
            raise RestoreError(f"The file ends {self.position}: it is incomplete.") from None
        except ijson.JSONError as exc:
            raise RestoreError(_syntax_message(exc, self.position)) from None
        return event

    def _build(self, event: str, value: Any, where: str, depth: int) -> Any:
        if event == "start_map":
            if depth >= MAX_DEPTH:
                raise RestoreError(f"{where} is nested too deeply for this format.")
            result: dict[str, Any] = {}
            while True:
                event, key = self._next()
                if event == "end_map":
                    return result
                if key in result:
                    raise RestoreError(f'{where} has "{key}" twice.')
                event, value = self._next()
                result[key] = self._build(event, value, where, depth + 1)
        if event == "start_array":
            if depth >= MAX_DEPTH:
                raise RestoreError(f"{where} is nested too deeply for this format.")
            items: list[Any] = []
            while True:
                event, value = self._next()
                if event == "end_array":
                    return items
                items.append(self._build(event, value, where, depth + 1))
        return value


def _kind(event: str) -> str:
    return {"start_map": "an object", "map_key": "a key"}.get(event, "a single value")


def _syntax_message(exc: Exception, position: str) -> str:
    # yajl's message is "parse error: premature EOF" plus a drawing of the spot; the first line
    # is what a person can use, and `position` says which item it is in.
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown error"
    for prefix in ("parse error: ", "lexical error: ", "b'lexical error: "):
        detail = detail.removeprefix(prefix)
    if "premature EOF" in detail:
        return (
            f"The file ends {position}: it is incomplete (was the export or its copy cut short?)."
        )
    detail = detail.split("\\n")[0].rstrip(".")
    return f"The file is not valid JSON {position}: {detail}."
