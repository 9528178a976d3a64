"""Evidence as CSV, in the importer's own column names, so the file re-imports with no --map.

Every column is an importer field but `kind`: what synthesis or a person decided the item is
is shown for the reader, and a re-import leaves it out (synthesis decides it afresh). A
person's corrections travel in the workspace export, which keeps them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TextIO

from problemspace.evidence.models import Evidence, EvidenceTag, Tag
from problemspace.workspaces.models import Workspace

# The importer's canonical field names (evidence/importing/fields.py), in the order a person
# reads a row: where it came from, what was said (what it is, the score given), then who said
# it.
CSV_COLUMNS = (
    "external_id",
    "source",
    "occurred_at",
    "channel",
    "provenance",
    "relayed_by",
    "captured_by",
    "text",
    "kind",
    "score",
    "score_scale",
    "source_url",
    "tags",
    "account",
    "account_segment",
    "account_plan",
    "account_revenue",
    "account_region",
    "account_lifecycle",
    "contact_email",
    "contact_name",
    "contact_role",
)
TAG_SEPARATOR = "; "
CHUNK_SIZE = 900

# Column -> what it is read from; tags are looked up per chunk. Plain values() rather than model
# instances: a row joins four tables, and building objects for each triples the export's time.
_LOOKUPS = {
    "external_id": "external_id",
    "source": "source",
    "occurred_at": "occurred_at",
    "channel": "channel",
    "provenance": "provenance",
    "relayed_by": "relayed_by",
    "captured_by": "captured_by__user__email",
    "text": "text",
    "kind": "kind",
    "score": "score",
    "score_scale": "score_scale",
    "source_url": "source_url",
    "account": "account__name",
    "account_segment": "account__segment",
    "account_plan": "account__plan",
    "account_revenue": "account__revenue",
    "account_region": "account__region",
    "account_lifecycle": "account__lifecycle",
    "contact_email": "contact__email",
    "contact_name": "contact__name",
    "contact_role": "contact__role",
}


def export_evidence_csv(workspace: Workspace, stream: TextIO) -> int:
    """Write every evidence item of `workspace` to `stream` as CSV; return how many.

    Open a file for this with newline="" (as the csv module asks), so that line breaks inside
    a quoted text survive. The rows are streamed in chunks, oldest first.
    """
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    tag_names = dict(Tag.objects.filter(workspace=workspace).values_list("pk", "name"))
    rows = (
        Evidence.objects.filter(workspace=workspace)
        .order_by("occurred_at", "pk")
        .values("pk", "captured_by__user__username", *_LOOKUPS.values())
        .iterator(chunk_size=CHUNK_SIZE)
    )
    count = 0
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            count += _write_chunk(writer, chunk, tag_names)
            chunk = []
    return count + _write_chunk(writer, chunk, tag_names)


def _write_chunk(writer: Any, chunk: list[dict[str, Any]], tag_names: dict[int, str]) -> int:
    tags: dict[int, list[str]] = defaultdict(list)
    links = EvidenceTag.objects.filter(evidence_id__in=[row["pk"] for row in chunk])
    for evidence_id, tag_id in links.values_list("evidence_id", "tag_id"):
        tags[evidence_id].append(tag_names[tag_id])
    for row in chunk:
        # The importer matches captured_by on a member's email or username.
        if not row["captured_by__user__email"]:
            row["captured_by__user__email"] = row["captured_by__user__username"]
        row["tags"] = TAG_SEPARATOR.join(sorted(tags[row["pk"]]))
        writer.writerow([_cell(row[_LOOKUPS.get(column, column)]) for column in CSV_COLUMNS])
    return len(chunk)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a score of 4.0 is written 4
    return str(value)
