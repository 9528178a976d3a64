"""Business goals with their key results, and the roadmap's initiatives that serve them.

A Goal is an objective with measurable key results; it may be drafted without them, but it
cannot be made active until it has one (an objective nobody can measure is a wish). An
Initiative is a roadmap item: the customer problems it solves (the why), the goals it serves
(what for), its horizon and status, and a RICE-style score whose reach and confidence come from
the linked problems' evidence (roadmap/scoring.py). Every change of horizon or status is kept
as a Move, with who, when and why, so a brief can tell "what moved on the roadmap, and why".

Links only go from an initiative to problems and to goals; nothing links back, and goals do not
link to goals, so the links cannot form a cycle.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem
from problemspace.roadmap.scoring import IMPACT_WORDS
from problemspace.workspaces.models import Member, Workspace

MAX_TITLE = 200
MAX_TEXT = 4_000
MAX_REASON = 1_000
# RICE's impact scale (Intercom): minimal, low, medium, high, massive.
IMPACTS = tuple(IMPACT_WORDS)


class GoalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    MISSED = "missed", "Missed"
    DROPPED = "dropped", "Dropped"


# The statuses that claim something measurable, so they need key results.
MEASURED_STATUSES = (GoalStatus.ACTIVE, GoalStatus.ACHIEVED, GoalStatus.MISSED)


class Goal(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="goals")
    objective = models.CharField(max_length=MAX_TITLE)
    description = models.TextField(max_length=MAX_TEXT, blank=True)
    owner = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    # A label people use ("Q1 2027", "H2"), and the date it is judged on.
    period = models.CharField(max_length=40, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["workspace", "status"], name="goal_by_status")]

    def __str__(self) -> str:
        return self.objective


class KeyResult(models.Model):
    """One measure of a goal: from `baseline` to `target` by `due_on`, now at `current`.

    A target below the baseline is a measure that should go down (churn, time to close).
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    metric = models.CharField(max_length=MAX_TITLE)
    unit = models.CharField(max_length=24, blank=True)
    baseline = models.FloatField()
    target = models.FloatField()
    current = models.FloatField()
    due_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.metric


class Horizon(models.TextChoices):
    NOW = "now", "Now"
    NEXT = "next", "Next"
    LATER = "later", "Later"


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped", "Shipped"
    DROPPED = "dropped", "Dropped"


class Initiative(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=MAX_TITLE)
    description = models.TextField(max_length=MAX_TEXT, blank=True)
    horizon = models.CharField(max_length=8, choices=Horizon.choices, default=Horizon.LATER)
    status = models.CharField(
        max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.PROPOSED
    )
    problems: models.ManyToManyField[Problem, InitiativeProblem] = models.ManyToManyField(
        Problem, through="InitiativeProblem", related_name="initiatives", blank=True
    )
    goals: models.ManyToManyField[Goal, InitiativeGoal] = models.ManyToManyField(
        Goal, through="InitiativeGoal", related_name="initiatives", blank=True
    )
    # Quotes the team cites as the reason for it, besides its problems' evidence.
    evidence: models.ManyToManyField[Evidence, InitiativeEvidence] = models.ManyToManyField(
        Evidence, through="InitiativeEvidence", related_name="initiatives", blank=True
    )
    # Entered: person-weeks of work, and RICE's impact per customer reached.
    effort = models.FloatField(default=1.0)
    impact = models.FloatField(default=1.0)
    external_url = models.URLField(max_length=2000, blank=True)
    owner = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="initiatives"
    )
    # A score set by hand, which the ranking uses instead of the computed one; never without
    # the reason, so the roadmap says when judgement overrode the evidence and why.
    score_override = models.FloatField(null=True, blank=True)
    override_reason = models.TextField(max_length=MAX_REASON, blank=True)
    # Computed from the linked problems' evidence (services.refresh_score): the figures the
    # score came from, the score and its explanation, and when they were counted.
    figures = models.JSONField(default=dict, blank=True)
    score = models.FloatField(default=0.0)
    explanation = models.CharField(max_length=400, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["workspace", "horizon"], name="initiative_by_horizon"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(effort__gt=0), name="initiative_effort_gt_0"),
            models.CheckConstraint(
                condition=models.Q(impact__in=IMPACTS), name="initiative_impact_rice_scale"
            ),
            models.CheckConstraint(
                condition=models.Q(score_override__isnull=True) | ~models.Q(override_reason=""),
                name="initiative_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_score(self) -> float:
        return self.score if self.score_override is None else self.score_override

    @property
    def impact_label(self) -> str:
        return IMPACT_WORDS.get(self.impact, str(self.impact))


class InitiativeProblem(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "problem"], name="initiative_problem_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} solves {self.problem_id}"


class InitiativeGoal(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "goal"], name="initiative_goal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} serves {self.goal_id}"


class InitiativeEvidence(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "evidence"], name="initiative_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} cited by {self.initiative_id}"


class Move(models.Model):
    """One change of an initiative's horizon or status (or its arrival on the roadmap, with
    empty `from_` fields): who, when, and the reason they gave."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="moves")
    from_horizon = models.CharField(max_length=8, choices=Horizon.choices, blank=True)
    to_horizon = models.CharField(max_length=8, choices=Horizon.choices)
    from_status = models.CharField(max_length=16, choices=InitiativeStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=InitiativeStatus.choices)
    reason = models.TextField(max_length=MAX_REASON, blank=True)
    moved_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["moved_at", "id"]
        # Briefs ask "what moved on the roadmap between these dates" of one workspace.
        indexes = [models.Index(fields=["workspace", "moved_at"], name="roadmap_moves")]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_horizon}/{self.from_status} → " + (
            f"{self.to_horizon}/{self.to_status}"
        )

    @property
    def added(self) -> bool:
        """True for the move that put the initiative on the roadmap."""
        return not self.from_horizon and not self.from_status

    def describe(self) -> str:
        """ "Next → Now, planned → in progress", or "added to Later (proposed)"."""
        to_h, to_s = self.get_to_horizon_display(), self.get_to_status_display().lower()
        if self.added:
            return f"added to {to_h} ({to_s})"
        parts = []
        if self.from_horizon != self.to_horizon:
            parts.append(f"{self.get_from_horizon_display()} → {to_h}")
        if self.from_status != self.to_status:
            parts.append(f"{self.get_from_status_display().lower()} → {to_s}")
        return ", ".join(parts)
