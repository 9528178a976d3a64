"""Starting jobs: record what was asked, then hand the job's id to the task queue."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from problemspace.jobs.heartbeat import fail_if_abandoned
from problemspace.jobs.models import Job, Kind
from problemspace.workspaces.models import Member

# Kept short and plain: the name is only shown back to people.
MAX_SHOWN_NAME = 120
UPLOADS = "imports"
# An upload previewed and never confirmed is kept this long, then deleted.
ABANDONED_AFTER = timedelta(days=1)


def shown_name(uploaded_name: str) -> str:
    """The upload's own name, reduced to a harmless base name (no folders, no '..')."""
    base = PurePath(uploaded_name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:  # '', '.', '..'
        cleaned = "upload"
    return cleaned[:MAX_SHOWN_NAME]


def start_import(member: Member, upload: UploadedFile, options: dict[str, Any]) -> Job:
    """Store the upload under a name of our own and queue its import."""
    stored, filename = store_upload(upload)
    return start_stored_import(member, stored, filename, options)


def store_upload(upload: UploadedFile) -> tuple[str, str]:
    """Keep an upload under a name of our own: (its name in storage, its shown name). Uploads
    left behind by previews nobody confirmed are deleted once a day old."""
    sweep_abandoned_uploads()
    filename = shown_name(upload.name or "upload")
    suffix = PurePath(filename).suffix.lower()[:10]
    return default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}{suffix}", upload), filename


def start_stored_import(member: Member, stored: str, filename: str, options: dict[str, Any]) -> Job:
    params = {**options, "stored_name": stored, "filename": filename}
    return _queue(member, Kind.IMPORT, params)


def sweep_abandoned_uploads(now: datetime | None = None) -> int:
    """Delete stored uploads older than a day that no waiting or running import reads."""
    try:
        _, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    in_use = {
        job.params.get("stored_name")
        for job in Job.objects.filter(kind=Kind.IMPORT, state__in=["queued", "running"])
    }
    limit = (now or timezone.now()) - ABANDONED_AFTER
    removed = 0
    for name in names:
        stored = f"{UPLOADS}/{name}"
        if stored in in_use:
            continue
        try:
            if default_storage.get_modified_time(stored) < limit:
                default_storage.delete(stored)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def start_synthesis(member: Member, *, full: bool = False, granularity: str = "") -> Job:
    return _queue(member, Kind.SYNTHESIS, {"full": full, "granularity": granularity})


def start_refresh(workspace_id: int, member: Member | None = None) -> Job:
    """Queue a refresh of the workspace's problems after a PM's edit, unless one is already
    waiting: it will see this edit too, so edits in a row cost one refresh."""
    waiting = Job.objects.filter(
        workspace_id=workspace_id, kind=Kind.REFRESH, state="queued"
    ).first()
    if waiting is not None:
        return waiting
    job = Job.objects.create(workspace_id=workspace_id, kind=Kind.REFRESH, requested_by=member)
    _enqueue(job)
    return job


def active_job(member: Member, kind: str) -> Job | None:
    """The workspace's queued or running job of this kind, if any; a job whose worker died is
    marked failed, so it never blocks a new one."""
    return active_jobs(member, kind).get(kind)


def active_jobs(member: Member, *kinds: str) -> dict[str, Job]:
    """The latest queued or running job of each of these kinds, by kind, in one query."""
    found: dict[str, Job] = {}
    unfinished = Job.objects.filter(
        workspace_id=member.workspace_id, kind__in=kinds, state__in=["queued", "running"]
    )
    for job in unfinished:
        if job.kind not in found and not fail_if_abandoned(job):
            found[job.kind] = job
    return found


def _queue(member: Member, kind: str, params: dict[str, Any]) -> Job:
    job = Job.objects.create(
        workspace_id=member.workspace_id, kind=kind, requested_by=member, params=params
    )
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from problemspace.jobs.tasks import run_job_task

    # After commit: a worker must never look for a job row it cannot see yet.
    transaction.on_commit(lambda: run_job_task.enqueue(job.pk))
