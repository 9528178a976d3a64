"""The import preview: how each column of an uploaded file would be read, changeable, before
anything is written. The upload waits in storage under a signed, expiring draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from problemspace.evidence.import_columns import ColumnsForm
from problemspace.evidence.importing import ImportFileError, preview
from problemspace.evidence.importing.describe import describe_reading
from problemspace.jobs import services as jobs
from problemspace.jobs.runners import import_options
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

SALT = "problemspace.evidence.import-preview"
# As long as an unconfirmed upload is kept (jobs.services.ABANDONED_AFTER).
MAX_AGE = int(jobs.ABANDONED_AFTER.total_seconds())


def start_preview(member: Member, upload: UploadedFile, options: dict[str, Any]) -> str:
    """Keep the upload and return the address of its preview."""
    stored, filename = jobs.store_upload(upload)
    draft = signing.dumps(
        {"member": member.pk, "stored": stored, "filename": filename, "options": options},
        salt=SALT,
    )
    url = reverse("evidence:import_preview", kwargs={"slug": member.workspace.slug})
    return f"{url}?draft={draft}"


def _draft(request: AuthenticatedHttpRequest, member: Member) -> dict[str, Any] | None:
    try:
        draft: dict[str, Any] = signing.loads(
            request.GET.get("draft", ""), salt=SALT, max_age=MAX_AGE
        )
    except signing.BadSignature:
        return None
    if draft.get("member") != member.pk or not default_storage.exists(draft.get("stored", "")):
        return None
    return draft


@login_required
def import_preview(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    back = reverse("evidence:import", kwargs={"slug": slug})
    draft = _draft(request, member)
    if draft is None:
        messages.error(
            request,
            "That preview is no longer available (a preview is kept for a day): choose the file "
            "again.",
        )
        return redirect(back)
    params: dict[str, Any] = dict(draft["options"])
    try:
        report = preview(Path(default_storage.path(draft["stored"])), import_options(params))
    except ImportFileError as exc:
        default_storage.delete(draft["stored"])
        messages.error(request, f"{draft['filename']}: {exc}")
        return redirect(back)
    form = ColumnsForm(report.layout, request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.import_options()
        params["mapping"] = {**params.get("mapping", {}), **chosen["mapping"]}
        params["ignore"] = sorted({*params.get("ignore", []), *chosen["ignore"]})
        if chosen["dayfirst"] is not None:
            params["dayfirst"] = chosen["dayfirst"]
        saved = form.save_columns(member)
        if saved is not None:
            messages.success(request, f"The columns are saved as “{saved.name}”.")
        job = jobs.start_stored_import(member, draft["stored"], draft["filename"], params)
        return redirect("jobs:detail", slug=slug, pk=job.pk)
    return TemplateResponse(
        request,
        "evidence/import_preview.html",
        {
            "member": member,
            "active": "import",
            "form": form,
            "report": report,
            "filename": draft["filename"],
            # The table shows the columns; above it, the tool, encoding and date order.
            "reading": [
                line
                for line in describe_reading(report, full=False)
                if not line.startswith(("Columns:", "Ignored columns:"))
            ],
        },
    )
