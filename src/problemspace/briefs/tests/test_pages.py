"""The brief pages: make a brief, read it, download it; the schedule forms; who may do what."""

from __future__ import annotations

from datetime import time
from unittest import mock

from django.urls import reverse

from problemspace.briefs.models import Brief, BriefSchedule
from problemspace.briefs.tests.factories import NOW, PHONE_QUOTE, Story, build_story
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Member


class PagesTestCase(BaseTestCase):
    story: Story

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.story = build_story(
            cls.workspace, Member.objects.get(user=cls.bob), Member.objects.get(user=cls.carol)
        )

    def url(self, name: str, *args: object) -> str:
        return reverse(f"briefs:{name}", args=["acme", *args])

    def make(self, **data: str) -> Brief:
        self.client.force_login(self.bob)
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            response = self.client.post(
                self.url("create"), {"audience": "executives", "period": "30", **data}
            )
        self.assertEqual(response.status_code, 302, response.content[:500])
        return Brief.objects.latest("pk")

    def test_an_editor_makes_a_brief_and_everyone_reads_it(self) -> None:
        brief = self.make()
        self.assertEqual(brief.audience, "executives")
        self.assertEqual(brief.created_by, Member.objects.get(user=self.bob))
        self.client.force_login(self.vic)
        response = self.client.get(self.url("detail", brief.pk))
        self.assertContains(response, "Executive brief")
        self.assertContains(response, PHONE_QUOTE)
        self.assertContains(
            response, f'href="/w/acme/evidence/{self.story.phone_quote.pk}/"', html=False
        )
        self.assertContains(response, "pilot &lt;b&gt;caught&lt;/b&gt;")
        self.assertNotContains(response, "Post to chat")  # viewers read only
        listed = self.client.get(self.url("list"))
        self.assertContains(listed, brief.title)
        self.assertContains(listed, 'aria-current="page">Briefs</a>', html=False)

    def test_a_brief_stays_as_it_was_made(self) -> None:
        brief = self.make()
        self.story.phone_quote.text = "Changed later."
        self.story.phone_quote.save()
        self.client.force_login(self.vic)
        self.assertContains(self.client.get(self.url("detail", brief.pk)), PHONE_QUOTE)

    def test_a_brief_between_two_dates(self) -> None:
        brief = self.make(period="dates", start="2026-11-01", end="2026-11-30")
        self.assertEqual(brief.period_label, "1\N{EN DASH}30 Nov 2026")

    def test_bad_input_is_said_next_to_the_field(self) -> None:
        self.client.force_login(self.bob)
        cases = [
            ({"audience": "board", "period": "30"}, "id_audience_error"),
            ({"audience": "sales", "period": "dates", "end": "2026-11-30"}, "id_start_error"),
            (
                {
                    "audience": "sales",
                    "period": "dates",
                    "start": "2026-11-30",
                    "end": "2026-11-01",
                },
                "ends before it starts",
            ),
            ({"audience": "sales", "period": "dates", "start": "2026-13-01"}, "YYYY-MM-DD"),
        ]
        for data, said in cases:
            with self.subTest(data=data):
                response = self.client.post(self.url("create"), data)
                self.assertContains(response, said, status_code=422)
        self.assertFalse(Brief.objects.exists())

    def test_an_empty_period_says_so(self) -> None:
        brief = self.make(period="dates", start="2024-01-01", end="2024-01-31")
        self.client.force_login(self.vic)
        response = self.client.get(self.url("detail", brief.pk))
        self.assertContains(response, "Nothing new in this period")
        self.assertNotContains(response, "Top problems by reach")

    def test_markdown_and_pdf_downloads(self) -> None:
        brief = self.make()
        self.client.force_login(self.vic)
        md = self.client.get(self.url("markdown", brief.pk))
        self.assertEqual(md["Content-Type"], "text/markdown; charset=utf-8")
        self.assertIn("executives-brief-2026-11-30.md", md["Content-Disposition"])
        self.assertIn("Maria Lopez", md.content.decode())
        pdf = self.client.get(self.url("pdf", brief.pk))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF-"))

    def test_it_checks_roles(self) -> None:
        brief = self.make()
        self.client.force_login(self.carol)  # a contributor reads, and makes nothing
        self.assertEqual(self.client.get(self.url("create")).status_code, 403)
        self.assertEqual(self.client.post(self.url("publish", brief.pk)).status_code, 403)
        self.assertEqual(self.client.post(self.url("delete", brief.pk)).status_code, 403)
        self.assertEqual(self.client.get(self.url("create_schedule")).status_code, 403)
        self.assertEqual(self.client.get(self.url("detail", brief.pk)).status_code, 200)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url("detail", brief.pk)).status_code, 404)
        self.assertEqual(self.client.get(self.url("list")).status_code, 404)

    def test_an_editor_deletes_a_brief(self) -> None:
        brief = self.make()
        response = self.client.post(self.url("delete", brief.pk))
        self.assertRedirects(response, self.url("list"))
        self.assertFalse(Brief.objects.filter(pk=brief.pk).exists())

    def test_posting_to_chat_publishes_the_brief(self) -> None:
        brief = self.make()
        with mock.patch("problemspace.integrations.chat.publish_brief") as publish:
            response = self.client.post(self.url("publish", brief.pk))
        self.assertRedirects(response, self.url("detail", brief.pk))
        workspace_id, sent = publish.call_args.args
        self.assertEqual(workspace_id, self.workspace.pk)
        self.assertEqual(sent.title, brief.title)
        self.assertTrue(sent.url.endswith(f"/w/acme/briefs/{brief.pk}/"))

    def test_an_editor_keeps_a_schedule(self) -> None:
        self.client.force_login(self.bob)
        vic = Member.objects.get(user=self.vic)
        response = self.client.post(
            self.url("create_schedule"),
            {
                "audience": "executives",
                "period_days": "7",
                "weekday": "0",
                "time_of_day": "08:30",
                "member_ids": [str(vic.pk)],
                "emails": "board@acme.example\n",
                "active": "on",
            },
        )
        self.assertRedirects(response, self.url("list"))
        schedule = BriefSchedule.objects.get()
        self.assertEqual(schedule.time_of_day, time(8, 30))
        self.assertEqual(list(schedule.members.all()), [vic])
        self.assertEqual(schedule.emails, ["board@acme.example"])
        assert schedule.next_run_at is not None
        self.assertEqual(schedule.next_run_at.weekday(), 0)
        listed = self.client.get(self.url("list"))
        self.assertContains(listed, "Every Monday at 08:30, the last 7 days")

        form = self.client.get(self.url("edit_schedule", schedule.pk))
        self.assertContains(form, 'value="08:30"', html=False)
        self.assertContains(form, "board@acme.example")
        self.assertContains(self.client.get(self.url("create_schedule")), "Members who get it")

        response = self.client.post(
            self.url("edit_schedule", schedule.pk),
            {"audience": "sales", "period_days": "14", "weekday": "4", "time_of_day": "17:00"},
        )
        self.assertContains(response, "at least one recipient", status_code=422)
        response = self.client.post(
            self.url("edit_schedule", schedule.pk),
            {
                "audience": "sales",
                "period_days": "14",
                "weekday": "4",
                "time_of_day": "17:00",
                "emails": "not an address",
            },
        )
        self.assertContains(response, "is not an email address", status_code=422)
        schedule.refresh_from_db()
        self.assertEqual(schedule.audience, "executives")  # nothing half-written

        response = self.client.post(self.url("delete_schedule", schedule.pk))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(BriefSchedule.objects.exists())

    def test_the_list_reads_the_same_few_queries_however_many_briefs(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from problemspace.briefs import services
        from problemspace.briefs.tests.factories import MONTH

        bob = Member.objects.get(user=self.bob)
        services.generate(self.workspace, "sales", MONTH, member=bob, now=NOW)
        self.client.force_login(self.vic)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(self.url("list")).status_code, 200)
        for audience in ("executives", "engineering", "company"):
            services.generate(self.workspace, audience, MONTH, member=bob, now=NOW)
        services.create_schedule(
            bob, audience="sales", period_days=7, weekday=0, time_of_day=time(8), emails=["a@b.co"]
        )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url("list"))
        self.assertContains(response, "Every Monday at 08:00")
        # One more: the schedules' latest sends, read once there is a schedule.
        self.assertEqual(len(many.captured_queries), len(few.captured_queries) + 1)
