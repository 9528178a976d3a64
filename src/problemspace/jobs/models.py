"""Long work (imports, synthesis) done in the background, with progress people can watch.

A Job is what the person asked for and how far it got; the task queue (django-tasks, on the
database) only carries the job's id to a worker. The job row is the one place progress, the
outcome and any error are kept, so a page can show them whichever worker ran it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from problemspace.workspaces.models import Member, Workspace


class Kind(models.TextChoices):
    IMPORT = "import", "Import"
    SYNTHESIS = "synthesis", "Synthesis"
    REFRESH = "refresh", "Refresh of problems after an edit"


class State(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (State.DONE, State.FAILED)


class Job(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    # What to do: for an import, the stored file and the import options; for a synthesis,
    # whether to re-cluster everything.
    params = models.JSONField(default=dict, blank=True)
    # What a person sees while it runs: "embedding 1,200 of 3,000".
    stage = models.CharField(max_length=120, blank=True)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    # How it ended: a sentence for people, figures for programs.
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Who runs it ("host:pid") and when it was last heard from (jobs/heartbeat.py): a running
    # job whose worker died is told apart by them.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="job_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))

    def as_dict(self) -> dict[str, Any]:
        """What the progress poll and the API return."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "state": self.state,
            "state_label": self.get_state_display(),
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "message": self.message,
            "result": self.result,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
