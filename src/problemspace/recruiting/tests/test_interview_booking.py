"""A screened-in candidate books: they are marked booked and a planned interview is made."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from icalendar import Calendar

from problemspace.booking import services
from problemspace.booking.models import Booking, BookingStatus
from problemspace.booking.schedules import open_slots
from problemspace.interviews.models import Interview
from problemspace.interviews.models import Status as InterviewStatus
from problemspace.recruiting.booking_link import booking_url, candidate_from_token
from problemspace.recruiting.models import Candidate, CandidateStatus, Source
from problemspace.recruiting.tests.factories import campaign, contact, interview_schedule
from problemspace.testing import SmtpTestCase


class InterviewBookingTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.schedule = interview_schedule(self.member(self.bob))
        self.campaign = campaign(self.workspace, schedule=self.schedule)
        self.contact = contact(self.workspace, "pat@smallco.example", name="Pat Doe")
        self.candidate = Candidate.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            contact=self.contact,
            segment="SMB",
            status=CandidateStatus.SCREENED_IN,
            source=Source.SIGN_UP,
        )
        url = booking_url(self.candidate, absolute=False)
        assert url is not None
        self.url: str = url

    def book(self, key: str) -> object:
        return self.client.post(
            self.url,
            {"slot": key, "name": "Pat Doe", "email": "pat@smallco.example", "time_zone": "UTC"},
        )

    def test_booking_plans_the_interview(self) -> None:
        slot = open_slots(self.schedule)[0]
        self.book(slot.key())
        booking = Booking.objects.get()
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.status, CandidateStatus.BOOKED)
        self.assertEqual(self.candidate.booking, booking)
        interview = Interview.objects.get()
        self.assertEqual(self.candidate.interview, interview)
        self.assertEqual(interview.status, InterviewStatus.PLANNED)
        self.assertEqual(interview.kind, self.campaign.interview_kind)
        self.assertEqual(interview.scheduled_at, slot.starts_at)
        self.assertEqual(interview.duration_minutes, 30)
        self.assertEqual(list(interview.contacts.all()), [self.contact])
        self.assertEqual(list(interview.attendees.all()), [self.member(self.bob)])
        invite = next(m for m in self.smtp.messages if m["To"] == "pat@smallco.example")
        part = next(p for p in invite.iter_attachments() if p.get_content_type() == "text/calendar")
        event = Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
        self.assertIn("Research interview", str(event["SUMMARY"]))
        self.assertEqual(str(event["ORGANIZER"]), "mailto:bob@example.org")

    def test_a_link_never_names_another_candidate_with_the_same_number(self) -> None:
        # As after a restore elsewhere: the number in the link now belongs to someone else.
        from datetime import timedelta

        token = parse_qs(urlsplit(self.url).query)["c"][0]
        Candidate.objects.filter(pk=self.candidate.pk).update(
            created_at=self.candidate.created_at - timedelta(days=3)
        )
        self.assertIsNone(candidate_from_token(self.schedule, token))
        self.assertContains(self.client.get(self.url), "invited participants", status_code=403)

    def test_a_candidate_books_once(self) -> None:
        first = open_slots(self.schedule)[0]
        self.book(first.key())
        response = self.client.get(self.url)
        self.assertContains(response, "invited participants", status_code=403)
        self.assertEqual(Booking.objects.count(), 1)

    def test_moving_the_booking_moves_the_interview(self) -> None:
        first, second = open_slots(self.schedule)[:2]
        self.book(first.key())
        services.reschedule(Booking.objects.get(), second.key())
        self.assertEqual(Interview.objects.get().scheduled_at, second.starts_at)

    def test_cancelling_cancels_the_interview_and_frees_the_candidate(self) -> None:
        slot = open_slots(self.schedule)[0]
        self.book(slot.key())
        services.cancel(Booking.objects.get())
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.status, CandidateStatus.SCREENED_IN)
        self.assertIsNone(self.candidate.booking)
        self.assertEqual(Interview.objects.get().status, InterviewStatus.CANCELLED)
        # They may book again.
        self.book(slot.key())
        self.assertEqual(Booking.objects.filter(status=BookingStatus.CONFIRMED).count(), 1)
        self.candidate.refresh_from_db()
        self.assertEqual(self.candidate.status, CandidateStatus.BOOKED)

    def test_a_link_for_another_schedule_does_not_work(self) -> None:
        other = interview_schedule(self.member(self.carol))
        token = parse_c(self.url)
        url = reverse("booking_public:book", args=[other.token])
        self.assertEqual(self.client.get(url, {"c": token}).status_code, 403)


def parse_c(url: str) -> str:
    return parse_qs(urlsplit(url).query)["c"][0]
