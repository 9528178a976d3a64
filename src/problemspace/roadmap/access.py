"""Who may see and change goals and the roadmap: the workspace getters of this app.

They follow problemspace.workspaces.access: an object of another workspace is a 404, a role
too low for a change a 403. Everyone in the workspace reads; editors (PMs) and owners curate.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.roadmap.models import Goal, Initiative, KeyResult
from problemspace.workspaces.models import Member, Role

WRITE_ROLE = Role.EDITOR


def check_write(member: Member) -> None:
    if not member.can(WRITE_ROLE):
        raise PermissionDenied("Curating goals and the roadmap needs the editor role.")


def get_goal_for_member(member: Member, pk: int, *, write: bool = False) -> Goal:
    goal = (
        Goal.objects.select_related("owner__user", "workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if goal is None:
        raise Http404("No such goal.")
    if write:
        check_write(member)
    return goal


def get_key_result_for_member(member: Member, pk: int, *, write: bool = False) -> KeyResult:
    key_result = (
        KeyResult.objects.select_related("goal__workspace")
        .filter(goal__workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if key_result is None:
        raise Http404("No such key result.")
    if write:
        check_write(member)
    return key_result


def get_initiative_for_member(member: Member, pk: int, *, write: bool = False) -> Initiative:
    initiative = (
        Initiative.objects.select_related("owner__user", "workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404("No such initiative.")
    if write:
        check_write(member)
    return initiative
