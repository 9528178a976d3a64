"""The one background task: run a job by its id.

The task is idempotent: it claims the job with a conditional UPDATE (queued -> running), so
a job handed to two workers, or enqueued twice, runs once. Tests call `run_job` directly.
"""

from __future__ import annotations

import logging

from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task

from problemspace.jobs.heartbeat import Heartbeat, this_worker
from problemspace.jobs.models import Job, State
from problemspace.jobs.progress import JobProgress
from problemspace.jobs.runners import RUNNERS, USER_ERRORS

log = logging.getLogger(__name__)


def run_job(job_id: int) -> bool:
    """Run job `job_id` if nobody has claimed it yet; True when this call ran it."""
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now(), worker=this_worker()
    )
    if not claimed:
        return False
    job = Job.objects.select_related("workspace").get(pk=job_id)
    progress = JobProgress(job)
    try:
        with Heartbeat(job):
            outcome = RUNNERS[job.kind](job, progress)
    except USER_ERRORS as exc:
        _finish(job, State.FAILED, str(exc), {})
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            State.FAILED,
            "Something went wrong on our side and nothing was changed. "
            "The server log has the details; try again or tell your administrator.",
            {},
        )
    else:
        state = State.FAILED if outcome.failed else State.DONE
        _finish(job, state, outcome.message, outcome.result)
    return True


def _finish(job: Job, state: str, message: str, result: dict) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state,
        message=message,
        result=result,
        stage="",
        done=job.total or job.done,
        finished_at=timezone.now(),
    )


@task()
def run_job_task(job_id: int) -> None:
    close_old_connections()
    run_job(job_id)
