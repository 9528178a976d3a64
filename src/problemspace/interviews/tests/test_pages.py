"""The interview pages: roles, forms that keep what was typed, uploads, highlighting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_account, make_contact
from problemspace.interviews.models import Guide, Interview, Status
from problemspace.interviews.tests.helpers import make_interview
from problemspace.interviews.transcripts import MAX_BYTES
from problemspace.testing import BaseTestCase

NOTES = "Dana: We retype every invoice. <script>alert(1)</script>"


class InterviewPagesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.account = make_account(self.workspace, "Globex")
        self.dana = make_contact(
            self.workspace, "dana@globex.example", name="Dana", account=self.account
        )
        self.interview = make_interview(
            self.workspace, contacts=[self.dana], attendees=[self.member(self.bob)], notes=NOTES
        )
        self.base = f"/w/acme/interviews/{self.interview.pk}/"

    def test_viewers_read_the_list_and_an_interview(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/interviews/")
        self.assertContains(response, "How do AP teams close the month?")
        response = self.client.get(self.base)
        self.assertContains(response, "Dana")
        self.assertNotContains(response, "Save as evidence")
        self.assertNotContains(response, "Plan an interview")

    def test_viewers_cannot_plan_or_write(self) -> None:
        self.client.force_login(self.vic)
        self.assertEqual(self.client.get("/w/acme/interviews/plan/").status_code, 403)
        response = self.client.post(self.base + "notes/", {"notes": "x"})
        self.assertEqual(response.status_code, 403)
        response = self.client.post(self.base + "highlights/", {"quote": "We retype"})
        self.assertEqual(response.status_code, 403)

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.base).status_code, 404)

    def test_notes_are_escaped(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(self.base)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_a_contributor_plans_an_interview_from_a_guide(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get("/w/acme/interviews/plan/")
        self.assertContains(response, "Problem interview")  # the default guides, seeded
        guide = Guide.objects.get(workspace=self.workspace, kind="problem")
        response = self.client.post(
            "/w/acme/interviews/plan/",
            {
                "kind": "problem",
                "goal": "Why do invoices get retyped?",
                "guide": guide.pk,
                "scheduled_at": "2030-01-05T10:00",
                "duration_minutes": "60",
                "contacts": [self.dana.pk],
                "attendees": [self.member(self.carol).pk],
            },
        )
        interview = Interview.objects.get(goal="Why do invoices get retyped?")
        self.assertRedirects(response, f"/w/acme/interviews/{interview.pk}/")
        self.assertEqual(interview.created_by, self.member(self.carol))
        self.assertEqual(list(interview.contacts.all()), [self.dana])
        response = self.client.get(f"/w/acme/interviews/{interview.pk}/")
        self.assertContains(response, "Tell me about the last time")  # the guide is shown

    def test_the_plan_form_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            "/w/acme/interviews/plan/",
            {"kind": "problem", "goal": "Keep me", "scheduled_at": "", "duration_minutes": "999"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Keep me"')
        self.assertContains(response, "field-error")
        self.assertFalse(Interview.objects.filter(goal="Keep me").exists())

    def test_a_contact_of_another_workspace_cannot_be_chosen(self) -> None:
        stranger = make_contact(self.other_workspace, "x@other.example")
        self.client.force_login(self.carol)
        response = self.client.post(
            "/w/acme/interviews/plan/",
            {
                "kind": "problem",
                "goal": "Sneaky",
                "scheduled_at": "2030-01-05T10:00",
                "duration_minutes": "60",
                "contacts": [stranger.pk],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Interview.objects.filter(goal="Sneaky").exists())

    def test_marking_a_future_interview_held_says_why_not(self) -> None:
        self.interview.status = Status.PLANNED
        self.interview.scheduled_at = timezone.now() + timedelta(days=3)
        self.interview.save()
        self.client.force_login(self.carol)
        response = self.client.post(self.base + "status/", {"status": "held"})
        self.assertContains(response, "scheduled in the future")
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.status, Status.PLANNED)

    def test_highlighting_by_offsets_makes_evidence_and_links_back(self) -> None:
        self.client.force_login(self.carol)
        start = NOTES.index("We retype")
        quote = "We retype every invoice."
        response = self.client.post(
            self.base + "highlights/",
            {"source": "notes", "start": start, "end": start + len(quote), "quote": quote},
        )
        evidence = Evidence.objects.get()
        highlight = evidence.highlight
        self.assertRedirects(response, f"{self.base}#highlight-{highlight.pk}")
        self.assertEqual(evidence.text, quote)
        self.assertEqual(evidence.contact, self.dana)
        page = self.client.get(self.base)
        self.assertContains(page, f'<mark class="highlight" id="highlight-{highlight.pk}">')
        evidence_page = self.client.get(f"/w/acme/evidence/{evidence.pk}/")
        self.assertContains(evidence_page, f"/w/acme/interviews/{self.interview.pk}/#highlight-")

    def test_highlighting_by_a_pasted_quote_finds_it(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(
            self.base + "highlights/", {"source": "notes", "quote": "retype  every\ninvoice"}
        )
        self.assertEqual(Evidence.objects.get().text, "retype every invoice")

    def test_a_quote_not_in_the_notes_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.base + "highlights/", {"source": "notes", "quote": "We love the product"}
        )
        self.assertContains(response, "That quote is not in the text")
        self.assertContains(response, "We love the product")  # kept in the box
        self.assertFalse(Evidence.objects.exists())

    def test_offsets_out_of_range_are_refused(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.base + "highlights/", {"source": "notes", "start": 0, "end": 99999}
        )
        self.assertContains(response, "outside the text")
        self.assertFalse(Evidence.objects.exists())


class TranscriptUploadTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.interview = make_interview(self.workspace)
        self.url = f"/w/acme/interviews/{self.interview.pk}/transcript/"
        self.client.force_login(self.carol)

    def test_an_srt_upload_becomes_readable_text(self) -> None:
        srt = b"1\n00:00:02,000 --> 00:00:04,000\nDana: It takes a week.\n"
        upload = SimpleUploadedFile("call.srt", srt)
        response = self.client.post(self.url, {"file": upload})
        self.assertEqual(response.status_code, 302)
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.transcript, "[00:00:02] Dana: It takes a week.")
        self.assertEqual(self.interview.transcript_filename, "call.srt")

    def test_a_pasted_transcript_is_stored(self) -> None:
        self.client.post(self.url, {"text": "Dana: Hello\r\nPriya: Hi"})
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.transcript, "Dana: Hello\nPriya: Hi")

    def test_an_unknown_format_is_refused(self) -> None:
        response = self.client.post(self.url, {"file": SimpleUploadedFile("call.pdf", b"%PDF")})
        self.assertContains(response, "a transcript must be one of")
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.transcript, "")

    def test_a_bad_encoding_is_refused(self) -> None:
        upload = SimpleUploadedFile("call.txt", b"caf\x81\x8d")
        response = self.client.post(self.url, {"file": upload})
        self.assertContains(response, "encoding is not one we can read")

    def test_a_file_over_50_mb_is_refused_and_nothing_stored(self) -> None:
        upload = SimpleUploadedFile("call.txt", b"a" * (MAX_BYTES + 1))
        response = self.client.post(self.url, {"text": "", "file": upload})
        self.assertContains(response, "larger than 50.0 MB")
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.transcript, "")

    def test_nothing_sent_says_what_to_do(self) -> None:
        response = self.client.post(self.url, {"text": ""})
        self.assertContains(response, "Choose a file to upload, or paste the transcript")


class GuidePagesTestCase(BaseTestCase):
    def test_editors_edit_guides_and_contributors_only_read_them(self) -> None:
        self.client.force_login(self.carol)
        self.client.get("/w/acme/interviews/guides/")
        guide = Guide.objects.get(workspace=self.workspace, kind="solution")
        url = f"/w/acme/interviews/guides/{guide.pk}/"
        self.assertNotContains(self.client.get(url), "<textarea")
        self.assertEqual(self.client.post(url, {"name": "x", "kind": "problem"}).status_code, 403)
        self.client.force_login(self.bob)
        response = self.client.post(
            url, {"name": "Our solution interview", "kind": "solution", "body": "Ask for a pilot."}
        )
        self.assertRedirects(response, "/w/acme/interviews/guides/")
        guide.refresh_from_db()
        self.assertEqual(guide.body, "Ask for a pilot.")


class DebriefTestCase(BaseTestCase):
    """The debrief names the assumptions on the map that the conversation touched; each
    assumption's page lists the interviews that touched it."""

    def setUp(self) -> None:
        from problemspace.hypotheses.models import Hypothesis

        self.interview = make_interview(self.workspace)
        self.base = f"/w/acme/interviews/{self.interview.pk}/"
        self.ocr = Hypothesis.objects.create(
            workspace=self.workspace, statement="OCR reads line items well enough."
        )
        self.sso = Hypothesis.objects.create(
            workspace=self.workspace, statement="Enterprise buyers need SSO first."
        )
        self.theirs = Hypothesis.objects.create(
            workspace=self.other_workspace, statement="Another team's bet."
        )

    def debrief(self, *assumptions: int) -> Any:
        return self.client.post(
            self.base + "debrief/",
            {
                "surprises": "Headers are fine; line items are not.",
                "assumptions": [str(pk) for pk in assumptions],
                "assumptions_touched": "OCR accuracy: contradicted.",
            },
        )

    def test_a_contributor_names_the_assumptions_it_touched(self) -> None:
        self.client.force_login(self.carol)
        page = self.client.get(self.base)
        self.assertContains(page, "OCR reads line items well enough. (untested)")
        self.assertNotContains(page, "Another team")
        self.assertRedirects(self.debrief(self.ocr.pk), self.base + "#debrief")
        self.assertEqual(list(self.interview.assumptions.all()), [self.ocr])
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.assumptions_touched, "OCR accuracy: contradicted.")
        # Saving again without it unlinks it: the form holds the whole list.
        self.debrief(self.sso.pk)
        self.assertEqual(list(self.interview.assumptions.all()), [self.sso])

    def test_another_workspaces_assumption_is_refused_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.carol)
        response = self.debrief(self.ocr.pk, self.theirs.pk)
        self.assertContains(response, "Select a valid choice", status_code=200)
        self.assertContains(response, "Headers are fine; line items are not.")
        self.assertFalse(self.interview.assumptions.exists())
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.surprises, "")

    def test_viewers_read_the_links_both_ways(self) -> None:
        self.interview.assumptions.set([self.ocr])
        self.client.force_login(self.vic)
        page = self.client.get(self.base)
        self.assertContains(page, f'href="/w/acme/hypotheses/{self.ocr.pk}/"')
        self.assertNotContains(page, "Save the debrief")
        hypothesis_page = self.client.get(f"/w/acme/hypotheses/{self.ocr.pk}/")
        self.assertContains(hypothesis_page, "Interviews that touched it")
        self.assertContains(hypothesis_page, f'href="{self.base}#debrief"')
        self.assertEqual(self.client.post(self.base + "debrief/", {}).status_code, 403)

    def test_the_service_refuses_another_workspaces_assumption(self) -> None:
        from problemspace.interviews import services

        with self.assertRaises(ValueError):
            services.save_debrief(
                self.interview, surprises="", assumptions_touched="", assumptions=[self.theirs]
            )
        self.assertFalse(self.interview.assumptions.exists())
