"""Live progress of a running job, and telling a running job from one whose worker died.

Two things stand in the way of simply writing progress into the job row. An import is one
transaction (all or nothing), so progress written by it stays invisible until it commits; and
on SQLite nobody else can write at all while it runs. So progress is published to the cache
(shared by the web server and its worker on one machine), and the row gets it from a thread of
the worker with a connection of its own, whenever the database lets it (always on PostgreSQL,
where the row is never locked by the job's own transaction).

A worker killed in the middle of a job (a restart, a crash) cannot mark it failed, and the job
would say "running" for ever: its page would spin and no new synthesis could start. So the
same thread beats every HEARTBEAT seconds, whatever the job is doing (a clustering step can
report nothing for minutes), into the cache and the row; and the worker's host and process id
are on the row. A running job is abandoned when its worker's process is gone from this machine,
or when nothing heard from it for STALE. `fail_abandoned` marks such jobs failed. Imports are
one transaction and synthesis saves its problems in one at the end, so an abandoned job left
nothing half-written.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from problemspace.jobs.models import Job, State

log = logging.getLogger(__name__)

HEARTBEAT = 2.0
# Many missed heartbeats: a busy database or a paused process is not a dead worker.
STALE = timedelta(seconds=90)

ABANDONED = (
    "The worker running this job stopped before it finished (it was restarted or crashed), "
    "so nothing it was doing was saved. Start it again."
)


def this_worker() -> str:
    """How a job row names the process running it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def publish(job: Job) -> None:
    """Put the job's progress where pages read it while it runs."""
    cache.set(
        _key(job),
        {"stage": job.stage, "done": job.done, "total": job.total, "at": time.time()},
        timeout=int(STALE.total_seconds()) * 10,
    )


def with_live_progress(job: Job) -> Job:
    """`job` with the progress its worker last published, if it is still running."""
    if job.state == State.RUNNING:
        live = _live(job)
        if live is not None:
            job.stage, job.done, job.total = live["stage"], live["done"], live["total"]
    return job


class Heartbeat:
    """While open, beats for `job` (and writes its progress to the row) every `interval`."""

    def __init__(self, job: Job, interval: float = HEARTBEAT) -> None:
        self.job = job
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job.pk}-heartbeat")
        self._thread.daemon = True

    def __enter__(self) -> Heartbeat:
        publish(self.job)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            # The thread's own database connection; leave none open.
            connection.close()

    def beat(self) -> None:
        publish(self.job)
        try:
            Job.objects.filter(pk=self.job.pk, state=State.RUNNING).update(
                heartbeat_at=timezone.now(),
                stage=self.job.stage,
                done=self.job.done,
                total=self.job.total,
            )
        except DatabaseError:
            # SQLite while the job's own transaction writes: the cache has the beat.
            log.debug("job %s: heartbeat not written to the database", self.job.pk)


def fail_abandoned(workspace_id: int) -> int:
    """Mark failed the workspace's running jobs whose worker is gone; how many there were."""
    running = Job.objects.filter(workspace_id=workspace_id, state=State.RUNNING)
    fields = ("pk", "worker", "created_at", "started_at", "heartbeat_at")
    return sum(fail_if_abandoned(job) for job in running.only(*fields))


def fail_if_abandoned(job: Job) -> bool:
    """Mark `job` failed if it is running and its worker is gone; whether it was."""
    if job.state != State.RUNNING or not _abandoned(job):
        return False
    now = timezone.now()
    failed = Job.objects.filter(pk=job.pk, state=State.RUNNING).update(
        state=State.FAILED, message=ABANDONED, stage="", finished_at=now
    )
    job.state, job.message, job.stage, job.finished_at = State.FAILED, ABANDONED, "", now
    return bool(failed)


def _abandoned(job: Job) -> bool:
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid)):
        return True
    now = timezone.now()
    beats = [job.heartbeat_at, job.started_at]
    live = _live(job)
    if live is not None:
        beats.append(datetime.fromtimestamp(live["at"], tz=UTC))
    heard = max((b for b in beats if b is not None), default=None)
    return heard is not None and now - heard > STALE


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _live(job: Job) -> dict[str, Any] | None:
    value = cache.get(_key(job))
    return value if isinstance(value, dict) else None


def _key(job: Job) -> str:
    # The creation time too: a database made afresh numbers its jobs from 1 again, and the
    # cache must not show an old job's progress on a new one.
    return f"job-live:{job.pk}:{job.created_at.timestamp()}"
