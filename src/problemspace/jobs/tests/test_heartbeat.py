from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from problemspace.jobs import services
from problemspace.jobs.heartbeat import ABANDONED, STALE, Heartbeat, fail_abandoned, this_worker
from problemspace.jobs.models import Job, Kind, State
from problemspace.jobs.progress import JobProgress
from problemspace.testing import BaseTestCase
from problemspace.workspaces.access import get_job_for_member


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


class AbandonedJobTests(BaseTestCase):
    def running(self, **fields) -> Job:
        defaults = {"started_at": timezone.now(), "worker": this_worker()}
        return Job.objects.create(
            workspace=self.workspace,
            kind=Kind.SYNTHESIS,
            state=State.RUNNING,
            **{**defaults, **fields},
        )

    def setUp(self) -> None:
        cache.clear()

    def test_a_job_whose_worker_process_is_gone_is_failed_and_no_longer_blocks(self):
        host = this_worker().rpartition(":")[0]
        job = self.running(worker=f"{host}:{dead_pid()}")

        self.assertIsNone(services.active_job(self.member(self.bob), Kind.SYNTHESIS))

        job.refresh_from_db()
        self.assertEqual(job.state, State.FAILED)
        self.assertEqual(job.message, ABANDONED)
        self.assertIsNotNone(job.finished_at)

    def test_a_job_of_a_live_worker_keeps_running(self):
        job = self.running()  # this very process

        self.assertEqual(services.active_job(self.member(self.bob), Kind.SYNTHESIS), job)
        self.assertEqual(fail_abandoned(self.workspace.pk), 0)

    def test_a_job_on_another_machine_is_judged_by_its_heartbeat(self):
        long_ago = timezone.now() - STALE - timedelta(seconds=5)
        silent = self.running(worker="elsewhere:1", started_at=long_ago, heartbeat_at=long_ago)
        beating = self.running(
            worker="elsewhere:2", started_at=long_ago, heartbeat_at=timezone.now()
        )

        self.assertEqual(fail_abandoned(self.workspace.pk), 1)

        silent.refresh_from_db()
        beating.refresh_from_db()
        self.assertEqual(silent.state, State.FAILED)
        self.assertEqual(beating.state, State.RUNNING)

    def test_a_beat_in_the_cache_is_enough(self):
        # SQLite during an import: the row cannot be written, the cache can.
        long_ago = timezone.now() - STALE - timedelta(seconds=5)
        job = self.running(worker="elsewhere:3", started_at=long_ago)
        Heartbeat(job).beat()
        Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)

        self.assertEqual(fail_abandoned(self.workspace.pk), 0)

    def test_only_the_workspaces_own_jobs_are_looked_at(self):
        long_ago = timezone.now() - STALE - timedelta(seconds=5)
        self.running(worker="elsewhere:4", started_at=long_ago, heartbeat_at=long_ago)

        self.assertEqual(fail_abandoned(self.other_workspace.pk), 0)


class LiveProgressTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_progress_inside_the_jobs_transaction_is_seen_by_pages(self):
        job = Job.objects.create(
            workspace=self.workspace,
            kind=Kind.IMPORT,
            state=State.RUNNING,
            started_at=timezone.now(),
            worker=this_worker(),
        )
        progress = JobProgress(job)
        with transaction.atomic():
            progress.stage("reading and checking rows", total=1000)
            progress.set(400)
            progress.flush()

        self.assertEqual(Job.objects.get(pk=job.pk).done, 0)  # the row was left alone
        seen = get_job_for_member(self.member(self.vic), job.pk)
        self.assertEqual(
            (seen.stage, seen.done, seen.total), ("reading and checking rows", 400, 1000)
        )
        self.client.force_login(self.vic)
        response = self.client.get(f"/w/acme/jobs/{job.pk}/?format=json")
        self.assertEqual(response.json()["percent"], 40)

    def test_the_heartbeat_writes_progress_to_the_row(self):
        job = Job.objects.create(
            workspace=self.workspace,
            kind=Kind.IMPORT,
            state=State.RUNNING,
            started_at=timezone.now(),
            worker=this_worker(),
        )
        job.stage, job.done, job.total = "embedding evidence", 7, 10
        Heartbeat(job).beat()

        job.refresh_from_db()
        self.assertEqual((job.stage, job.done, job.total), ("embedding evidence", 7, 10))
        self.assertIsNotNone(job.heartbeat_at)

    def test_a_finished_job_shows_its_row_not_stale_progress(self):
        job = Job.objects.create(
            workspace=self.workspace,
            kind=Kind.IMPORT,
            state=State.RUNNING,
            started_at=timezone.now(),
        )
        Heartbeat(job).beat()
        Job.objects.filter(pk=job.pk).update(state=State.DONE, stage="", done=10, total=10)

        seen = get_job_for_member(self.member(self.vic), job.pk)
        self.assertEqual((seen.done, seen.total), (10, 10))
