"""The transcript reader: every format it reads, and everything it refuses."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from problemspace.interviews import transcripts
from problemspace.interviews.transcripts import TranscriptError

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Priya Raman>How did you close the books last month?

00:00:03.500 --> 00:00:06.000
<v Dana Lee>It took a week.

00:00:06.000 --> 00:00:09.000
<v Dana Lee>Line items never <b>match</b> the PO.

00:01:05.000 --> 00:01:07.000
<v Priya Raman>What did you do then?
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
Priya: How did you close the books last month?

2
00:00:03,500 --> 00:00:06,000
Dana: It took a week.

3
00:01:02,000 --> 00:01:04,000
We export to Excel every Friday.
"""


def test_it_keeps_plain_text_and_normalises_line_ends() -> None:
    text = transcripts.parse("call.txt", b"Dana: It took a week.\r\nPriya: Why?\r\n")
    assert text == "Dana: It took a week.\nPriya: Why?"


def test_it_reads_utf8_with_a_byte_order_mark() -> None:
    assert transcripts.parse("call.TXT", "\ufeffJosé: ça va".encode()) == "José: ça va"


def test_it_falls_back_to_windows_1252() -> None:
    data = "Zoë said “it\u2019s slow”".encode("cp1252")
    assert transcripts.parse("call.txt", data) == "Zoë said “it\u2019s slow”"


def test_it_refuses_an_unknown_encoding() -> None:
    with pytest.raises(TranscriptError, match="encoding"):
        transcripts.parse("call.txt", b"caf\x81\x8d\x90")


def test_it_refuses_utf16_and_binary() -> None:
    with pytest.raises(TranscriptError, match="UTF-16 or binary"):
        transcripts.parse("call.txt", "hello".encode("utf-16"))


def test_it_turns_webvtt_into_turns_with_speakers_and_times() -> None:
    text = transcripts.parse("call.vtt", VTT.encode())
    assert text.split("\n\n") == [
        "[00:00:01] Priya Raman: How did you close the books last month?",
        "[00:00:03] Dana Lee: It took a week. Line items never match the PO.",
        "[00:01:05] Priya Raman: What did you do then?",
    ]


def test_it_refuses_malformed_webvtt() -> None:
    with pytest.raises(TranscriptError, match="not valid WebVTT"):
        transcripts.parse("call.vtt", b"this is not webvtt at all")


def test_it_reads_srt_with_speakers_written_in_the_text() -> None:
    text = transcripts.parse("call.srt", SRT.encode())
    assert text.split("\n\n") == [
        "[00:00:01] Priya: How did you close the books last month?",
        "[00:00:03] Dana: It took a week.",
        "[00:01:02] We export to Excel every Friday.",
    ]


def test_it_refuses_malformed_srt() -> None:
    with pytest.raises(TranscriptError, match="SubRip"):
        transcripts.parse("call.srt", b"1\nnot a time --> either\nhello\n")


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Dana"
    table.rows[0].cells[1].text = "We retype invoices."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_it_reads_a_word_document_with_its_tables() -> None:
    text = transcripts.parse("call.docx", _docx("Priya: How long?", "Dana: A week."))
    assert text == "Priya: How long?\nDana: A week.\nDana | We retype invoices."


def test_it_refuses_a_docx_that_is_not_one() -> None:
    with pytest.raises(TranscriptError, match="not a Word document"):
        transcripts.parse("call.docx", b"plain text pretending")


def test_it_refuses_a_zip_that_is_not_a_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TranscriptError, match="could not be read as a Word document"):
        transcripts.parse("call.docx", out.getvalue())


def test_it_refuses_an_unknown_format() -> None:
    with pytest.raises(TranscriptError, match=r"“\.pdf”.*\.txt, \.vtt, \.srt, \.docx"):
        transcripts.parse("call.pdf", b"%PDF-1.4")
    with pytest.raises(TranscriptError, match="no extension"):
        transcripts.check_upload("transcript", 10)


def test_it_refuses_files_over_50_mb_by_their_size_alone() -> None:
    with pytest.raises(TranscriptError, match=r"50\.0 MB"):
        transcripts.check_upload("call.txt", 50 * 1024 * 1024 + 1)
    assert transcripts.check_upload("call.txt", 50 * 1024 * 1024) == ".txt"


def test_it_refuses_an_empty_transcript() -> None:
    with pytest.raises(TranscriptError, match="no text"):
        transcripts.parse("call.txt", b"  \n ")
