"""Deliveries to a real HTTP receiver: signed bodies, retries, timeouts, giving up, turning off."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from problemspace.integrations import events, services, signing, tasks
from problemspace.integrations.models import Delivery, Kind, Status
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.testing import HttpReceiver, HttpReceiverTestCase, Reply, SmtpTestCase

PAYLOAD = {"problem": {"id": 7, "title": "Exports are slow", "url": "http://x/7"}}


@override_settings(WEBHOOKS_ALLOW_PRIVATE=True, WEBHOOKS_TIMEOUT=1)
class DeliveryTests(HttpReceiverTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.endpoint = make_endpoint(self.workspace, self.receiver.url())

    def emit(self, event: str = events.PROBLEM_STATUS_CHANGED) -> Delivery:
        with self.captureOnCommitCallbacks(execute=True):
            events.emit(self.workspace.pk, event, PAYLOAD)
        return Delivery.objects.get(event=event)

    def test_it_posts_the_signed_envelope(self) -> None:
        delivery = self.emit()
        self.assertTrue(tasks.deliver(delivery.pk))
        (request,) = self.receiver.wait_for(1)
        header = request.headers[signing.SIGNATURE_HEADER]
        signing.verify(self.endpoint.secret, header, request.body)
        body = request.json()
        self.assertEqual(body["id"], str(delivery.uid))
        self.assertEqual(body["event"], "problem.status_changed")
        self.assertEqual(
            body["workspace"], {"id": self.workspace.pk, "slug": "acme", "name": "Acme Product"}
        )
        self.assertEqual(body["data"], PAYLOAD)
        self.assertEqual(request.headers[signing.ID_HEADER], str(delivery.uid))
        self.assertEqual(request.headers[signing.EVENT_HEADER], "problem.status_changed")
        self.assertEqual(request.headers["Content-Type"], "application/json")
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Status.DELIVERED)
        self.assertEqual((delivery.attempts, delivery.response_code), (1, 200))
        self.assertIsNone(delivery.next_attempt_at)

    def test_a_tampered_body_or_another_secret_fails_verification(self) -> None:
        delivery = self.emit()
        tasks.deliver(delivery.pk)
        (request,) = self.receiver.wait_for(1)
        header = request.headers[signing.SIGNATURE_HEADER]
        with self.assertRaises(signing.BadSignature):
            signing.verify(self.endpoint.secret, header, request.body + b" ")
        with self.assertRaises(signing.BadSignature):
            signing.verify("whsec_other", header, request.body)
        with self.assertRaises(signing.BadSignature):
            signing.verify(self.endpoint.secret, header, request.body, now=time.time() + 3600)

    def test_emitting_queues_the_worker_task_after_commit(self) -> None:
        delivery = self.emit()
        queued = DBTaskResult.objects.get(task_path__endswith="deliver_task")
        self.assertEqual(queued.args_kwargs["args"], [delivery.pk])
        self.assertEqual(self.receiver.requests, [])  # nothing is sent by emit itself

    def test_nothing_is_recorded_or_queued_for_a_rolled_back_transaction(self) -> None:
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    events.emit(self.workspace.pk, events.PROBLEM_STATUS_CHANGED, PAYLOAD)
                    self.assertEqual(Delivery.objects.count(), 1)
                    raise RuntimeError("the change failed")
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertFalse(Delivery.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())

    def test_only_active_subscribed_endpoints_of_the_workspace_get_it(self) -> None:
        make_endpoint(self.workspace, self.receiver.url("/off"), active=False)
        make_endpoint(self.workspace, self.receiver.url("/other"), events=["evidence.added"])
        make_endpoint(self.other_workspace, self.receiver.url("/theirs"))
        self.emit()
        self.assertEqual(
            list(Delivery.objects.values_list("endpoint_id", flat=True)), [self.endpoint.pk]
        )

    def test_a_500_is_retried_later_with_the_same_id(self) -> None:
        delivery = self.emit()
        self.receiver.script(Reply(500, b"boom"))
        start = timezone.now()
        tasks.deliver(delivery.pk, now=start)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Status.PENDING)
        self.assertEqual((delivery.attempts, delivery.response_code), (1, 500))
        self.assertEqual(delivery.response_excerpt, "boom")
        self.assertEqual(delivery.next_attempt_at, start + tasks.retry_delay(1))
        retry_at = start + tasks.retry_delay(1)
        self.assertTrue(
            DBTaskResult.objects.filter(
                task_path__endswith="deliver_task", run_after=retry_at
            ).exists()
        )
        # Not due yet: a worker that picks it early does nothing.
        self.assertFalse(tasks.deliver(delivery.pk, now=start + timedelta(seconds=1)))
        self.assertTrue(tasks.deliver(delivery.pk, now=start + tasks.retry_delay(1)))
        first, second = self.receiver.wait_for(2)
        self.assertEqual(first.headers[signing.ID_HEADER], second.headers[signing.ID_HEADER])
        self.assertEqual(first.body, second.body)
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), (Status.DELIVERED, 2))

    def test_the_waits_grow_and_stay_within_about_an_hour(self) -> None:
        waits = [tasks.retry_delay(n) for n in range(1, tasks.MAX_ATTEMPTS)]
        self.assertEqual(waits, sorted(waits))
        self.assertLess(sum(waits, timedelta()), timedelta(minutes=75))

    def test_a_hanging_receiver_times_out_without_blocking(self) -> None:
        delivery = self.emit()
        self.receiver.reply(200, delay=4)
        started = time.monotonic()
        tasks.deliver(delivery.pk)
        self.assertLess(time.monotonic() - started, 3)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Status.PENDING)
        self.assertEqual(delivery.error, "No answer within 1 seconds.")
        self.assertIsNone(delivery.response_code)

    def test_it_gives_up_after_the_last_attempt(self) -> None:
        delivery = self.emit()
        self.receiver.reply(500)
        moment = timezone.now()
        for _ in range(tasks.MAX_ATTEMPTS):
            self.assertTrue(tasks.deliver(delivery.pk, now=moment))
            moment += timedelta(hours=1)
        self.assertFalse(tasks.deliver(delivery.pk, now=moment))
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), (Status.FAILED, tasks.MAX_ATTEMPTS))
        self.assertIsNone(delivery.next_attempt_at)
        self.assertEqual(delivery.error, "The receiver answered HTTP 500.")
        ids = {r.headers[signing.ID_HEADER] for r in self.receiver.wait_for(tasks.MAX_ATTEMPTS)}
        self.assertEqual(ids, {str(delivery.uid)})
        self.endpoint.refresh_from_db()
        self.assertEqual(self.endpoint.failures_in_a_row, 1)
        self.assertTrue(self.endpoint.active)

    def test_a_delivery_is_claimed_once(self) -> None:
        delivery = self.emit()
        now = timezone.now()
        self.assertTrue(tasks.deliver(delivery.pk, now=now))
        self.assertFalse(tasks.deliver(delivery.pk, now=now))
        self.assertEqual(len(self.receiver.wait_for(1)), 1)

    def test_a_redirect_is_not_followed(self) -> None:
        delivery = self.emit()
        self.receiver.reply(302)
        tasks.deliver(delivery.pk)
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.response_code), (Status.PENDING, 302))
        self.assertEqual(len(self.receiver.requests), 1)

    @override_settings(WEBHOOKS_ALLOW_PRIVATE=False)
    def test_a_private_address_is_refused_unless_allowed(self) -> None:
        delivery = self.emit()
        tasks.deliver(delivery.pk)
        delivery.refresh_from_db()
        self.assertIn("private network", delivery.error)
        self.assertEqual(self.receiver.requests, [])

    def test_redelivering_sends_the_same_id_again(self) -> None:
        delivery = self.emit()
        tasks.deliver(delivery.pk)
        with self.captureOnCommitCallbacks(execute=True):
            services.redeliver(delivery)
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), (Status.PENDING, 0))
        tasks.deliver(delivery.pk)
        first, second = self.receiver.wait_for(2)
        self.assertEqual(first.json()["id"], second.json()["id"])

    def test_a_turned_off_endpoint_gets_no_regular_event_but_gets_a_test(self) -> None:
        delivery = self.emit()
        self.endpoint.active = False
        self.endpoint.save()
        tasks.deliver(delivery.pk)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Status.FAILED)
        self.assertIn("turned off", delivery.error)
        with self.assertRaises(services.IntegrationError):
            services.redeliver(delivery)
        test = services.send_test(self.endpoint)
        self.assertTrue(tasks.deliver(test.pk))
        (request,) = self.receiver.wait_for(1)
        self.assertEqual(request.json()["event"], "webhook.test")

    def test_a_chat_endpoint_gets_a_slack_style_message(self) -> None:
        self.endpoint.kind = Kind.CHAT
        self.endpoint.save()
        delivery = self.emit()
        tasks.deliver(delivery.pk)
        (request,) = self.receiver.wait_for(1)
        body = request.json()
        self.assertIn("<http://x/7|Exports are slow>", body["text"])
        self.assertEqual(body["blocks"][0]["type"], "section")

    def test_send_due_sweeps_what_the_worker_missed(self) -> None:
        delivery = self.emit()
        self.assertEqual(tasks.send_due(), 1)
        self.assertEqual(tasks.send_due(), 0)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Status.DELIVERED)

    def test_the_body_sent_is_the_body_stored(self) -> None:
        delivery = self.emit()
        tasks.deliver(delivery.pk)
        (request,) = self.receiver.wait_for(1)
        self.assertEqual(json.loads(request.body), delivery.payload)


@override_settings(WEBHOOKS_ALLOW_PRIVATE=True, WEBHOOKS_TIMEOUT=1)
class AutoDisableTests(SmtpTestCase):
    receiver: HttpReceiver

    @classmethod
    def setUpClass(cls) -> None:
        cls.receiver = HttpReceiver()
        cls.receiver.start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.receiver.stop()

    def test_an_endpoint_that_keeps_failing_is_turned_off_and_owners_told(self) -> None:
        self.receiver.reply(503)
        endpoint = make_endpoint(self.workspace, self.receiver.url(), name="Ops bot")
        endpoint.failures_in_a_row = tasks.DISABLE_AFTER_FAILURES - 1
        endpoint.save()
        with self.captureOnCommitCallbacks(execute=True):
            events.emit(self.workspace.pk, events.PROBLEM_STATUS_CHANGED, PAYLOAD)
        delivery = Delivery.objects.get()
        moment = timezone.now()
        for _ in range(tasks.MAX_ATTEMPTS):
            tasks.deliver(delivery.pk, now=moment)
            moment += timedelta(hours=1)
        endpoint.refresh_from_db()
        self.assertFalse(endpoint.active)
        self.assertIn("HTTP 503", endpoint.disabled_reason)
        self.assertIsNotNone(endpoint.disabled_at)
        (message,) = self.smtp.messages
        self.assertEqual(message["To"], "alice@example.org")
        self.assertIn("Ops bot", message["Subject"])
        self.assertIn("/w/acme/integrations/", message.get_content())
        # Off means off: the next event is not even recorded for it.
        events.emit(self.workspace.pk, events.PROBLEM_STATUS_CHANGED, PAYLOAD)
        self.assertEqual(Delivery.objects.count(), 1)

    def test_turning_it_back_on_clears_the_notice(self) -> None:
        endpoint = make_endpoint(
            self.workspace,
            self.receiver.url(),
            active=False,
            disabled_reason="Turned off",
            failures_in_a_row=5,
        )
        services.update_endpoint(endpoint, {"active": True})
        endpoint.refresh_from_db()
        self.assertEqual((endpoint.disabled_reason, endpoint.failures_in_a_row), ("", 0))

    def test_a_success_resets_the_count(self) -> None:
        self.receiver.reply(200)
        endpoint = make_endpoint(self.workspace, self.receiver.url(), failures_in_a_row=3)
        with self.captureOnCommitCallbacks(execute=True):
            events.emit(self.workspace.pk, events.PROBLEM_STATUS_CHANGED, PAYLOAD)
        tasks.deliver(Delivery.objects.get().pk)
        endpoint.refresh_from_db()
        self.assertEqual(endpoint.failures_in_a_row, 0)
