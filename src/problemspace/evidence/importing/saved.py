"""Saving how a file's columns were read, by name, for the next export of the same tool."""

from __future__ import annotations

from problemspace.evidence.importing.layout import Layout
from problemspace.evidence.models import ImportColumns
from problemspace.workspaces.models import Member, Workspace


def save_columns(
    workspace: Workspace, name: str, layout: Layout, member: Member | None = None
) -> ImportColumns:
    """Keep the layout's fields and left-out columns under `name` (replacing one of that name)."""
    used = layout.used
    saved, _ = ImportColumns.objects.update_or_create(
        workspace=workspace,
        name=name.strip()[:80],
        defaults={
            "fields": {field: list(columns) for field, columns in layout.fields.items()},
            "ignore": [column for column in layout.columns if column not in used],
            "dayfirst": layout.dayfirst if layout.date_order else None,
            "saved_by": member,
        },
    )
    return saved
