"""The workspace's front page: how the customer problems stand and what came in lately."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString

from problemspace.dashboard import queries
from problemspace.evidence.models import Evidence
from problemspace.lib.charts import column_series, horizontal_bars, scatter
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.problems.loudness import Verdict, loudness
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Role, Workspace

# Drawing widths near the width each chart gets on a laptop, so its text shows at about its
# nominal size there; on a phone it scales down with the column.
WEEKLY_WIDTH = 600
BARS_WIDTH = 440
LOUDNESS_WIDTH = 900
CHARTS_KEPT_SECONDS = 300


def _charts(workspace: Workspace, activity: queries.Activity) -> dict[str, SafeString | None]:
    """The charts of `activity`, drawn once per computation of it: drawing them takes longer
    than the rest of the page."""
    key = f"dashboard:charts:{workspace.pk}:{activity.computed_at.isoformat()}"
    charts: dict[str, SafeString | None] | None = cache.get(key)
    if charts is None:
        charts = _draw(activity)
        cache.set(key, charts, CHARTS_KEPT_SECONDS)
    return charts


def _draw(activity: queries.Activity) -> dict[str, SafeString | None]:
    weekly = column_series(
        "Evidence per week, heard first-hand and relayed",
        activity.week_labels,
        [("First-hand", activity.first_hand), ("Relayed", activity.relayed)],
        stacked=True,
        width=WEEKLY_WIDTH,
        height=240,
    )
    channels = (
        horizontal_bars(
            "Evidence by channel",
            [label for _, label, _ in activity.channels],
            [n for _, _, n in activity.channels],
            width=BARS_WIDTH,
        )
        if activity.channels
        else None
    )
    segments = (
        horizontal_bars(
            "Accounts heard from, by segment",
            [s.name or "No segment" for s in activity.segments],
            [s.reached for s in activity.segments],
            width=BARS_WIDTH,
        )
        if activity.segments
        else None
    )
    return {"weekly_chart": weekly, "channel_chart": channels, "segment_chart": segments}


@login_required
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    workspace = member.workspace
    context: dict[str, object] = {
        "member": member,
        "active": "dashboard",
        "workspace_url": reverse("workspace", args=[workspace.slug]),
        "can_contribute": member.can(Role.CONTRIBUTOR),
        "can_curate": member.can(Role.EDITOR),
        "has_evidence": Evidence.objects.filter(workspace=workspace).exists(),
    }
    if context["has_evidence"]:
        activity = queries.activity(workspace)
        context.update(
            activity=activity,
            ranking=queries.top_problems(workspace),
            synthesis=queries.last_synthesis(workspace),
            **_charts(workspace, activity),
        )
    return TemplateResponse(request, "dashboard/dashboard.html", context)


# The chart's series, in drawing order: loud problems last, so they are drawn over the rest.
_SERIES = (
    (Verdict.WIDE, "Wide", "#2f4fb3"),
    (Verdict.NARROW, "Narrow", "#5a6473"),
    (Verdict.LOUD, "Loud, narrow", "#a61b1b"),
)


@login_required
def loud_or_wide(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Each ranked problem's volume beside its reach (loudness.py): which problems many
    customers have, and which only a few customers say loudly."""
    member = get_member(request, slug)
    found = loudness(member.workspace)
    chart = None
    if any(v.accounts for v in found.voices):
        chart = scatter(
            "Items against accounts, each problem by its place in the ranking",
            [
                (label, [(str(v.place), v.accounts, v.items) for v in points])
                for verdict, label, _ in _SERIES
                if (points := [v for v in found.voices if v.verdict == verdict])
            ],
            x_title="Accounts with the problem (reach)",
            y_title="Items (volume)",
            colors=[
                colour
                for verdict, _, colour in _SERIES
                if any(v.verdict == verdict for v in found.voices)
            ],
            width=LOUDNESS_WIDTH,
        )
    return TemplateResponse(
        request,
        "dashboard/loud_or_wide.html",
        {
            "member": member,
            "active": "dashboard",
            "loudness": found,
            "chart": chart,
            "can_curate": member.can(Role.EDITOR),
        },
    )
