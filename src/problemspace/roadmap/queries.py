"""What the roadmap pages, the API, the CLI and the briefs read.

For briefs: `moves_in_period` answers "what moved on the roadmap in a period, and why", and
`goals_with_initiatives` "which initiatives serve each goal, and which goals have none".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, FloatField, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem
from problemspace.roadmap import scoring
from problemspace.roadmap.models import (
    Goal,
    GoalStatus,
    Horizon,
    Initiative,
    InitiativeStatus,
    KeyResult,
    Move,
)
from problemspace.workspaces.models import Workspace

QUOTES_PER_PROBLEM = 3
# On the board: what is still to do. Shipped and dropped initiatives are in the list.
OPEN_STATUSES = (InitiativeStatus.PROPOSED, InitiativeStatus.PLANNED, InitiativeStatus.IN_PROGRESS)


def ranked(workspace: Workspace, *, horizon: str = "", status: str = "") -> QuerySet[Initiative]:
    """The workspace's initiatives, highest score first; a score set by hand counts instead
    of the computed one (`rank_score`)."""
    initiatives = (
        Initiative.objects.filter(workspace=workspace)
        .select_related("owner__user")
        .prefetch_related(
            Prefetch("problems", queryset=Problem.objects.only("pk", "title").order_by("-score")),
            Prefetch("goals", queryset=Goal.objects.only("pk", "objective").order_by("id")),
        )
        .annotate(rank_score=Coalesce(F("score_override"), F("score"), output_field=FloatField()))
    )
    if horizon:
        initiatives = initiatives.filter(horizon=horizon)
    if status:
        initiatives = initiatives.filter(status=status)
    return initiatives.order_by("-rank_score", "id")


@dataclass
class Column:
    horizon: str
    title: str
    initiatives: list[Initiative] = field(default_factory=list)


def board(workspace: Workspace) -> list[Column]:
    """Now, next, later: the open initiatives in each, highest score first."""
    columns = {value: Column(value, str(label)) for value, label in Horizon.choices}
    for initiative in ranked(workspace).filter(status__in=OPEN_STATUSES):
        columns[initiative.horizon].initiatives.append(initiative)
    return list(columns.values())


@dataclass(frozen=True)
class KeyResultRow:
    key_result: KeyResult
    progress: scoring.Progress


@dataclass
class GoalRow:
    goal: Goal
    key_results: list[KeyResultRow]
    initiatives: list[Initiative]

    @property
    def measurable(self) -> bool:
        return bool(self.key_results)

    @property
    def progress(self) -> scoring.Progress | None:
        """The mean of its key results' progress; None when it has none."""
        if not self.key_results:
            return None
        share = sum(row.progress.share for row in self.key_results) / len(self.key_results)
        return scoring.Progress(share, "up")


def key_result_rows(key_results: list[KeyResult]) -> list[KeyResultRow]:
    return [
        KeyResultRow(kr, scoring.progress(kr.baseline, kr.target, kr.current)) for kr in key_results
    ]


def goals_with_initiatives(
    workspace: Workspace, *, include_closed: bool = True, pk: int | None = None
) -> list[GoalRow]:
    """Every goal (or the one with `pk`) with its key results' progress and the initiatives
    serving it (not dropped), highest score first. A goal whose `initiatives` is empty is
    served by nothing."""
    goals = Goal.objects.filter(workspace=workspace).select_related("owner__user")
    if pk is not None:
        goals = goals.filter(pk=pk)
    if not include_closed:
        goals = goals.exclude(status__in=[GoalStatus.DROPPED, GoalStatus.ACHIEVED])
    serving = Initiative.objects.exclude(status=InitiativeStatus.DROPPED).annotate(
        rank_score=Coalesce(F("score_override"), F("score"), output_field=FloatField())
    )
    goals = goals.prefetch_related(
        Prefetch("key_results", queryset=KeyResult.objects.order_by("position", "id")),
        Prefetch("initiatives", queryset=serving.order_by("-rank_score", "id")),
    ).order_by(F("due_on").asc(nulls_last=True), "id")
    return [
        GoalRow(
            goal=goal,
            key_results=key_result_rows(list(goal.key_results.all())),
            initiatives=list(goal.initiatives.all()),
        )
        for goal in goals
    ]


def moves_in_period(workspace: Workspace, since: datetime, until: datetime) -> QuerySet[Move]:
    """Every move of the workspace's initiatives with since <= moved_at < until, oldest first,
    with the initiative, who moved it and the reason they gave. Arrivals on the roadmap are
    moves too (`Move.added`)."""
    return (
        Move.objects.filter(workspace=workspace, moved_at__gte=since, moved_at__lt=until)
        .select_related("initiative", "moved_by__user")
        .prefetch_related(
            Prefetch("initiative__problems", queryset=Problem.objects.only("pk", "title")),
            Prefetch("initiative__goals", queryset=Goal.objects.only("pk", "objective")),
        )
        .order_by("moved_at", "id")
    )


@dataclass(frozen=True)
class ProblemWhy:
    """A problem the initiative solves, with its representative customer quotes."""

    problem: Problem
    quotes: list[Evidence]


@dataclass
class InitiativePage:
    problems: list[ProblemWhy]
    goals: list[Goal]
    cited: list[Evidence]
    moves: list[Move]
    confidence: scoring.Confidence
    figures: scoring.EvidenceFigures


def initiative_page(initiative: Initiative) -> InitiativePage:
    """What an initiative's page shows besides the initiative, in a fixed number of queries."""
    problems = list(initiative.problems.order_by("-score", "id"))
    wanted = [q for p in problems for q in p.quote_ids[:QUOTES_PER_PROBLEM]]
    quotes = (
        Evidence.objects.filter(workspace_id=initiative.workspace_id)
        .select_related("account", "contact")
        .prefetch_related("tags")
        .in_bulk(wanted)
    )
    counted = scoring.EvidenceFigures.from_dict(initiative.figures or {})
    return InitiativePage(
        problems=[
            ProblemWhy(p, [quotes[q] for q in p.quote_ids[:QUOTES_PER_PROBLEM] if q in quotes])
            for p in problems
        ],
        goals=list(initiative.goals.order_by("id")),
        cited=list(
            initiative.evidence.select_related("account", "contact")
            .prefetch_related("tags")
            .order_by("-occurred_at", "-id")
        ),
        moves=list(initiative.moves.select_related("moved_by__user").order_by("-moved_at", "-id")),
        confidence=scoring.confidence(counted),
        figures=counted,
    )
