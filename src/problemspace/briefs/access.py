"""Who may see and make briefs: the workspace getters of this app.

They follow problemspace.workspaces.access: a brief or schedule of another workspace is a 404,
a role too low for a change a 403. Everyone in the workspace reads briefs; editors (PMs) and
owners make them and keep the schedules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.briefs.models import Brief, BriefSchedule
from problemspace.workspaces.models import Member, Role

WRITE_ROLE = Role.EDITOR


def check_write(member: Member) -> None:
    if not member.can(WRITE_ROLE):
        raise PermissionDenied("Making briefs and schedules needs the editor role.")


def get_brief_for_member(member: Member, pk: int, *, write: bool = False) -> Brief:
    brief = (
        Brief.objects.select_related("workspace", "created_by__user", "schedule")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if brief is None:
        raise Http404("No such brief.")
    if write:
        check_write(member)
    return brief


def get_schedule_for_member(member: Member, pk: int, *, write: bool = False) -> BriefSchedule:
    schedule = (
        BriefSchedule.objects.select_related("workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if schedule is None:
        raise Http404("No such brief schedule.")
    if write:
        check_write(member)
    return schedule
