"""What the assumption pages and the briefs read: lists, the map's quadrants, the board's
columns, and the history of decisions over a period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet

from problemspace.evidence.models import Evidence
from problemspace.hypotheses.models import (
    Experiment,
    Hypothesis,
    LearningCard,
    Status,
    StatusChange,
)
from problemspace.interviews.models import Interview
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Workspace

DECIDED = (Status.VALIDATED, Status.INVALIDATED)


def list_hypotheses(
    workspace: Workspace, *, kind: str = "", status: str = ""
) -> QuerySet[Hypothesis]:
    """The workspace's assumptions, most important and least known first."""
    hypotheses = Hypothesis.objects.filter(workspace=workspace).select_related("owner__user")
    if kind:
        hypotheses = hypotheses.filter(kind=kind)
    if status:
        hypotheses = hypotheses.filter(status=status)
    return hypotheses.annotate(
        experiment_count=Count("experiments", distinct=True),
        problem_count=Count("problems", distinct=True),
    ).order_by("-importance", "evidence_strength", "id")


@dataclass
class Quadrant:
    key: str
    title: str
    advice: str
    hypotheses: list[Hypothesis] = field(default_factory=list)


def assumption_map(hypotheses: list[Hypothesis]) -> list[Quadrant]:
    """David Bland's 2-by-2, read left to right and top to bottom: important rows above,
    well-known columns on the left, so "test first" (important, unknown) is top right.

    Killed assumptions leave the map: there is nothing left to test about them.
    """
    quadrants = {
        (True, False): Quadrant(
            "important-known", "Important, known", "Plan on it, and keep an eye on it."
        ),
        (True, True): Quadrant("test-first", "Important, unknown", "The riskiest: test these now."),
        (False, False): Quadrant(
            "minor-known", "Less important, known", "Little to learn; leave them."
        ),
        (False, True): Quadrant("minor-unknown", "Less important, unknown", "Test later, if ever."),
    }
    for hypothesis in hypotheses:
        if hypothesis.status == Status.INVALIDATED:
            continue
        quadrants[(hypothesis.important, hypothesis.unknown)].hypotheses.append(hypothesis)
    return list(quadrants.values())


@dataclass
class Column:
    status: str
    title: str
    hypotheses: list[Hypothesis] = field(default_factory=list)


def board(hypotheses: list[Hypothesis]) -> list[Column]:
    columns = {value: Column(value, str(label)) for value, label in Status.choices}
    for hypothesis in hypotheses:
        columns[hypothesis.status].hypotheses.append(hypothesis)
    return list(columns.values())


@dataclass
class HypothesisPage:
    problems: list[Problem]
    evidence: list[Evidence]
    experiments: list[Experiment]
    changes: list[StatusChange]
    interviews: list[Interview]


def hypothesis_page(hypothesis: Hypothesis) -> HypothesisPage:
    """What a hypothesis's page shows besides the hypothesis itself, in few queries."""
    return HypothesisPage(
        problems=list(hypothesis.problems.order_by("-score", "id")),
        evidence=list(
            hypothesis.evidence.select_related("account", "contact").order_by("-occurred_at", "-id")
        ),
        experiments=list(
            Experiment.objects.filter(hypothesis=hypothesis)
            .select_related("created_by__user", "learning__recorded_by__user")
            .prefetch_related("learning__evidence__account")
            .order_by("created_at", "id")
        ),
        changes=list(
            hypothesis.changes.select_related("changed_by__user", "experiment").order_by(
                "changed_at", "id"
            )
        ),
        interviews=list(hypothesis.interviews.order_by("-scheduled_at", "-id")),
    )


def learning_of(experiment: Experiment) -> LearningCard | None:
    try:
        return experiment.learning
    except LearningCard.DoesNotExist:
        return None


def status_changes(
    workspace: Workspace,
    since: datetime,
    until: datetime,
    *,
    to: tuple[str, ...] = DECIDED,
) -> QuerySet[StatusChange]:
    """Status changes of the workspace's assumptions in [since, until), by default the
    decisions (validated or invalidated), oldest first: what a brief reports as "assumptions
    validated or killed" over its period."""
    return (
        StatusChange.objects.filter(
            workspace=workspace, changed_at__gte=since, changed_at__lt=until, to_status__in=to
        )
        .select_related("hypothesis", "changed_by__user", "experiment")
        .prefetch_related(Prefetch("hypothesis__problems"))
        .order_by("changed_at", "id")
    )
