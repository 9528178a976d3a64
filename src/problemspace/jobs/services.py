"""Starting jobs: record what was asked, then hand the job's id to the task queue."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from problemspace.jobs.heartbeat import fail_if_abandoned
from problemspace.jobs.models import Job, Kind
from problemspace.workspaces.models import Member

# Kept short and plain: the name is only shown back to people.
MAX_SHOWN_NAME = 120


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
    filename = shown_name(upload.name or "upload")
    suffix = PurePath(filename).suffix.lower()[:10]
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
    params = {**options, "stored_name": stored, "filename": filename}
    return _queue(member, Kind.IMPORT, params)


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
