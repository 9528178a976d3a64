"""Writing a whole workspace as one JSON document, streamed item by item.

The document is written by hand around `json.dumps` of single items, so a workspace of a
million evidence items never sits in memory as one list, yet the output is one valid JSON object
with one item per line (which keeps exports diffable and greppable).
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from django.db import connection, transaction
from django.utils import timezone

from problemspace.transfer import schema
from problemspace.transfer.errors import ExportError
from problemspace.transfer.idmaps import RunMap
from problemspace.workspaces.models import Workspace

# Rows fetched per round trip. Below SQLite's historical 999-parameter limit, because each
# chunk of ids is also the parameter list of the query for their many-to-many links (tags).
CHUNK_SIZE = 900


@dataclass
class ExportSummary:
    counts: dict[str, int] = field(default_factory=dict)


def export_workspace(
    workspace: Workspace, stream: TextIO, *, now: datetime | None = None
) -> ExportSummary:
    """Write `workspace` to `stream` in the format of docs/export-format.md.

    Items are ordered by when they were created (evidence by when it occurred), then by primary
    key; restore inserts them in file order, so exporting a restored workspace gives the same
    document again.
    """
    with _snapshot():
        return _Writer(workspace, stream).write(now or timezone.now())


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """On PostgreSQL, read everything from one snapshot, so the file is consistent even while
    people add evidence during a long export.

    On SQLite a transaction would take the write lock for the whole export (the settings ask
    for IMMEDIATE transactions), stalling every writer; there the export reads without one.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


class _Writer:
    def __init__(self, workspace: Workspace, stream: TextIO) -> None:
        self.workspace = workspace
        self.stream = stream
        # section -> database primary key -> file-local id, for the references of later sections.
        self.ids: dict[str, RunMap] = {}
        self.summary = ExportSummary()

    def write(self, now: datetime) -> ExportSummary:
        header = {
            "format": schema.FORMAT,
            "version": schema.VERSION,
            "exported_at": schema.Moment("", "").dump(now, self.ids),
        }
        # Read afresh rather than trusting the caller's instance, which may be stale.
        row = Workspace.objects.values("name", "slug", "created_at").get(pk=self.workspace.pk)
        workspace = schema.dump_item(schema.WORKSPACE_FIELDS, None, row, self.ids)
        self.stream.write(_dumps(header)[:-1])
        self.stream.write(f',\n"workspace": {_dumps(workspace)}')
        for section in schema.ALL_SECTIONS:
            self._section(section)
        self.stream.write("\n}\n")
        return self.summary

    def _section(self, section: schema.Section) -> None:
        fields = section.fields
        links = [f for f in fields if isinstance(f, schema.Refs)]
        attrs = ["pk", *(f.attr for f in fields if not isinstance(f, schema.Refs))]
        # Compact, since later sections refer to evidence: see idmaps.py.
        ids = RunMap()
        self.ids[section.name] = ids
        self.stream.write(f',\n"{section.name}": [')
        queryset = section.model._default_manager.filter(**{section.scope: self.workspace})
        # A section that refers to its own items (a post merged into a later one) is numbered
        # before it is written.
        numbered = any(isinstance(f, schema.SelfRef) for f in fields)
        if numbered:
            pks = queryset.order_by(*section.order).values_list("pk", flat=True)
            for number, pk in enumerate(pks.iterator(chunk_size=CHUNK_SIZE), start=1):
                ids.add(pk, number)
        rows = queryset.order_by(*section.order).values(*attrs).iterator(chunk_size=CHUNK_SIZE)
        count = 0
        for chunk in _chunks(rows, CHUNK_SIZE):
            for link in links:
                _attach(link, chunk)
            for row in chunk:
                count += 1
                if not numbered:
                    ids.add(row["pk"], count)
                elif row["pk"] not in ids:
                    # Only where the export reads without a snapshot (SQLite).
                    raise ExportError(
                        f"A {section.singular} was added to workspace {self.workspace.slug!r}"
                        " while it was being exported; export it again."
                    )
                try:
                    item = schema.dump_item(fields, ids[row["pk"]], row, self.ids)
                except KeyError as exc:
                    raise ExportError(
                        f"{section.singular} {row['pk']} of workspace {self.workspace.slug!r}"
                        f" refers to a row outside the workspace (primary key {exc});"
                        " the database is inconsistent, so nothing faithful can be exported."
                    ) from None
                self.stream.write(("\n" if count == 1 else ",\n") + _dumps(item))
        self.stream.write("\n]" if count else "]")
        self.summary.counts[section.name] = count


def _attach(link: schema.Refs, rows: Sequence[dict[str, Any]]) -> None:
    """Fill `link.attr` of each row with the targets its many-to-many table pairs it with."""
    assert link.through is not None
    targets: dict[int, list[int]] = defaultdict(list)
    pairs = link.through._default_manager.filter(
        **{f"{link.owner}__in": [row["pk"] for row in rows]}
    ).values_list(link.owner, link.target)
    for owner, target in pairs:
        targets[owner].append(target)
    for row in rows:
        row[link.attr] = targets.get(row["pk"], ())


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _dumps(value: Any) -> str:
    # ensure_ascii=False keeps customers' words readable in the file; it is written as UTF-8.
    return json.dumps(value, ensure_ascii=False)
