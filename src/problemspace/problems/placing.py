"""New evidence finds its problem right after it is saved, by the rule synthesis places it by.

When a member captures evidence (evidence.signals.evidence_captured), an incremental synthesis
is queued: each new item joins the problem whose centre it is close enough to
(synthesis/assign.py), and what fits none is grouped into candidates. So a captured note or an
interview highlight lands in its problem without waiting for the PM's next synthesis.
"""

from __future__ import annotations

from typing import Any

from problemspace.evidence.signals import evidence_captured
from problemspace.jobs import services as jobs
from problemspace.jobs.models import Kind as JobKind
from problemspace.jobs.models import State as JobState
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Member


def place_new_evidence(member: Member) -> None:
    """Queue the incremental synthesis that places new evidence among the problems.

    The same job the problems page starts. Only where synthesis has made problems already: the
    first grouping of a workspace is the PM's call. A queued job will see this evidence; a
    running one may have read the evidence before it, so then another is queued.
    """
    if not Problem.objects.filter(workspace_id=member.workspace_id).exists():
        return
    queued = jobs.active_job(member, JobKind.SYNTHESIS)
    if queued is not None and queued.state == JobState.QUEUED:
        return
    jobs.start_synthesis(member)


def _captured(sender: Any, member: Member, **kwargs: Any) -> None:
    place_new_evidence(member)


def connect() -> None:
    evidence_captured.connect(_captured, dispatch_uid="problems-place-captured")
