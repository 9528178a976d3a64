"""The exposure panel other pages (the dashboard) show: the team's time with customers."""

from __future__ import annotations

from typing import Any

from django import template

from problemspace.interviews import exposure
from problemspace.workspaces.models import Member

register = template.Library()


@register.inclusion_tag("interviews/_exposure_panel.html")
def exposure_panel(member: Member) -> dict[str, Any]:
    workspace = member.workspace
    if not exposure.has_interviews(workspace):
        return {"member": member, "team": None}
    return {"member": member, "team": exposure.team_exposure(workspace)}
