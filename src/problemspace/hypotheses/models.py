"""Assumptions behind the team's bets, and the experiments that test them.

A Hypothesis is one assumption ("We believe…"), typed and scored on the two axes of an
assumption map: how important it is to the bet, and how much evidence there already is. An
Experiment is a test card (how we will test it, what we measure, what proves us right), and its
LearningCard is the result (what we observed, what we learned, what we will do). Every change
of an assumption's status is kept as a StatusChange, so a brief can say what was validated or
killed in a period.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.interviews.models import Interview
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Member, Workspace

MAX_STATEMENT = 1_000
MAX_CARD_TEXT = 4_000
SCORE_MIN, SCORE_MAX = 1, 5


class Kind(models.TextChoices):
    PROBLEM = "problem", "Problem"
    SOLUTION = "solution", "Solution"
    VALUE = "value", "Value"
    USABILITY = "usability", "Usability"
    FEASIBILITY = "feasibility", "Feasibility"
    VIABILITY = "viability", "Viability"


class Status(models.TextChoices):
    UNTESTED = "untested", "Untested"
    TESTING = "testing", "Testing"
    VALIDATED = "validated", "Validated"
    INVALIDATED = "invalidated", "Invalidated"


def _score_field(help_text: str) -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=help_text,
    )


class Hypothesis(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="hypotheses")
    statement = models.TextField(max_length=MAX_STATEMENT)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    importance = _score_field("1 (a detail) to 5 (the bet fails without it)")
    evidence_strength = _score_field("1 (a guess) to 5 (well known from evidence)")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNTESTED)
    problems: models.ManyToManyField[Problem, HypothesisProblem] = models.ManyToManyField(
        Problem, through="HypothesisProblem", related_name="hypotheses", blank=True
    )
    evidence: models.ManyToManyField[Evidence, HypothesisEvidence] = models.ManyToManyField(
        Evidence, through="HypothesisEvidence", related_name="hypotheses", blank=True
    )
    # The interviews whose debrief says they confirmed or contradicted it.
    interviews: models.ManyToManyField[Interview, HypothesisInterview] = models.ManyToManyField(
        Interview, through="HypothesisInterview", related_name="assumptions", blank=True
    )
    owner = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="hypotheses"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "hypotheses"
        ordering = ["-importance", "evidence_strength", "id"]
        indexes = [models.Index(fields=["workspace", "status"], name="hypothesis_by_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__gte=SCORE_MIN, importance__lte=SCORE_MAX),
                name="hypothesis_importance_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    evidence_strength__gte=SCORE_MIN, evidence_strength__lte=SCORE_MAX
                ),
                name="hypothesis_evidence_strength_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def important(self) -> bool:
        """The upper half of the map. The middle score counts as important: when in doubt,
        an assumption is tested rather than left alone."""
        return self.importance >= 3

    @property
    def unknown(self) -> bool:
        """The right half of the map: little evidence yet (the middle counts as unknown)."""
        return self.evidence_strength <= 3

    @property
    def test_first(self) -> bool:
        return self.important and self.unknown


class HypothesisProblem(models.Model):
    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hypothesis", "problem"], name="hypothesis_problem_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hypothesis_id} about {self.problem_id}"


class HypothesisInterview(models.Model):
    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hypothesis", "interview"], name="hypothesis_interview_unique"
            )
        ]

    def __str__(self) -> str:
        return f"interview {self.interview_id} touched {self.hypothesis_id}"


class HypothesisEvidence(models.Model):
    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hypothesis", "evidence"], name="hypothesis_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} behind {self.hypothesis_id}"


class ExperimentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class Experiment(models.Model):
    """A test card (Strategyzer): We believe that… To verify that, we will… and measure… We
    are right if… The belief is the hypothesis's statement, so it is not repeated here."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="experiments")
    test = models.TextField(max_length=MAX_CARD_TEXT)
    metric = models.TextField(max_length=MAX_CARD_TEXT, blank=True)
    # May be left empty while the card is drafted; the result cannot be recorded without it,
    # since a criterion chosen after seeing the data proves nothing.
    criterion = models.TextField(max_length=MAX_CARD_TEXT, blank=True)
    cost = models.CharField(max_length=120, blank=True)
    duration_days = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ExperimentStatus.choices, default=ExperimentStatus.PLANNED
    )
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.test[:80]


class Outcome(models.TextChoices):
    VALIDATED = "validated", "Validated"
    INVALIDATED = "invalidated", "Invalidated"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class LearningCard(models.Model):
    """An experiment's result (Strategyzer's learning card): We observed… From that we
    learned… Therefore, we will… with the outcome for the hypothesis and the evidence cited."""

    experiment = models.OneToOneField(Experiment, on_delete=models.CASCADE, related_name="learning")
    observation = models.TextField(max_length=MAX_CARD_TEXT)
    learning = models.TextField(max_length=MAX_CARD_TEXT, blank=True)
    decision = models.TextField(max_length=MAX_CARD_TEXT, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    evidence: models.ManyToManyField[Evidence, LearningEvidence] = models.ManyToManyField(
        Evidence, through="LearningEvidence", related_name="learnings", blank=True
    )
    recorded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.outcome}: {self.observation[:60]}"


class LearningEvidence(models.Model):
    learning = models.ForeignKey(LearningCard, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learning", "evidence"], name="learning_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} cited by {self.learning_id}"


class StatusChange(models.Model):
    """One move of a hypothesis from one status to another: who, when, and why (the
    experiment whose result moved it, if one did)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    changed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    experiment = models.ForeignKey(
        Experiment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]
        # Briefs ask "what was validated or killed between these dates" of one workspace.
        indexes = [models.Index(fields=["workspace", "changed_at"], name="hypothesis_changes")]

    def __str__(self) -> str:
        return f"{self.hypothesis_id}: {self.from_status} → {self.to_status}"
