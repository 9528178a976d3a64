"""Customer problems, the evidence behind each, and the cache that keeps synthesis fast.

The synthesis itself is plain Python (problemspace.synthesis); these models store what it
returns and what the PM decides about it. The PM's decisions are facts synthesis must respect:
a renamed title (`title_edited`), a pinned or dismissed problem, and evidence the PM placed
(`ProblemEvidence.placed_by == PM`) are never changed by a later synthesis.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.synthesis.cluster import DEFAULT_GRANULARITY
from problemspace.synthesis.kinds import KINDS, QUESTION
from problemspace.workspaces.models import Workspace


class Embedding(models.Model):
    """One text's vector under one model, shared by every evidence item with that text.

    Keyed by a hash of the text, so nothing is embedded twice: not on re-synthesis, not for
    copies of one text, not when a workspace is restored from an export.
    """

    model_id = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_id", "content_hash"], name="embedding_unique_per_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_id}:{self.content_hash[:12]}"


class Status(models.TextChoices):
    DISCOVERED = "discovered", "Discovered"
    VALIDATED = "validated", "Validated"
    BEING_SOLVED = "being_solved", "Being solved"
    SOLVED = "solved", "Solved"


class Problem(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="problems")
    title = models.CharField(max_length=200)
    statement = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DISCOVERED)
    # The PM's decisions, which synthesis keeps.
    title_edited = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    dismissed = models.BooleanField(default=False)
    # A group of new evidence that fits no existing problem: shown apart until a full synthesis
    # or the PM makes it a problem.
    candidate = models.BooleanField(default=False)
    # Set by synthesis: a group that is mostly praise (synthesis.praise). It is what customers
    # value, shown apart from the ranking of problems.
    praise = models.BooleanField(default=False)
    # Filled by synthesis.
    centroid = models.BinaryField(null=True, blank=True)
    quote_ids = models.JSONField(default=list, blank=True)
    score = models.FloatField(default=0.0)
    score_components = models.JSONField(default=dict, blank=True)
    explanation = models.CharField(max_length=300, blank=True)
    # The accounts, segments and weeks of its evidence, summed when synthesis places it
    # (problems/profile.py), so its page need not aggregate every item on each view.
    profile = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["workspace", "-score"], name="problem_ranking")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_mix(self) -> dict[str, int]:
        """How many of its items are of each kind (synthesis.kinds), in KINDS order."""
        counts = (self.profile or {}).get("kinds", {})
        return {kind: int(counts[kind]) for kind in KINDS if counts.get(kind)}

    @property
    def mostly_questions(self) -> bool:
        """Most of it is questions: customers asking how, not saying what is wrong (often a
        gap in help or onboarding rather than in the product)."""
        mix = self.kind_mix
        return bool(mix) and mix.get(QUESTION, 0) * 2 > sum(mix.values())

    @property
    def touched_by_pm(self) -> bool:
        return (
            self.title_edited
            or self.pinned
            or self.dismissed
            or self.status != Status.DISCOVERED
            or bool(self.statement)
        )


# What every synthesis recomputes on each problem it keeps, from the problem's evidence; the
# rest is the PM's (pinned, dismissed, status, statement, an edited title's flag).
RECOMPUTED_FIELDS = (
    "title",
    "keywords",
    "quote_ids",
    "score",
    "score_components",
    "explanation",
    "praise",
    "updated_at",
)


class PlacedBy(models.TextChoices):
    SYNTHESIS = "synthesis", "Synthesis"
    PM = "pm", "PM"


class ProblemEvidence(models.Model):
    """Evidence for a problem. An evidence item backs at most one problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    evidence = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="problem_link")
    placed_by = models.CharField(
        max_length=16, choices=PlacedBy.choices, default=PlacedBy.SYNTHESIS
    )
    # The earliest item of the same conversation, when this one repeats it (copy-pasted
    # ticket, the same call relayed twice): it is shown but counted once.
    duplicate_of = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The Embedding.content_hash of the evidence's vector when synthesis placed it, so search
    # by meaning reads the vectors of a problem's evidence without reading its texts.
    vector_key = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        # A problem's evidence, the latest placed first (search by meaning reads the latest of
        # the nearest problems): without the id in the index PostgreSQL walks the whole table
        # backwards to find the latest of a problem placed early.
        indexes = [models.Index(fields=["problem", "-id"], name="problem_evidence_latest")]

    def __str__(self) -> str:
        return f"{self.evidence_id} in {self.problem_id}"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SynthesisRun(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField(max_length=16)  # "full" or "incremental"
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    model_id = models.CharField(max_length=64, blank=True)
    # How fine the problems are cut (synthesis.cluster.GRANULARITY); later runs keep it.
    granularity = models.CharField(max_length=16, default=DEFAULT_GRANULARITY)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    # The ranking this run left (problem ids, first to last, as the problems list shows it),
    # so a later run can say how each problem moved.
    ranking = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.mode} synthesis of {self.workspace_id} ({self.status})"

    def finish(self, status: str, **fields: Any) -> None:
        self.status = status
        self.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(self, name, value)
        self.save()


class EditKind(models.TextChoices):
    MERGE = "merge", "Merge"
    SPLIT = "split", "Split"
    MOVE = "move", "Move"
    RENAME = "rename", "Rename"


class ProblemEdit(models.Model):
    """One of the PM's edits to problems, kept as the workspace's history of edits.

    `before` holds what the edit changed as it was (problems/history.py), so the latest edits
    can be undone; it is emptied once an edit is too old to undo, or has been undone. Problems
    are named by id inside it, not by foreign key: a merge deletes the problems it folds, and
    their history must outlive them.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="problem_edits")
    kind = models.CharField(max_length=16, choices=EditKind.choices)
    # What happened, in a sentence a PM reads in the history: "Merged “A” (12 items) into “B”".
    summary = models.CharField(max_length=600)
    made_by = models.ForeignKey(
        "workspaces.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "workspaces.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-made_at"], name="problem_edit_latest")]

    def __str__(self) -> str:
        return self.summary
