"""The demo gains an open campaign with a screener and candidates, and the PM's schedules."""

from __future__ import annotations

from datetime import date

from django.test import TestCase, override_settings

from problemspace.booking.models import Availability, Booking, Purpose
from problemspace.demo.build import build_demo
from problemspace.interviews.models import Status as InterviewStatus
from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus

TODAY = date(2026, 11, 23)


def snapshot() -> list[tuple[object, ...]]:
    campaign = Campaign.objects.get()
    return [
        (
            campaign.name,
            campaign.token,
            campaign.availability.token if campaign.availability else "",
        ),
        *Candidate.objects.order_by("contact__email").values_list(
            "contact__email", "status", "source", "segment"
        ),
        *Booking.objects.values_list("starts_at", "booker_email"),
    ]


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoRecruitingTests(TestCase):
    def test_the_demo_has_a_campaign_at_every_stage(self) -> None:
        build_demo(today=TODAY)
        campaign = Campaign.objects.get()
        self.assertTrue(campaign.is_open)
        self.assertEqual(campaign.questions.count(), 3)
        self.assertEqual(campaign.quotas.count(), 3)
        statuses = set(Candidate.objects.values_list("status", flat=True))
        self.assertEqual(
            statuses,
            {
                CandidateStatus.BOOKED,
                CandidateStatus.SCREENED_IN,
                CandidateStatus.SCREENED_OUT,
                CandidateStatus.INVITED,
            },
        )
        booked = Candidate.objects.get(status=CandidateStatus.BOOKED)
        assert booked.booking is not None and booked.interview is not None
        self.assertEqual(booked.interview.status, InterviewStatus.PLANNED)
        self.assertEqual(booked.interview.scheduled_at, booked.booking.starts_at)
        purposes = set(Availability.objects.values_list("purpose", flat=True))
        self.assertEqual(purposes, {Purpose.INTERVIEW, Purpose.OFFICE_HOURS})
        self.assertEqual(campaign.availability, Availability.objects.get(purpose=Purpose.INTERVIEW))

    def test_it_is_the_same_every_time(self) -> None:
        build_demo(today=TODAY)
        first = snapshot()
        build_demo(today=TODAY)
        self.assertEqual(snapshot(), first)
