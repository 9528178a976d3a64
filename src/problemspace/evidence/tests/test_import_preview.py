"""The upload page's preview: every column with the field it goes to and its first values,
changeable, saved by name for the next file; nothing is read into the workspace before."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from problemspace.evidence.models import Evidence, ImportColumns
from problemspace.evidence.tests.test_import_page import UploadTestCase
from problemspace.jobs.models import Job
from problemspace.jobs.services import sweep_abandoned_uploads
from problemspace.jobs.tasks import run_job

EXPORTS = Path(__file__).parent / "exports"


class ImportPreviewTestCase(UploadTestCase):
    def post_file(self, name: str, content: bytes, **fields: object) -> str:
        data: dict[str, object] = {
            "source": "",
            "mapping": "",
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        }
        data.update(fields)
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/w/acme/import/preview/?draft=", response["Location"])
        return str(response["Location"])

    def choice(self, page: object, column: str) -> tuple[str, str]:
        form = page.context["form"]  # type: ignore[attr-defined]
        for name, label in form.names:
            if label == column:
                return name, form[name].value()
        raise AssertionError(column)

    def test_the_preview_shows_each_column_and_stores_nothing(self) -> None:
        self.client.force_login(self.carol)
        content = (EXPORTS / "reviews_com.example.ledger_202503.csv").read_bytes()
        preview = self.post_file("reviews_com.example.ledger_202503.csv", content)
        page = self.client.get(preview)
        self.assertContains(page, "Read as: Google Play Console reviews. UTF-16, comma-separated.")
        self.assertEqual(self.choice(page, "Star Rating")[1], "score")
        self.assertEqual(self.choice(page, "Review Text")[1], "text")
        self.assertEqual(self.choice(page, "Package Name")[1], "")
        self.assertContains(page, "Crashes every time I scan a receipt.")
        self.assertFalse(Job.objects.exists())
        self.assertFalse(Evidence.objects.exists())

    def test_a_changed_column_is_imported_as_chosen(self) -> None:
        self.client.force_login(self.carol)
        preview = self.post_file(
            "zendesk-tickets.csv", (EXPORTS / "zendesk-tickets.csv").read_bytes()
        )
        page = self.client.get(preview)
        subject, _ = self.choice(page, "Subject")
        organization, _ = self.choice(page, "Organization")
        response = self.confirm(preview, **{subject: "", organization: ""}, save_as="Zendesk")
        job = Job.objects.get()
        self.assertRedirects(response, f"/w/acme/jobs/{job.pk}/", fetch_redirect_response=False)
        self.assertIn("Subject", job.params["ignore"])
        run_job(job.pk)
        first = Evidence.objects.get(external_id="4812")
        self.assertTrue(first.text.startswith("Every time we run the export"))
        self.assertIsNone(first.account)
        saved = ImportColumns.objects.get(workspace=self.workspace, name="Zendesk")
        self.assertNotIn("title", saved.fields)
        self.assertIn("Organization", saved.ignore)

    def test_saved_columns_read_the_next_file_the_same_way(self) -> None:
        ImportColumns.objects.create(
            workspace=self.workspace,
            name="Tickets",
            fields={"text": ["Body"], "occurred_at": ["Created"]},
            ignore=["Company"],
        )
        self.client.force_login(self.carol)
        saved = ImportColumns.objects.get().pk
        self.assertContains(self.client.get(self.url), "Columns saved earlier")
        preview = self.post_file(
            "t.csv", b"Body,Created,Company\nSSO please,2025-01-02,Acme\n", saved=saved
        )
        page = self.client.get(preview)
        self.assertEqual(self.choice(page, "Company")[1], "")
        self.confirm(preview)
        run_job(Job.objects.get().pk)
        self.assertIsNone(Evidence.objects.get().account)

    def test_two_columns_for_one_field_are_refused_on_the_page(self) -> None:
        self.client.force_login(self.carol)
        preview = self.post_file("t.csv", b"Body,Created,When\nSSO please,2025-01-02,2025-01-03\n")
        page = self.client.get(preview)
        when, _ = self.choice(page, "When")
        response = self.confirm(preview, **{when: "occurred_at"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "&#x27;Created&#x27; already fills occurred_at")
        self.assertFalse(Job.objects.exists())

    def test_a_file_that_cannot_be_read_goes_back_with_the_reason(self) -> None:
        self.client.force_login(self.carol)
        preview = self.post_file("t.csv", b"Colour,Size\nred,2\n")
        response = self.client.get(preview, follow=True)
        self.assertContains(response, "has no column with the evidence text")
        self.assertEqual(self.stored_files(), [])

    def test_a_draft_is_only_for_its_member(self) -> None:
        self.client.force_login(self.carol)
        preview = self.post_file("t.csv", b"Body,Created\nSSO please,2025-01-02\n")
        self.client.force_login(self.bob)
        response = self.client.get(preview, follow=True)
        self.assertContains(response, "That preview is no longer available")
        tampered = preview[:-3] + "abc"
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(tampered, follow=True), "no longer available")

    def test_viewers_may_not_preview(self) -> None:
        self.client.force_login(self.vic)
        self.assertEqual(self.client.get("/w/acme/import/preview/?draft=x").status_code, 403)

    def test_uploads_nobody_confirmed_are_swept_after_a_day(self) -> None:
        self.client.force_login(self.carol)
        self.post_file("t.csv", b"Body,Created\nSSO please,2025-01-02\n")
        [stored] = self.stored_files()
        old = time.time() - 2 * 24 * 3600
        os.utime(stored, (old, old))
        self.assertEqual(sweep_abandoned_uploads(), 1)
        self.assertEqual(self.stored_files(), [])
        self.assertEqual(sweep_abandoned_uploads(timezone.now() + timedelta(days=3)), 0)
        self.assertFalse(default_storage.exists("imports/none"))
