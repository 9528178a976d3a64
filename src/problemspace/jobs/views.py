"""The page of one background job: what it is doing now, then how it ended."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from problemspace.jobs.heartbeat import fail_abandoned
from problemspace.jobs.models import Job, Kind
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_job_for_member, get_member

# Seconds between refreshes of an unfinished job's page when JavaScript is off.
REFRESH_SECONDS = 3


@login_required
def job_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    job = get_job_for_member(member, pk)
    if request.GET.get("format") == "json":
        # What the page's script polls; the same fields as the API's job.
        return JsonResponse(job.as_dict())
    context = {
        "member": member,
        "job": job,
        "refresh": None if job.finished else REFRESH_SECONDS,
        "next_url": _next_url(job, member.workspace.slug),
    }
    return TemplateResponse(request, "jobs/job.html", context)


@login_required
def job_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    fail_abandoned(member.workspace_id)
    jobs = Job.objects.filter(workspace_id=member.workspace_id).select_related(
        "requested_by__user"
    )[:50]
    return TemplateResponse(request, "jobs/list.html", {"member": member, "jobs": jobs})


def _next_url(job: Job, slug: str) -> tuple[str, str] | None:
    """Where to go once the job is done: (URL name, label)."""
    if job.kind == Kind.IMPORT:
        return ("evidence:inbox", "Open the inbox")
    if job.kind in (Kind.SYNTHESIS, Kind.REFRESH):
        return ("problems:list", "See the problems")
    return None
