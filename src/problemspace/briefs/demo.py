"""The demo workspace's briefs: a weekly executive brief emailed to the COO and the PM on
Monday mornings, and one executive brief of the last 30 days to open right away.

Building the demo sends nothing: the schedule's first send is next Monday. The brief needs the
demo's problems, which exist once synthesis has run (right after the build with `problemspace
demo`, or later from the web), so it is made when a synthesis of the demo finishes
(signals.py), if the demo has no brief yet.
"""

from __future__ import annotations

from datetime import time

from problemspace.briefs import services
from problemspace.briefs.models import Audience, Brief, BriefSchedule, Weekday
from problemspace.briefs.period import Period
from problemspace.demo import story
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Member, Workspace

DEMO_PERIOD_DAYS = 30


def build_briefs(workspace: Workspace, members: dict[str, Member]) -> BriefSchedule:
    """The weekly executive schedule (in the caller's transaction)."""
    owner = members[story.OWNER.email]
    return services.create_schedule(
        owner,
        audience=Audience.EXECUTIVES,
        period_days=7,
        weekday=Weekday.MONDAY,
        time_of_day=time(8, 0),
        member_ids=[members[story.EXEC.email].pk, owner.pk],
        emails=[],
        post_to_chat=False,
        active=True,
    )


def is_demo_workspace(workspace: Workspace) -> bool:
    return workspace.slug == story.WORKSPACE_SLUG and workspace.name == story.WORKSPACE_NAME


def brief_after_synthesis(workspace_id: int) -> Brief | None:
    """The demo's executive brief, once it has problems and while it has no brief."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None or not is_demo_workspace(workspace):
        return None
    if Brief.objects.filter(workspace=workspace).exists():
        return None
    if not Problem.objects.filter(workspace=workspace, candidate=False, dismissed=False).exists():
        return None
    owner = (
        Member.objects.filter(workspace=workspace, user__username=story.OWNER.email)
        .select_related("user")
        .first()
    )
    return services.generate(
        workspace, Audience.EXECUTIVES, Period.last_days(DEMO_PERIOD_DAYS), member=owner
    )
