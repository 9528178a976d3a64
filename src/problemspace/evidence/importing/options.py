from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, tzinfo


@dataclass(frozen=True)
class ImportOptions:
    """How to read one file. Every option has a command-line flag of the same name."""

    format: str | None = None  # "csv" or "jsonl"; None: from the file name, then the content
    encoding: str | None = None  # None: detected (UTF-8, UTF-8 with BOM, UTF-16, cp1252)
    delimiter: str | None = None  # None: detected
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column in the file
    source: str | None = None  # None: the file's name without extension
    channel: str = "other"  # for rows without a channel column
    provenance: str = "first_hand"  # for rows without a provenance column
    relayed_by: str = ""  # for relayed rows without a relayed_by column
    # "stars", "nps" or "csat" for rows with a score but no score_scale; "": from the name of
    # the score column (rating, nps, csat...), and a file of bare scores is refused
    score_scale: str = ""
    dayfirst: bool = False
    timezone: tzinfo = UTC  # for dates written without one
    dry_run: bool = False
    batch_size: int = 2000
