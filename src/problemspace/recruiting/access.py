"""Who may see and run campaigns (see workspaces/access.py for the rules): every member
reads them; editors and owners run them (change, invite, screen)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.recruiting.models import Campaign, Candidate, ScreenerQuestion
from problemspace.workspaces.models import Member, Role

WRITE_MESSAGE = "Running recruiting campaigns needs the editor role or higher."


def require_editor(member: Member) -> None:
    if not member.can(Role.EDITOR):
        raise PermissionDenied(WRITE_MESSAGE)


def get_campaign_for_member(member: Member, pk: int, *, write: bool = False) -> Campaign:
    campaign = (
        Campaign.objects.select_related("availability__member__user", "workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if campaign is None:
        raise Http404("No such campaign.")
    if write:
        require_editor(member)
    return campaign


def get_question_for_member(member: Member, pk: int, *, write: bool = False) -> ScreenerQuestion:
    question = (
        ScreenerQuestion.objects.select_related("campaign")
        .filter(campaign__workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    if write:
        require_editor(member)
    return question


def get_candidate_for_member(member: Member, pk: int, *, write: bool = False) -> Candidate:
    candidate = (
        Candidate.objects.select_related("campaign", "contact__account", "booking", "interview")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404("No such candidate.")
    if write:
        require_editor(member)
    return candidate
