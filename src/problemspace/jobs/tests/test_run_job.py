from __future__ import annotations

from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from problemspace.evidence.models import Evidence
from problemspace.jobs import services
from problemspace.jobs.models import Job, Kind, State
from problemspace.jobs.tasks import run_job
from problemspace.problems.models import Problem
from problemspace.problems.tests.helpers import embedder, load_bias_scenario
from problemspace.testing import BaseTestCase

GOOD_CSV = (
    "id,text,date,account,channel\n"
    "1,Month-end export to NetSuite fails,2025-03-01,Globex,support\n"
    "2,Approvals stall when the approver is away,2025-03-02,Initech,support\n"
)
BAD_CSV = "id,text,date\n1,Fine row,2025-03-01\n2,Bad date,the 45th of Smarch\n"


class ImportJobTestCase(BaseTestCase):
    def start(self, content: str, name: str = "tickets.csv") -> Job:
        upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
        with self.captureOnCommitCallbacks(execute=False):
            return services.start_import(self.member(self.carol), upload, {"channel": "other"})

    def test_it_imports_the_file_and_reports(self) -> None:
        job = self.start(GOOD_CSV)
        stored = job.params["stored_name"]
        self.assertTrue(default_storage.exists(stored))
        self.assertTrue(run_job(job.pk))
        job.refresh_from_db()
        self.assertEqual(job.state, State.DONE, job.message)
        self.assertEqual(job.result["created"], 2)
        self.assertIn("Imported 2 new evidence item(s) from tickets.csv", job.message)
        self.assertEqual(Evidence.objects.filter(workspace=self.workspace).count(), 2)
        self.assertFalse(default_storage.exists(stored))

    def test_a_bad_file_imports_nothing_and_lists_the_rows(self) -> None:
        job = self.start(BAD_CSV)
        run_job(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, State.FAILED)
        self.assertIn("Nothing was imported", job.message)
        self.assertEqual(job.result["errors"][0]["line"], 3)
        self.assertEqual(Evidence.objects.count(), 0)

    def test_an_unreadable_file_fails_with_its_reason(self) -> None:
        job = self.start("", name="empty.csv")
        run_job(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, State.FAILED)
        self.assertIn("empty", job.message.lower())

    def test_a_job_runs_once(self) -> None:
        job = self.start(GOOD_CSV)
        self.assertTrue(run_job(job.pk))
        self.assertFalse(run_job(job.pk))
        self.assertEqual(Evidence.objects.count(), 2)

    def test_the_upload_name_never_picks_the_stored_path(self) -> None:
        job = self.start(GOOD_CSV, name="../../etc/passwd.csv")
        self.assertEqual(job.params["filename"], "passwd.csv")
        self.assertTrue(job.params["stored_name"].startswith("imports/"))
        self.assertNotIn("..", job.params["stored_name"])
        self.assertEqual(services.shown_name("..\\..\\boot.ini"), "boot.ini")
        self.assertEqual(services.shown_name(".."), "upload")

    def test_an_unexpected_error_fails_the_job_without_details(self) -> None:
        job = self.start(GOOD_CSV)
        with (
            mock.patch(
                "problemspace.jobs.runners.import_evidence", side_effect=RuntimeError("boom")
            ),
            self.assertLogs("problemspace.jobs.tasks", "ERROR"),
        ):
            run_job(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, State.FAILED)
        self.assertIn("Something went wrong on our side", job.message)
        self.assertNotIn("boom", job.message)

    def test_it_is_queued_for_a_worker_after_commit(self) -> None:
        from django_tasks_db.models import DBTaskResult

        upload = SimpleUploadedFile("t.csv", GOOD_CSV.encode())
        with self.captureOnCommitCallbacks(execute=True):
            job = services.start_import(self.member(self.carol), upload, {})
            self.assertFalse(DBTaskResult.objects.exists())
        queued = DBTaskResult.objects.get()
        self.assertEqual(queued.args_kwargs["args"], [job.pk])
        self.assertTrue(queued.task_path.endswith("run_job_task"))
        Path(default_storage.path(job.params["stored_name"])).unlink()


class SynthesisJobTestCase(BaseTestCase):
    def test_it_synthesizes_with_progress(self) -> None:
        load_bias_scenario(self.workspace)
        with self.captureOnCommitCallbacks(execute=False):
            job = services.start_synthesis(self.member(self.bob))
        stages = []
        with (
            mock.patch(
                "problemspace.problems.services.default_embedder",
                return_value=(embedder(), []),
            ),
            mock.patch(
                "problemspace.jobs.progress.JobProgress.stage",
                autospec=True,
                side_effect=lambda self, name, total=None: stages.append(name),
            ),
        ):
            run_job(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, State.DONE, job.message)
        self.assertEqual(job.kind, Kind.SYNTHESIS)
        self.assertIn("embedding evidence", stages)
        self.assertIn("problem(s)", job.message)
        self.assertTrue(Problem.objects.filter(workspace=self.workspace).exists())
        self.assertEqual(
            job.result["counts"]["problems"],
            Problem.objects.filter(workspace=self.workspace, candidate=False).count(),
        )
