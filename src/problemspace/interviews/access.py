"""The interview pages' and API routes' getters: one place answers who may see and change what.

Like problemspace.workspaces.access: another workspace's interview or guide is a 404, a role
too low for a change a 403. Contributors plan and hold interviews ("join interviews");
editors curate the guides.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.interviews.models import Guide, Interview
from problemspace.workspaces.models import Member, Role


def get_interview_for_member(member: Member, pk: int, *, write: bool = False) -> Interview:
    """One interview of the member's workspace; `write` needs the contributor role."""
    interview = (
        Interview.objects.select_related("workspace", "guide", "created_by__user")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if interview is None:
        raise Http404("No such interview.")
    if write and not member.can(Role.CONTRIBUTOR):
        raise PermissionDenied("Planning and holding interviews needs the contributor role.")
    return interview


def get_guide_for_member(member: Member, pk: int, *, write: bool = False) -> Guide:
    """One interview guide of the member's workspace; `write` needs the editor role."""
    guide = Guide.objects.filter(workspace_id=member.workspace_id, pk=pk).first()
    if guide is None:
        raise Http404("No such guide.")
    if write and not member.can(Role.EDITOR):
        raise PermissionDenied("Editing interview guides needs the editor role or higher.")
    return guide
