"""Small helpers for the import tests: write a file, import it, count what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from problemspace.customers.models import Account, Contact
from problemspace.evidence.importing import ImportOptions, ImportReport, import_evidence
from problemspace.evidence.models import Evidence, EvidenceTag, Tag
from problemspace.workspaces.models import Workspace


def write(tmp: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp / name
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def run_import(workspace: Workspace, path: Path, **options: Any) -> ImportReport:
    return import_evidence(workspace, path, ImportOptions(**options))


def snapshot(workspace: Workspace) -> tuple[int, ...]:
    return (
        Evidence.objects.filter(workspace=workspace).count(),
        Account.objects.filter(workspace=workspace).count(),
        Contact.objects.filter(workspace=workspace).count(),
        Tag.objects.filter(workspace=workspace).count(),
        EvidenceTag.objects.filter(evidence__workspace=workspace).count(),
    )
