"""Captured evidence is placed among the problems right after it is saved: capturing queues
the incremental synthesis (problems/placing.py), once problems exist."""

from __future__ import annotations

from problemspace.evidence.capture import capture, capture_in
from problemspace.jobs.models import Job, Kind
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase


class PlacingTestCase(BaseTestCase):
    def test_nothing_is_queued_before_the_first_synthesis(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(
            "/w/acme/capture/",
            {
                "text": "We rebuild the pivot table every Monday.",
                "date": "2025-03-10",
                "channel": "support",
                "provenance": "first_hand",
            },
        )
        self.assertFalse(Job.objects.exists())

    def test_the_capture_page_the_api_and_code_queue_one_placing_synthesis(self) -> None:
        Problem.objects.create(workspace=self.workspace, title="Exports are slow")
        self.client.force_login(self.carol)
        saved = self.client.post(
            "/w/acme/capture/",
            {
                "text": "We rebuild the pivot table every Monday.",
                "date": "2025-03-10",
                "channel": "support",
                "provenance": "first_hand",
            },
        )
        self.assertEqual(saved.status_code, 302)
        job = Job.objects.get()
        self.assertEqual((job.kind, job.params["full"]), (Kind.SYNTHESIS, False))
        # While that job waits, more captures need no second one.
        pushed = self.client.post(
            "/api/w/acme/evidence",
            [{"text": "Exports time out at month-end.", "external_id": "T-9"}],
            content_type="application/json",
            headers=self.api_key(self.carol),
        )
        self.assertEqual(pushed.status_code, 201)
        self.assertEqual(Job.objects.count(), 1)

    def test_a_repeat_or_an_anonymous_post_queues_nothing(self) -> None:
        Problem.objects.create(workspace=self.workspace, title="Exports are slow")
        member = self.member(self.carol)
        capture(member, [{"text": "Exports time out.", "external_id": "T-1"}])
        Job.objects.all().delete()
        capture(member, [{"text": "Exports time out.", "external_id": "T-1"}])  # unchanged
        capture_in(self.workspace, [{"text": "From the portal.", "external_id": "P-1"}])
        self.assertFalse(Job.objects.exists())
