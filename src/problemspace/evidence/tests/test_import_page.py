"""The import page: upload a file with its options, then follow the background job."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import override_settings

from problemspace.customers.models import Account
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.importing_helpers import confirm_preview
from problemspace.jobs.models import Job, Kind
from problemspace.jobs.tasks import run_job
from problemspace.testing import BaseTestCase

CSV = (
    "Ticket ID,Body,Created,Company\n"
    "T-1,Month-end export to NetSuite fails,03/04/2025,Globex\n"
    "T-2,Approvals stall when the approver is away,04/04/2025,Initech\n"
)


class UploadTestCase(BaseTestCase):
    url = "/w/acme/import/"

    def setUp(self) -> None:
        # Uploads land in a folder of this test's own, inside another one, so that a file
        # written next to it (a path traversal) would be seen.
        self.outer = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.outer, True)
        self.media = self.outer / "media"
        self.media.mkdir()
        media = override_settings(MEDIA_ROOT=str(self.media))
        media.enable()
        self.addCleanup(media.disable)

    def upload(self, content: str = CSV, name: str = "tickets.csv", **fields: object):
        data: dict[str, object] = {
            "channel": "support",
            "provenance": "first_hand",
            "source": "",
            "mapping": "",
            "file": SimpleUploadedFile(name, content.encode(), content_type="text/csv"),
        }
        data.update(fields)
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(self.url, data)
            if response.status_code != 302 or "/import/preview/" not in response["Location"]:
                return response
            return self.confirm(response["Location"])

    def confirm(self, preview_url: str, **changes: str):
        return confirm_preview(self.client, preview_url, **changes)

    def stored_files(self) -> list[Path]:
        return [p for p in self.outer.rglob("*") if p.is_file()]


class ImportPageTestCase(UploadTestCase):
    def test_it_shows_the_form(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, "Channel for rows without one")
        self.assertContains(response, "Up to 1.0\xa0GB")

    def test_it_starts_an_import_job_and_shows_its_progress(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(
            source="zendesk", mapping="text=Body\noccurred_at=Created", dayfirst="on"
        )
        job = Job.objects.get()
        self.assertRedirects(response, f"/w/acme/jobs/{job.pk}/", fetch_redirect_response=False)
        self.assertEqual(job.kind, Kind.IMPORT)
        self.assertEqual(job.requested_by, self.member(self.carol))
        self.assertEqual(job.workspace, self.workspace)
        params = job.params
        self.assertEqual(params["channel"], "support")
        self.assertEqual(params["source"], "zendesk")
        self.assertEqual(params["mapping"], {"text": "Body", "occurred_at": "Created"})
        self.assertTrue(params["dayfirst"])
        self.assertEqual(params["filename"], "tickets.csv")
        self.assertTrue((self.media / params["stored_name"]).is_file())
        self.assertEqual(self.client.get(response["Location"]).status_code, 200)

    def test_the_job_imports_with_the_options_chosen(self) -> None:
        self.client.force_login(self.carol)
        self.upload(dayfirst="on", provenance="relayed", relayed_by="Support team")
        run_job(Job.objects.get().pk)
        evidence = Evidence.objects.get(external_id="T-1")
        self.assertEqual(evidence.channel, Channel.SUPPORT)
        self.assertEqual((evidence.occurred_at.month, evidence.occurred_at.day), (4, 3))
        self.assertEqual(evidence.provenance, Provenance.RELAYED)
        self.assertEqual(evidence.relayed_by, "Support team")
        self.assertEqual(evidence.account, Account.objects.get(name="Globex"))
        self.assertEqual(self.stored_files(), [])

    def test_the_uploads_name_never_decides_where_it_is_stored(self) -> None:
        self.client.force_login(self.carol)
        for name in [
            "../../evil.csv",
            "..\\..\\evil.csv",
            "/etc/cron.d/evil.csv",
            "..%2f..%2fevil.csv",
        ]:
            with self.subTest(name=name):
                response = self.upload(name=name)
                self.assertEqual(response.status_code, 302)
        stored = self.stored_files()
        self.assertEqual(len(stored), 4)
        for path in stored:
            self.assertEqual(path.parent, self.media / "imports")
            self.assertRegex(path.name, r"^[0-9a-f]{32}\.csv$")
        for name in Job.objects.values_list("params__filename", flat=True):
            self.assertNotIn("/", name)
            self.assertNotIn("\\", name)
            self.assertNotIn(name, {"", ".", ".."})

    def test_mapping_errors_are_shown_next_to_the_field_and_kept(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(mapping="text=Body\nbody text\nsentiment=Mood", source="zendesk")
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors["mapping"]
        self.assertEqual(len(errors), 2)
        self.assertIn("Line 2: 'body text' is not FIELD=COLUMN", errors[0])
        self.assertIn("Line 3: 'sentiment=Mood': there is no field 'sentiment'", errors[1])
        self.assertContains(response, 'id="id_mapping_error"')
        self.assertContains(response, "text=Body\nbody text\nsentiment=Mood</textarea>")
        self.assertContains(response, 'value="zendesk"')
        self.assertFalse(Job.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_blank_and_comment_lines_of_the_mapping_are_ignored(self) -> None:
        self.client.force_login(self.carol)
        self.upload(mapping="\n# the body column\ntext = Body\n\n")
        self.assertEqual(Job.objects.get().params["mapping"], {"text": "Body"})

    @override_settings(IMPORT_MAX_BYTES=1000)
    def test_a_file_over_the_limit_is_refused_before_it_is_stored(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(content=CSV * 20, source="zendesk")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "That file is larger than 1,000 bytes")
        self.assertContains(response, 'value="zendesk"')
        self.assertFalse(Job.objects.exists())
        self.assertEqual(self.stored_files(), [])

    @override_settings(IMPORT_MAX_BYTES=1024 * 1024)
    def test_a_body_over_the_limit_is_not_read_into_a_file(self) -> None:
        self.client.force_login(self.carol)
        with (
            mock.patch.object(TemporaryFileUploadHandler, "receive_data_chunk") as to_disk,
            mock.patch.object(MemoryFileUploadHandler, "receive_data_chunk") as to_memory,
        ):
            response = self.upload(content="text\n" + "x" * (2 * 1024 * 1024))
        to_disk.assert_not_called()
        to_memory.assert_not_called()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "larger than 1 MB")
        self.assertFalse(Job.objects.exists())

    def test_spreadsheets_are_refused_with_what_to_do(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(name="Feedback.xlsx", content="PK\x03\x04")
        self.assertContains(
            response,
            "That is an Excel spreadsheet",
        )
        self.assertContains(
            response,
            "CSV (UTF-8)",
        )

    def test_an_empty_or_missing_file_is_refused(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(content="")
        self.assertContains(
            response,
            "That file is empty",
        )
        data = {"channel": "support", "provenance": "first_hand"}
        response = self.client.post(self.url, data)
        self.assertContains(
            response,
            "Choose a CSV, TSV or JSON Lines file",
        )
        self.assertFalse(Job.objects.exists())

    def test_a_source_name_with_odd_characters_is_refused(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(source="../zendesk")
        self.assertContains(
            response,
            "source name",
        )

    def test_a_bad_channel_is_refused(self) -> None:
        self.client.force_login(self.carol)
        response = self.upload(channel="fax")
        self.assertIn("channel", response.context["form"].errors)

    def test_contributors_and_up_may_import(self) -> None:
        for user in (self.carol, self.bob, self.alice):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.upload().status_code, 302)
        self.assertEqual(Job.objects.count(), 3)

    def test_viewers_may_not_import(self) -> None:
        self.client.force_login(self.vic)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.upload().status_code, 403)
        self.assertFalse(Job.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.upload().status_code, 404)
        self.assertFalse(Job.objects.exists())

    def test_it_requires_sign_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(response, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_it_requires_csrf(self) -> None:
        self.client.force_login(self.carol)
        self.client.handler.enforce_csrf_checks = True
        self.assertEqual(self.upload().status_code, 403)
        self.assertFalse(Job.objects.exists())

    def test_recent_imports_are_listed_with_their_state(self) -> None:
        self.client.force_login(self.carol)
        self.upload(name="<b>march</b>.csv")
        response = self.client.get(self.url)
        job = Job.objects.get()
        self.assertContains(response, f'href="/w/acme/jobs/{job.pk}/"')
        self.assertContains(response, "Waiting for a worker")
        self.assertNotContains(response, "<b>march</b>")

    def test_another_workspaces_imports_are_not_listed(self) -> None:
        Job.objects.create(
            workspace=self.other_workspace, kind=Kind.IMPORT, params={"filename": "secret.csv"}
        )
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(self.url), "secret.csv")

    def test_the_inbox_and_capture_pages_link_here(self) -> None:
        self.client.force_login(self.carol)
        for page in ("/w/acme/inbox/", "/w/acme/capture/"):
            with self.subTest(page=page):
                self.assertContains(self.client.get(page), f'href="{self.url}"')
