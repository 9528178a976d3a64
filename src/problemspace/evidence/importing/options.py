from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, tzinfo


@dataclass(frozen=True)
class ImportOptions:
    """How to read one file. Every option has a command-line flag of the same name."""

    format: str | None = None  # "csv", "jsonl" or "json"; None: from the name, then the content
    encoding: str | None = None  # None: detected (UTF-8, UTF-8 with BOM, UTF-16, cp1252)
    delimiter: str | None = None  # None: detected
    # field -> column in the file (text and contact_name: one or several)
    mapping: dict[str, str | list[str]] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()  # columns not to read, whatever their name says
    source_format: str | None = None  # a known tool's key (sources.py); None: recognised
    source: str | None = None  # None: the file's name without extension
    channel: str = ""  # for rows without a channel; "": the recognised tool's, else other
    provenance: str = ""  # for rows without one; "": the recognised tool's, else first-hand
    relayed_by: str = ""  # for relayed rows without a relayed_by column
    # "stars", "nps" or "csat" for rows with a score but no score_scale; "": from the name of
    # the score column (rating, nps, csat...), and a file of bare scores is refused
    score_scale: str = ""
    dayfirst: bool | None = None  # None: from the file's dates (25/03 is day first)
    timezone: tzinfo = UTC  # for dates written without one
    dry_run: bool = False
    batch_size: int = 2000
