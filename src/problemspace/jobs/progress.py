"""Progress written to the job row, at most a few times a second.

Progress goes to the cache for pages to read while the job runs (see jobs/heartbeat.py), and
to the row. Imports report every batch and synthesis every few hundred embeddings; writing
each report would double the work on SQLite, so updates closer together than INTERVAL are
skipped (the last one of a stage is always written by `flush`).
"""

from __future__ import annotations

import time

from django.db import connection

from problemspace.jobs.heartbeat import publish
from problemspace.jobs.models import Job

INTERVAL = 0.5


class JobProgress:
    def __init__(self, job: Job) -> None:
        self.job = job
        self._written_at = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        self.job.stage = name[:120]
        self.job.done = 0
        self.job.total = total
        self.flush()

    def set(self, done: int, total: int | None = None) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if time.monotonic() - self._written_at >= INTERVAL:
            self.flush()

    def advance(self, count: int) -> None:
        self.set(self.job.done + count)

    def flush(self) -> None:
        publish(self.job)
        if connection.in_atomic_block:
            # Invisible until the job's transaction commits, and on PostgreSQL it would lock
            # the row against the heartbeat: the heartbeat writes it instead.
            self._written_at = time.monotonic()
            return
        # Only the progress fields, and only while the job is still running: a job marked
        # failed by someone else is never brought back.
        Job.objects.filter(pk=self.job.pk, state="running").update(
            stage=self.job.stage, done=self.job.done, total=self.job.total
        )
        self._written_at = time.monotonic()
