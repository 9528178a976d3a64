"""What kind of file is this, in which encoding, with which delimiter?

Only whole-file problems are found here (empty, binary, undecodable); row problems are the
row validator's job and are reported per line.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from problemspace.evidence.importing.errors import ImportFileError

_CHUNK = 1 << 20
_SAMPLE = 64 * 1024
_DELIMITERS = ",;\t|"
_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx or .numbers spreadsheet?)",
    b"\xd0\xcf\x11\xe0": "an old-style Office document (.xls?)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or cp1252, checked over the whole file.

    Checking the whole file costs one fast pass, and it is the only way to be sure: an export
    can be plain ASCII for a hundred thousand rows and then hold one Windows-1252 "é".
    """
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE)
        if not head.strip():
            raise ImportFileError(f"{path.name} is empty: there is nothing to import.")
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        else:
            encoding = "utf-8"
        for signature, kind in _SIGNATURES.items():
            if head.startswith(signature):
                raise ImportFileError(
                    f"{path.name} is {kind}, not a CSV or JSON Lines file. "
                    "Export it as CSV (UTF-8) and import that."
                )
        if b"\x00" in head:
            raise ImportFileError(
                f"{path.name} looks like a binary file (it contains NUL bytes), not a CSV or "
                "JSON Lines file."
            )
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            while chunk := handle.read(_CHUNK):
                # Most exports are mostly ASCII; checking that is far cheaper than decoding.
                # A multi-byte character split across chunks is still decoded whole, because
                # the decoder keeps the pending bytes until the next non-ASCII chunk.
                if not (chunk.isascii() and not decoder.getstate()[0]):
                    decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return _fallback_encoding(path, offset + exc.start)
    return encoding


def _fallback_encoding(path: Path, bad_offset: int) -> str:
    with path.open("rb") as handle:
        decoder = codecs.getincrementaldecoder("cp1252")()
        offset = 0
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
                offset += len(chunk)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"{path.name} is neither UTF-8 nor Windows-1252 (cp1252): byte "
                f"0x{chunk[exc.start]:02x} at offset {offset + exc.start} cannot be read "
                f"(the first non-UTF-8 byte is at offset {bad_offset}). Save the file as UTF-8, "
                "or pass its encoding with --encoding."
            ) from None
    return "cp1252"


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample, by the standard library's sniffer, with a fallback.

    The sniffer can fail on a sample whose first rows hold long quoted texts; the most frequent
    candidate in the header line is then the best guess.
    """
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def detect_format(path: Path, encoding: str) -> str:
    """csv, jsonl or json (one array of objects), from the extension, then the first character."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    with path.open(encoding=encoding, errors="replace") as handle:
        for line in handle:
            if line.strip():
                first = line.lstrip().lstrip("\ufeff")[:1]
                return {"{": "jsonl", "[": "json"}.get(first, "csv")
    return "csv"
