"""`problemspace webhooks`: list endpoints and deliveries, retry failed ones, send what is due."""

from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

from django.test import override_settings

from problemspace.cli.main import main
from problemspace.integrations import events
from problemspace.integrations.models import Delivery, Status
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.testing import HttpReceiverTestCase


@override_settings(WEBHOOKS_ALLOW_PRIVATE=True, WEBHOOKS_TIMEOUT=1)
class WebhooksCommandTests(HttpReceiverTestCase):
    def run_cli(self, *args: str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["webhooks", "--workspace", "acme", *args])
        return code, out.getvalue(), err.getvalue()

    def setUp(self) -> None:
        super().setUp()
        self.endpoint = make_endpoint(self.workspace, self.receiver.url(), name="Receiver")
        make_endpoint(self.other_workspace, self.receiver.url(), name="Theirs")
        events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"evidence": {"id": 1}})
        self.delivery = Delivery.objects.get()

    def test_it_lists_the_workspaces_endpoints(self) -> None:
        code, out, _ = self.run_cli("--format", "json")
        self.assertEqual(code, 0)
        (row,) = json.loads(out)
        self.assertEqual((row["name"], row["last_status"]), ("Receiver", "pending"))

    def test_it_lists_deliveries(self) -> None:
        _, out, _ = self.run_cli("--deliveries", "--format", "json")
        (row,) = json.loads(out)
        self.assertEqual((row["event"], row["uid"]), ("evidence.added", str(self.delivery.uid)))

    def test_send_due_then_retry_failed(self) -> None:
        code, out, _ = self.run_cli("--send-due")
        self.assertEqual((code, out), (0, "Made 1 due attempt.\n"))
        self.assertEqual(len(self.receiver.wait_for(1)), 1)
        Delivery.objects.filter(pk=self.delivery.pk).update(status=Status.FAILED)
        code, out, _ = self.run_cli("--retry-failed")
        self.assertEqual(out, "Queued 1 failed delivery again.\n")
        self.delivery.refresh_from_db()
        self.assertEqual(self.delivery.status, Status.PENDING)

    def test_prune_keeps_pending_and_recent_deliveries(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        old = timezone.now() - timedelta(days=40)
        Delivery.objects.filter(pk=self.delivery.pk).update(created_at=old)
        self.assertEqual(self.run_cli("--prune", "30")[1], "Deleted 0 deliveries.\n")
        Delivery.objects.filter(pk=self.delivery.pk).update(status=Status.DELIVERED)
        self.assertEqual(self.run_cli("--prune", "30")[1], "Deleted 1 delivery.\n")
        code, _, err = self.run_cli("--prune", "0")
        self.assertEqual(code, 2)
        self.assertIn("at least one day", err)
