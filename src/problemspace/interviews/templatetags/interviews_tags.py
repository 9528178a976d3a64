"""The exposure panel other pages (the dashboard) show: the team's time with customers."""

from __future__ import annotations

from typing import Any

from django import template

from problemspace.interviews import exposure
from problemspace.workspaces.models import Member

register = template.Library()


@register.inclusion_tag("interviews/_exposure_panel.html")
def exposure_panel(member: Member) -> dict[str, Any]:
    team = exposure.team_exposure(member.workspace)
    return {"member": member, "team": team if team.any_interview else None}
