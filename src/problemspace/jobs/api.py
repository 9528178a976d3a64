"""Background jobs over the API: start a synthesis, follow any job's progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.jobs import services
from problemspace.jobs.heartbeat import fail_abandoned
from problemspace.jobs.models import Job, Kind
from problemspace.synthesis.cluster import GRANULARITY
from problemspace.workspaces.access import get_job_for_member, get_member
from problemspace.workspaces.models import Role

router = Router()


class JobOut(Schema):
    id: int
    kind: str
    state: str
    stage: str
    done: int
    total: int | None
    percent: int | None
    message: str
    result: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None


class SynthesisIn(Schema):
    full: bool = Field(False, description="re-cluster everything not held by the PM's edits")
    granularity: str = Field("", description=f"one of {', '.join(GRANULARITY)}; empty: keep")


@router.get("/w/{slug}/jobs", response=list[JobOut], summary="The workspace's recent jobs")
def list_jobs(request: HttpRequest, slug: str) -> list[Job]:
    member = get_member(request, slug)
    fail_abandoned(member.workspace_id)
    return list(Job.objects.filter(workspace_id=member.workspace_id)[:50])


@router.get("/w/{slug}/jobs/{int:pk}", response=JobOut, summary="One job and its progress")
def get_job(request: HttpRequest, slug: str, pk: int) -> Job:
    member = get_member(request, slug)
    return get_job_for_member(member, pk)


@router.post("/w/{slug}/jobs/synthesis", response={202: JobOut}, summary="Start a synthesis")
def start_synthesis(request: HttpRequest, slug: str, body: SynthesisIn) -> Status:
    """Queue a synthesis, or return the one already queued or running."""
    member = get_member(request, slug, Role.EDITOR)
    if body.granularity and body.granularity not in GRANULARITY:
        raise HttpError(422, f"granularity is one of {', '.join(GRANULARITY)}.")
    job = services.active_job(member, Kind.SYNTHESIS) or services.start_synthesis(
        member, full=body.full, granularity=body.granularity
    )
    return Status(202, job)
