"""Turning an uploaded transcript (.txt, .vtt, .srt, .docx) into plain, readable text.

Plain Python, no Django: the web page, the API and the tests call the same functions. The
text kept is what a person reads, with who spoke and when: "[00:01:05] Dana: We close the
books in a week." Consecutive captions by the same speaker are joined into one paragraph,
because recording tools cut speech into two-second cues that are unreadable one per line.

Everything that goes wrong raises TranscriptError with a sentence for the person who
uploaded the file; nothing is half-read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath

import srt  # type: ignore[import-untyped]
import webvtt
from docx import Document
from webvtt.errors import MalformedCaptionError, MalformedFileError

MAX_BYTES = 50 * 1024 * 1024
# A transcript of a full working day is about 400,000 characters; more is not one interview.
MAX_CHARACTERS = 1_000_000
# A .docx is a zip: its parts unpacked may not exceed this, so a small "zip bomb" is refused
# before python-docx inflates it.
MAX_DOCX_UNPACKED = 200 * 1024 * 1024

FORMATS = {
    ".txt": "plain text",
    ".vtt": "WebVTT captions",
    ".srt": "SubRip captions",
    ".docx": "Word document",
}
ENCODINGS = ("utf-8", "cp1252")

_SPEAKER = re.compile(r"^(?P<speaker>[^\s:][^:\n]{0,60}):\s+(?P<text>.+)$", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class TranscriptError(ValueError):
    """The file cannot be used as a transcript; the message says why and what to do."""


@dataclass(frozen=True)
class Cue:
    start: timedelta | None
    speaker: str
    text: str


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f} MB"
    if size >= 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size} bytes"


def check_upload(filename: str, size: int) -> str:
    """The file's extension when it is a format we read and not too large.

    Called before the file is read, so a 50 MB upload is refused without reading it.
    """
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        shown = f"“{suffix}”" if suffix else "no extension"
        raise TranscriptError(
            f"That file has {shown}; a transcript must be one of {known}. Export it from your "
            "recording tool in one of these, or paste the text instead."
        )
    if size > MAX_BYTES:
        raise TranscriptError(
            f"That file is {format_size(size)}; transcripts are limited to "
            f"{format_size(MAX_BYTES)}. Upload the text alone (not the recording), or split it."
        )
    return suffix


def parse(filename: str, data: bytes) -> str:
    """The transcript in `data` as plain text, chosen by the extension of `filename`."""
    suffix = check_upload(filename, len(data))
    if suffix == ".docx":
        text = _docx(data)
    else:
        decoded = decode(data)
        if suffix == ".vtt":
            text = _render(_vtt_cues(decoded))
        elif suffix == ".srt":
            text = _render(_srt_cues(decoded))
        else:
            text = decoded
    return finish(text)


def finish(text: str) -> str:
    """Line ends made "\\n" and the ends trimmed, so character offsets are the same in the
    database, in the page and in the browser's selection; long texts refused."""
    text = normalise_newlines(text).strip()
    if "\x00" in text:
        raise TranscriptError("That text contains binary data (NUL characters); it is not text.")
    if not text:
        raise TranscriptError("There is no text in that transcript.")
    if len(text) > MAX_CHARACTERS:
        raise TranscriptError(
            f"That transcript is {len(text):,} characters long; the limit is "
            f"{MAX_CHARACTERS:,}. Split it into one transcript per interview."
        )
    return text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> str:
    """UTF-8 (with or without its byte-order mark), else Windows-1252, else refused.

    Windows-1252 leaves five byte values undefined, so random binary data and UTF-16 are
    refused rather than turned into mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise TranscriptError(
            "That file is not UTF-8 or Windows-1252 text (it looks like UTF-16 or binary). "
            "Save it as UTF-8 text and upload it again."
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TranscriptError(
        "That file's text encoding is not one we can read (UTF-8 or Windows-1252). "
        "Save it as UTF-8 text and upload it again."
    )


def _vtt_cues(text: str) -> list[Cue]:
    try:
        captions = webvtt.from_string(text)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptError(
            f"That .vtt file is not valid WebVTT ({_reason(exc)}). Export the captions again, "
            "or paste the text instead."
        ) from None
    cues = []
    for caption in captions.captions:
        speaker = (caption.voice or "").strip()
        body = " ".join(_TAG.sub("", caption.text).split())
        cues.append(_cue(timedelta(seconds=caption.start_in_seconds), speaker, body))
    return cues


def _srt_cues(text: str) -> list[Cue]:
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, srt.TimestampParseError, ValueError) as exc:
        raise TranscriptError(
            f"That .srt file is not valid SubRip ({_reason(exc)}). Export the captions again, "
            "or paste the text instead."
        ) from None
    if not subtitles and text.strip():
        raise TranscriptError("That .srt file has no captions in it.")
    return [
        _cue(subtitle.start, "", " ".join(_TAG.sub("", subtitle.content).split()))
        for subtitle in subtitles
    ]


def _cue(start: timedelta, speaker: str, body: str) -> Cue:
    # Caption files without voice tags often write the speaker into the text: "Dana: ...".
    if not speaker:
        match = _SPEAKER.match(body)
        if match and not match["speaker"].strip().isdigit():
            speaker, body = match["speaker"].strip(), match["text"].strip()
    return Cue(start, speaker, body)


def _render(cues: list[Cue]) -> str:
    """One paragraph per turn: the time it started, the speaker, what they said."""
    paragraphs: list[str] = []
    turn: list[Cue] = []

    def flush() -> None:
        if not turn:
            return
        first = turn[0]
        said = " ".join(cue.text for cue in turn if cue.text)
        stamp = f"[{_clock(first.start)}] " if first.start is not None else ""
        who = f"{first.speaker}: " if first.speaker else ""
        paragraphs.append(f"{stamp}{who}{said}")
        turn.clear()

    for cue in cues:
        if not cue.text:
            continue
        if turn and (cue.speaker != turn[0].speaker or not cue.speaker):
            flush()
        turn.append(cue)
    flush()
    if not paragraphs:
        raise TranscriptError("That caption file has no spoken text in it.")
    return "\n\n".join(paragraphs)


def _clock(moment: timedelta | None) -> str:
    seconds = int(moment.total_seconds()) if moment is not None else 0
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise TranscriptError(
            "That .docx file is not a Word document (it could not be opened). Save it again "
            "from Word as .docx, or upload it as .txt."
        ) from None
    if unpacked > MAX_DOCX_UNPACKED:
        raise TranscriptError(
            f"That Word document unpacks to {format_size(unpacked)}, more than a transcript "
            "can be. Save its text as .txt and upload that."
        )
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors...
        raise TranscriptError(
            "That .docx file could not be read as a Word document. Save it again from Word "
            "as .docx, or upload it as .txt."
        ) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120].rstrip(".")
