"""Small helpers for the import tests: write a file, import it, count what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.test import Client

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


def confirm_preview(client: Client, preview_url: str, **changes: str) -> HttpResponse:
    """Accept an upload's preview with its columns as shown (and `changes`), as a person
    would: the form's own initial choices, posted back."""
    page = client.get(preview_url)
    assert page.status_code == 200, page.status_code
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(preview_url, data)  # type: ignore[return-value]
