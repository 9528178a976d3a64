"""Scheduled briefs by email through a real SMTP server: the message, its PDF, its links, sent
once however many workers look, and each send recorded."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from unittest import mock

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from problemspace.briefs import sending, services
from problemspace.briefs.models import Brief, BriefSchedule, BriefSend, SendStatus
from problemspace.briefs.tests.factories import NOW, PHONE_QUOTE, Story, build_story
from problemspace.briefs.tests.pdf import read_pdf
from problemspace.testing import SmtpTestCase
from problemspace.workspaces.models import Member

SITE = "https://ps.example.com"
# A Monday 08:00 schedule, first due on Monday 30 Nov 2026 (NOW is 09:00 that day).
MONDAY_EIGHT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


class ScheduleTestCase(SmtpTestCase):
    """The demo story and a schedule of it, first due on MONDAY_EIGHT."""

    story: Story

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.story = build_story(
            cls.workspace, Member.objects.get(user=cls.bob), Member.objects.get(user=cls.carol)
        )

    def schedule(self, **fields: object) -> BriefSchedule:
        values: dict[str, object] = {
            "audience": "executives",
            "period_days": 30,
            "weekday": 0,
            "time_of_day": time(8, 0),
            "member_ids": [Member.objects.get(user=self.vic).pk],
            "emails": ["board@acme.example"],
            **fields,
        }
        with mock.patch.object(sending, "queue"):
            schedule = services.create_schedule(
                Member.objects.get(user=self.bob), now=MONDAY_EIGHT - timedelta(days=1), **values
            )
        self.assertEqual(schedule.next_run_at, MONDAY_EIGHT)
        return schedule


@override_settings(SITE_URL=SITE)
class SendingTestCase(ScheduleTestCase):
    def test_a_due_schedule_emails_the_brief_with_its_pdf(self) -> None:
        schedule = self.schedule()
        with mock.patch.object(sending, "queue") as queued:
            record = sending.send_schedule(schedule.pk, NOW)
        assert record is not None
        self.assertEqual(record.status, SendStatus.SENT, record.error)
        self.assertEqual(record.recipients, ["vic@example.org", "board@acme.example"])
        self.assertEqual(record.due_at, MONDAY_EIGHT)
        # The next one is planned for a week later, and the worker told.
        schedule.refresh_from_db()
        self.assertEqual(schedule.next_run_at, MONDAY_EIGHT + timedelta(days=7))
        queued.assert_called_once_with(schedule.pk, MONDAY_EIGHT + timedelta(days=7))

        self.assertEqual(len(self.smtp.messages), 2)
        to = sorted(str(m["To"]) for m in self.smtp.messages)
        self.assertEqual(to, ["board@acme.example", "vic@example.org"])  # one each, no copies
        message = self.smtp.messages[0]
        self.assertEqual(
            str(message["Subject"]).strip(),
            "Executive brief: 31 Oct \N{EN DASH} 30 Nov 2026 · Acme Product",
        )
        html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
        assert html_part is not None and text_part is not None
        html = html_part.get_content()
        self.assertIn(PHONE_QUOTE, html)
        self.assertIn(f'href="{SITE}/w/acme/evidence/{self.story.phone_quote.pk}/"', html)
        self.assertIn("Every Monday at 08:00", html)
        text = text_part.get_content()
        self.assertIn(f"{SITE}/w/acme/briefs/{record.brief_id}/", text)
        self.assertIn(f"({SITE}/w/acme/problems/{self.story.approvals.pk}/)", text)

        attachments = list(message.iter_attachments())
        self.assertEqual(len(attachments), 1)
        pdf = attachments[0]
        self.assertEqual(pdf.get_content_type(), "application/pdf")
        self.assertEqual(pdf.get_filename(), "executives-brief-2026-11-30.pdf")
        data = pdf.get_content()
        self.assertTrue(data.startswith(b"%PDF-"))
        _, uris = read_pdf(data)
        self.assertIn(f"{SITE}/w/acme/evidence/{self.story.phone_quote.pk}/", uris)

        brief = Brief.objects.get(pk=record.brief_id or 0)
        self.assertEqual(brief.schedule, schedule)
        self.assertEqual(brief.period_label, "last 30 days")

    def test_it_is_sent_once_however_many_look(self) -> None:
        schedule = self.schedule(member_ids=[], emails=["board@acme.example"])
        with mock.patch.object(sending, "queue"):
            first = sending.send_schedule(schedule.pk, NOW)
            again = sending.send_schedule(schedule.pk, NOW)
            swept = sending.send_due(NOW)
        self.assertIsNotNone(first)
        self.assertIsNone(again)
        self.assertEqual(swept, [])
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(BriefSend.objects.count(), 1)

    def test_nothing_is_sent_before_it_is_due_or_when_paused(self) -> None:
        schedule = self.schedule()
        with mock.patch.object(sending, "queue"):
            self.assertIsNone(
                sending.send_schedule(schedule.pk, MONDAY_EIGHT - timedelta(minutes=1))
            )
            services.update_schedule(
                Member.objects.get(user=self.bob), schedule, {"active": False}, now=MONDAY_EIGHT
            )
            self.assertEqual(sending.send_due(NOW + timedelta(days=30)), [])
        self.assertEqual(self.smtp.messages, [])

    def test_the_sweep_sends_what_is_due_and_the_task_does_the_same(self) -> None:
        first = self.schedule(member_ids=[], emails=["one@acme.example"])
        second = self.schedule(member_ids=[], emails=["two@acme.example"], audience="company")
        with mock.patch.object(sending, "queue"):
            sent = sending.send_due(NOW)
            self.assertEqual({r.schedule_id for r in sent}, {first.pk, second.pk})
            with (
                mock.patch("django.utils.timezone.now", return_value=NOW + timedelta(days=7)),
                mock.patch.object(sending, "close_old_connections"),
            ):
                sending.send_schedule_task.call(first.pk)
        self.assertEqual(BriefSend.objects.filter(schedule=first).count(), 2)
        self.assertEqual(len(self.smtp.messages), 3)

    def test_a_refused_send_is_recorded_and_the_next_is_still_planned(self) -> None:
        schedule = self.schedule(member_ids=[], emails=["board@acme.example"])
        with (
            mock.patch.object(sending, "queue"),
            override_settings(EMAIL_PORT=1),  # nothing listens there
        ):
            record = sending.send_schedule(schedule.pk, NOW)
        assert record is not None
        self.assertEqual(record.status, SendStatus.FAILED)
        self.assertIn("board@acme.example", record.error)
        self.assertEqual(record.failed_recipients, ["board@acme.example"])
        schedule.refresh_from_db()
        self.assertEqual(schedule.next_run_at, MONDAY_EIGHT + timedelta(days=7))

    def test_it_posts_to_chat_when_the_schedule_says_so(self) -> None:
        schedule = self.schedule(post_to_chat=True)
        with (
            mock.patch.object(sending, "queue"),
            mock.patch("problemspace.integrations.chat.publish_brief") as publish,
        ):
            record = sending.send_schedule(schedule.pk, NOW)
        assert record is not None
        self.assertTrue(record.posted_to_chat)
        self.assertEqual(publish.call_args.kwargs["audience"], "executives")

    def test_a_new_schedule_queues_its_first_send_for_the_worker(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            schedule = services.create_schedule(
                Member.objects.get(user=self.bob),
                audience="sales",
                period_days=7,
                weekday=0,
                time_of_day=time(8, 0),
                emails=["sales@acme.example"],
                now=MONDAY_EIGHT - timedelta(days=1),
            )
        queued = DBTaskResult.objects.get(task_path__endswith="send_schedule_task")
        self.assertEqual(queued.run_after, MONDAY_EIGHT)
        self.assertEqual(queued.args_kwargs["args"], [schedule.pk])
        self.assertEqual(self.smtp.messages, [])


@override_settings(SITE_URL=SITE)
class RetryTestCase(ScheduleTestCase):
    """A mail server that refuses is tried again later, for the addresses it refused only."""

    def refused_send(self) -> BriefSend:
        schedule = self.schedule(member_ids=[], emails=["board@acme.example"])
        with (
            mock.patch.object(sending, "queue"),
            mock.patch.object(sending, "queue_retry") as queued,
            override_settings(EMAIL_PORT=1),  # nothing listens there
        ):
            record = sending.send_schedule(schedule.pk, NOW)
        assert record is not None
        self.assertEqual(record.retry_at, NOW + sending.RETRY_DELAYS[0])
        queued.assert_called_once_with(record.pk, record.retry_at)
        return record

    def test_the_refused_addresses_get_the_brief_when_the_server_is_back(self) -> None:
        record = self.refused_send()
        self.assertIsNone(sending.retry_send(record.pk, NOW + timedelta(minutes=5)))
        later = NOW + timedelta(minutes=20)
        retried = sending.retry_send(record.pk, later)
        assert retried is not None
        self.assertEqual(retried.status, SendStatus.SENT, retried.error)
        self.assertEqual(retried.recipients, ["board@acme.example"])
        self.assertEqual(retried.failed_recipients, [])
        self.assertEqual((retried.attempts, retried.retry_at, retried.error), (2, None, ""))
        self.assertEqual([m["To"] for m in self.smtp.messages], ["board@acme.example"])
        # Taken once: a second worker (or the cron sweep) finds nothing to do.
        self.assertIsNone(sending.retry_send(record.pk, later))

    def test_it_gives_up_after_the_last_delay(self) -> None:
        record = self.refused_send()
        moment = NOW
        retried: BriefSend | None = None
        for delay in sending.RETRY_DELAYS:
            moment += delay
            with (
                mock.patch.object(sending, "queue_retry"),
                override_settings(EMAIL_PORT=1),
            ):
                retried = sending.retry_send(record.pk, moment)
            assert retried is not None
        assert retried is not None
        self.assertEqual(retried.attempts, len(sending.RETRY_DELAYS) + 1)
        self.assertIsNone(retried.retry_at)
        self.assertIn("Gave up after 4 tries.", retried.error)
        self.assertEqual(retried.status, SendStatus.FAILED)
        self.assertEqual(self.smtp.messages, [])

    def test_the_sweep_sends_due_retries_too(self) -> None:
        record = self.refused_send()
        with mock.patch.object(sending, "queue"):
            made = sending.send_due(NOW + timedelta(hours=1))
        self.assertEqual([r.pk for r in made], [record.pk])
        self.assertEqual(len(self.smtp.messages), 1)

    def test_the_briefs_page_says_when_it_tries_again(self) -> None:
        self.refused_send()
        self.client.force_login(self.bob)
        page = self.client.get("/w/acme/briefs/")
        self.assertContains(page, "Trying 1 refused address again at")
