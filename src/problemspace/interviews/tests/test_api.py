"""Interviews over the API: the same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from problemspace.evidence.models import Channel, Evidence
from problemspace.evidence.tests.factories import make_contact
from problemspace.interviews.models import Interview, Status
from problemspace.interviews.tests.helpers import make_interview
from problemspace.testing import BaseTestCase

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Dana>We retype invoices.\n"


class InterviewApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.dana = make_contact(self.workspace, "dana@globex.example", name="Dana")
        self.interview = make_interview(self.workspace, contacts=[self.dana])
        self.base = f"/api/w/acme/interviews/{self.interview.pk}"

    def call(self, user: Any, method: str, url: str, body: Any = None) -> Any:
        client: Client = self.client
        kwargs: dict[str, Any] = {"headers": self.api_key(user)}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(url, **kwargs)

    def test_it_lists_and_reads_interviews(self) -> None:
        response = self.call(self.vic, "get", "/api/w/acme/interviews?status=held")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([row["id"] for row in response.json()], [self.interview.pk])
        self.assertEqual(
            self.call(self.vic, "get", self.base).json()["contact_ids"], [self.dana.pk]
        )

    def test_it_names_the_assumptions_the_debrief_touched(self) -> None:
        from problemspace.hypotheses.models import Hypothesis

        touched = Hypothesis.objects.create(workspace=self.workspace, statement="OCR is enough.")
        self.interview.assumptions.set([touched])
        response = self.call(self.vic, "get", self.base)
        self.assertEqual(response.json()["assumption_ids"], [touched.pk])

    def test_an_id_beyond_the_databases_range_is_refused_with_422(self) -> None:
        body = {"goal": "X", "scheduled_at": "2024-01-05T10:00:00Z", "attendee_ids": [2**70]}
        response = self.call(self.carol, "post", "/api/w/acme/interviews", body)
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Interview.objects.filter(goal="X").exists())

    def test_it_plans_an_interview(self) -> None:
        body = {
            "goal": "Month-end close",
            "scheduled_at": "2030-01-05T10:00:00Z",
            "contact_ids": [self.dana.pk],
            "attendee_ids": [self.member(self.carol).pk],
        }
        self.assertEqual(
            self.call(self.vic, "post", "/api/w/acme/interviews", body).status_code, 403
        )
        response = self.call(self.carol, "post", "/api/w/acme/interviews", body)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "planned")

    def test_it_refuses_a_held_interview_in_the_future_and_keeps_nothing(self) -> None:
        body = {"goal": "Future", "scheduled_at": "2030-01-05T10:00:00Z", "status": "held"}
        response = self.call(self.carol, "post", "/api/w/acme/interviews", body)
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Interview.objects.filter(goal="Future").exists())

    def test_it_refuses_people_of_another_workspace(self) -> None:
        stranger = make_contact(self.other_workspace, "x@other.example")
        body = {"goal": "X", "scheduled_at": "2024-01-05T10:00:00Z", "contact_ids": [stranger.pk]}
        response = self.call(self.carol, "post", "/api/w/acme/interviews", body)
        self.assertEqual(response.status_code, 422)

    def test_it_sets_a_transcript_from_captions_and_highlights_in_it(self) -> None:
        response = self.call(
            self.carol, "put", self.base + "/transcript", {"text": VTT, "filename": "call.vtt"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        transcript = response.json()["transcript"]
        self.assertEqual(transcript, "[00:00:01] Dana: We retype invoices.")
        start = transcript.index("We retype")
        response = self.call(
            self.carol,
            "post",
            self.base + "/highlights",
            {"source": "transcript", "start": start, "end": len(transcript), "tags": ["typing"]},
        )
        self.assertEqual(response.status_code, 201, response.content)
        evidence = Evidence.objects.get(pk=response.json()["evidence_id"])
        self.assertEqual(
            (evidence.text, evidence.channel), ("We retype invoices.", Channel.INTERVIEW)
        )
        self.assertEqual(evidence.contact, self.dana)

    def test_highlight_errors_are_422(self) -> None:
        response = self.call(self.carol, "post", self.base + "/highlights", {"start": 0, "end": 5})
        self.assertEqual(response.status_code, 422)  # no notes to highlight in
        self.interview.status = Status.PLANNED
        self.interview.save()
        response = self.call(self.carol, "post", self.base + "/highlights", {"quote": "x"})
        self.assertEqual(
            response.json()["detail"], "Mark the interview held before highlighting quotes in it."
        )

    def test_it_reports_exposure(self) -> None:
        self.interview.attendees.add(self.member(self.bob))
        response = self.call(self.vic, "get", "/api/w/acme/exposure")
        rows = {row["name"]: row for row in response.json()["members"]}
        self.assertEqual(rows["bob@example.org"]["minutes"], 45)
        self.assertTrue(rows["bob@example.org"]["under_target"])
