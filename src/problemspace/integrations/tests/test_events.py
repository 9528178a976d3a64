"""The events other apps emit: what is recorded for each, and how volume is kept down."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings

from problemspace.evidence.capture import capture
from problemspace.evidence.importing import ImportOptions, import_evidence
from problemspace.integrations import events
from problemspace.integrations.models import Delivery
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.problems import edits
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase

URL = "https://hooks.example.com/ps"


class EmitTests(BaseTestCase):
    def test_an_unknown_event_is_a_programming_error(self) -> None:
        with self.assertRaises(events.UnknownEvent):
            events.emit(self.workspace.pk, "evidence.deleted", {})

    def test_a_payload_that_is_not_json_is_refused(self) -> None:
        make_endpoint(self.workspace, URL)
        with self.assertRaises(TypeError):
            events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"x": object()})

    def test_without_endpoints_nothing_is_written(self) -> None:
        with self.assertNumQueries(1):
            events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"evidence": {"id": 1}})
        self.assertFalse(Delivery.objects.exists())

    def test_each_subscribed_endpoint_gets_its_own_delivery_and_id(self) -> None:
        make_endpoint(self.workspace, URL)
        make_endpoint(self.workspace, URL + "/2")
        events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"evidence": {"id": 1}})
        uids = {d.payload["id"] for d in Delivery.objects.all()}
        self.assertEqual(len(uids), 2)

    def test_relative_links_are_made_absolute_and_dates_text(self) -> None:
        from datetime import UTC, datetime

        make_endpoint(self.workspace, URL)
        moment = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
        payload = {"item": {"url": "/w/acme/x/1/", "at": moment}, "url": "https://a.example/"}
        events.emit(self.workspace.pk, events.EVIDENCE_ADDED, payload)
        data = Delivery.objects.get().payload["data"]
        self.assertEqual(data["item"]["url"], settings.SITE_URL.rstrip("/") + "/w/acme/x/1/")
        self.assertEqual(data["item"]["at"], "2026-01-02T03:04:00Z")
        self.assertEqual(data["url"], "https://a.example/")


class WiringTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.endpoint = make_endpoint(self.workspace, URL)

    def data(self, event: str) -> list[dict]:
        return [d.payload["data"] for d in Delivery.objects.filter(event=event).order_by("pk")]

    def test_a_captured_item_is_announced_with_a_link(self) -> None:
        result = capture(
            self.member(self.bob), [{"text": "Exports time out.", "account": "Globex"}]
        )
        (data,) = self.data(events.EVIDENCE_ADDED)
        evidence = result.evidence[0]
        self.assertEqual(data["evidence"]["id"], evidence.pk)
        self.assertEqual(data["evidence"]["text"], "Exports time out.")
        self.assertEqual(data["evidence"]["account"], "Globex")
        self.assertTrue(data["evidence"]["url"].endswith(f"/w/acme/evidence/{evidence.pk}/"))

    def test_an_item_already_there_is_not_announced_again(self) -> None:
        record = {"text": "Exports time out.", "external_id": "T-1"}
        capture(self.member(self.bob), [record])
        capture(self.member(self.bob), [record])
        self.assertEqual(len(self.data(events.EVIDENCE_ADDED)), 1)

    def test_an_api_push_announces_each_new_item(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            "/api/w/acme/evidence",
            [{"text": "One"}, {"text": "Two"}],
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201)
        texts = [d["evidence"]["text"] for d in self.data(events.EVIDENCE_ADDED)]
        self.assertEqual(texts, ["One", "Two"])

    def test_a_large_capture_is_one_batch_event(self) -> None:
        count = events.MAX_ITEM_EVENTS + 1
        capture(self.member(self.bob), [{"text": f"Item {n}"} for n in range(count)])
        self.assertEqual(self.data(events.EVIDENCE_ADDED), [])
        (batch,) = self.data(events.EVIDENCE_IMPORTED)
        self.assertEqual(batch["created"], count)

    def test_a_file_import_is_one_event_with_counts(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tickets.csv"
            rows = "".join(f"Ticket {n},2025-03-0{1 + n % 9}\n" for n in range(250))
            path.write_text("text,date\n" + rows, encoding="utf-8")
            import_evidence(self.workspace, path, ImportOptions(), shown_name="March tickets.csv")
        self.assertEqual(self.data(events.EVIDENCE_ADDED), [])
        (batch,) = self.data(events.EVIDENCE_IMPORTED)
        self.assertEqual(batch["filename"], "March tickets.csv")
        self.assertEqual((batch["rows"], batch["created"]), (250, 250))

    def test_a_refused_import_is_not_announced(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bad.csv"
            path.write_text("text,date\nFine,2025-03-01\nBroken,not a date\n", encoding="utf-8")
            report = import_evidence(self.workspace, path, ImportOptions())
        self.assertFalse(report.ok)
        self.assertFalse(Delivery.objects.exists())

    def test_a_status_change_is_announced_once(self) -> None:
        problem = Problem.objects.create(workspace=self.workspace, title="Slow exports")
        edits.set_status(problem, "validated")
        edits.set_status(problem, "validated")
        (data,) = self.data(events.PROBLEM_STATUS_CHANGED)
        self.assertEqual((data["from"], data["to"]), ("discovered", "validated"))
        self.assertEqual(data["problem"]["title"], "Slow exports")
        self.assertTrue(data["problem"]["url"].endswith(f"/w/acme/problems/{problem.pk}/"))

    def test_the_status_page_announces_the_change(self) -> None:
        problem = Problem.objects.create(workspace=self.workspace, title="Slow exports")
        self.client.force_login(self.bob)
        self.client.post(f"/w/acme/problems/{problem.pk}/status/", {"status": "solved"})
        (data,) = self.data(events.PROBLEM_STATUS_CHANGED)
        self.assertEqual(data["to"], "solved")
