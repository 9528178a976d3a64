"""Saving how a file's columns were read, by name, for the next export of the same tool."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from problemspace.evidence.importing.layout import Layout
from problemspace.evidence.models import ImportColumns
from problemspace.workspaces.models import Member, Workspace


def save_columns(
    workspace_id: int,
    name: str,
    fields: Mapping[str, Sequence[str]],
    ignore: Sequence[str],
    dayfirst: bool | None,
    member: Member | None = None,
) -> ImportColumns:
    """Keep field -> columns and the columns left out under `name`, replacing one so named."""
    saved, _ = ImportColumns.objects.update_or_create(
        workspace_id=workspace_id,
        name=name.strip()[:80],
        defaults={
            "fields": {field: list(columns) for field, columns in fields.items()},
            "ignore": list(ignore),
            "dayfirst": dayfirst,
            "saved_by": member,
        },
    )
    return saved


def save_layout(workspace: Workspace, name: str, layout: Layout) -> ImportColumns:
    """Keep how `layout` read its file: its fields and the columns it left out."""
    used = layout.used
    return save_columns(
        workspace.pk,
        name,
        layout.fields,
        [column for column in layout.columns if column not in used],
        layout.dayfirst if layout.date_order else None,
    )
