"""The demo workspace's interviews: held ones with quotes as evidence, and uneven exposure."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.test import TestCase

from problemspace.demo.build import build_demo
from problemspace.evidence.models import Channel, Provenance
from problemspace.interviews import exposure
from problemspace.interviews.models import Highlight, Interview, Status

TODAY = date(2025, 6, 2)


class DemoInterviewsTestCase(TestCase):
    def test_the_demo_has_interviews_highlights_and_members_under_two_hours(self) -> None:
        workspace = build_demo(7, today=TODAY)
        self.assertEqual(
            Interview.objects.filter(workspace=workspace, status=Status.HELD).count(), 4
        )
        highlights = Highlight.objects.filter(interview__workspace=workspace).select_related(
            "evidence"
        )
        self.assertEqual(len(highlights), 6)
        for highlight in highlights:
            evidence = highlight.evidence
            self.assertEqual(
                (evidence.channel, evidence.provenance), (Channel.INTERVIEW, Provenance.FIRST_HAND)
            )
            self.assertIsNotNone(evidence.contact_id)
            notes = highlight.interview.notes
            self.assertEqual(notes[highlight.start : highlight.end], evidence.text)
        team = exposure.team_exposure(workspace, now=datetime.combine(TODAY, time(12), UTC))
        hours = {row.member.user.email.split("@")[0]: row.minutes for row in team.members}
        self.assertEqual(hours, {"pm": 225, "tomas": 150, "dana": 45, "marcus": 30, "helen": 0})

    def test_it_is_deterministic(self) -> None:
        first = build_demo(7, today=TODAY)
        contacts = [
            list(i.contacts.values_list("email", flat=True))
            for i in Interview.objects.filter(workspace=first)
        ]
        second = build_demo(7, today=TODAY)
        again = [
            list(i.contacts.values_list("email", flat=True))
            for i in Interview.objects.filter(workspace=second)
        ]
        self.assertEqual(contacts, again)
