from __future__ import annotations

from problemspace.jobs.models import Job, Kind, State
from problemspace.testing import BaseTestCase


class JobPageTestCase(BaseTestCase):
    def job(self, **fields) -> Job:
        fields.setdefault("workspace", self.workspace)
        fields.setdefault("kind", Kind.IMPORT)
        fields.setdefault("requested_by", self.member(self.carol))
        return Job.objects.create(**fields)

    def test_a_running_job_shows_its_progress_and_refreshes(self) -> None:
        job = self.job(
            state=State.RUNNING,
            stage="reading and checking rows",
            done=250,
            total=1000,
            params={"filename": "tickets.csv"},
        )
        self.client.force_login(self.vic)
        response = self.client.get(f"/w/acme/jobs/{job.pk}/")
        self.assertContains(response, "Importing tickets.csv")
        self.assertContains(response, "reading and checking rows")
        self.assertContains(response, 'value="25"')
        self.assertContains(response, '<meta http-equiv="refresh" content="3">')
        self.assertContains(response, f'data-job-poll="/w/acme/jobs/{job.pk}/?format=json"')

    def test_the_poll_answers_json(self) -> None:
        job = self.job(state=State.RUNNING, done=5, total=10)
        self.client.force_login(self.vic)
        data = self.client.get(f"/w/acme/jobs/{job.pk}/?format=json").json()
        self.assertEqual((data["state"], data["percent"]), ("running", 50))

    def test_a_failed_import_lists_the_rows_to_fix(self) -> None:
        job = self.job(
            state=State.FAILED,
            message="Nothing was imported: 1 row(s) of t.csv need fixing.",
            result={
                "errors": [{"line": 3, "field": "occurred_at", "reason": "<b>not a date</b>"}],
                "error_count": 1,
            },
        )
        self.client.force_login(self.vic)
        response = self.client.get(f"/w/acme/jobs/{job.pk}/")
        self.assertContains(response, "Nothing was imported")
        self.assertContains(response, "&lt;b&gt;not a date&lt;/b&gt;")
        self.assertNotContains(response, 'http-equiv="refresh"')
        self.assertNotContains(response, 'data-job-poll="/')

    def test_a_finished_import_links_to_the_inbox(self) -> None:
        job = self.job(state=State.DONE, message="Imported 2 new evidence item(s) from t.csv.")
        self.client.force_login(self.vic)
        response = self.client.get(f"/w/acme/jobs/{job.pk}/")
        self.assertContains(response, 'href="/w/acme/inbox/"')

    def test_the_list_shows_recent_jobs(self) -> None:
        self.job(params={"filename": "reviews.jsonl"})
        self.client.force_login(self.vic)
        self.assertContains(self.client.get("/w/acme/jobs/"), "Import: reviews.jsonl")

    def test_it_checks_ownership(self) -> None:
        job = self.job()
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(f"/w/acme/jobs/{job.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/w/other/jobs/{job.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/w/acme/jobs/").status_code, 404)

    def test_it_requires_sign_in(self) -> None:
        job = self.job()
        response = self.client.get(f"/w/acme/jobs/{job.pk}/")
        self.assertEqual(response.status_code, 302)
