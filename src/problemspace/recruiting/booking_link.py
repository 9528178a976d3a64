"""From a screened-in candidate to a booked interview.

The booking link a candidate gets carries a signed token naming them, so an interview
schedule's public page books only people who passed a campaign's screener. When they book,
the candidate is marked booked and a planned Interview is made for their contact, with the
schedule's member attending, in the booking's own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from problemspace.booking.models import Availability, Booking
from problemspace.interviews.models import Interview
from problemspace.interviews.models import Status as InterviewStatus
from problemspace.recruiting.models import Candidate, CandidateStatus

SALT = "problemspace.recruiting.candidate"


def candidate_token(candidate: Candidate) -> str:
    return signing.Signer(salt=SALT).sign(_identity(candidate.pk, candidate.created_at))


def _identity(pk: int, created_at: datetime) -> str:
    # The creation time too: a workspace restored elsewhere numbers its candidates afresh,
    # and a link sent before the move must not name whoever has that number there.
    return f"{pk}.{int(created_at.timestamp() * 1_000_000)}"


def booking_url(candidate: Candidate, *, absolute: bool = True) -> str | None:
    """Where a screened-in candidate books; None when the campaign has no schedule yet."""
    availability = candidate.campaign.availability
    if availability is None or not availability.active:
        return None
    path = reverse("booking_public:book", args=[availability.token])
    query = {"c": candidate_token(candidate), "tz": availability.time_zone}
    prefix = str(settings.SITE_URL).rstrip("/") if absolute else ""
    return f"{prefix}{path}?{urlencode(query)}"


def candidate_from_token(availability: Availability, token: str) -> Candidate | None:
    """The screened-in candidate `token` names, if they may book `availability` now."""
    try:
        identity = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk, _, _ = identity.partition(".")
    if not pk.isdigit():
        return None
    candidate = (
        Candidate.objects.select_related("contact", "campaign")
        .filter(
            pk=int(pk),
            campaign__availability=availability,
            status=CandidateStatus.SCREENED_IN,
        )
        .first()
    )
    if candidate is None or _identity(candidate.pk, candidate.created_at) != identity:
        return None
    return candidate


def prefill(candidate: Candidate) -> dict[str, str]:
    return {"name": candidate.contact.name, "email": candidate.contact.email or ""}


def on_booked(candidate: Candidate) -> Callable[[Booking], None]:
    def link(booking: Booking) -> None:
        claimed = Candidate.objects.filter(
            pk=candidate.pk, status=CandidateStatus.SCREENED_IN
        ).update(status=CandidateStatus.BOOKED, booking=booking)
        if not claimed:
            # Booked in another tab a moment ago: this second booking must not stand.
            from problemspace.booking.services import SlotTaken

            raise SlotTaken
        interview = plan_interview(candidate, booking)
        Candidate.objects.filter(pk=candidate.pk).update(interview=interview)

    return link


def plan_interview(candidate: Candidate, booking: Booking) -> Interview:
    campaign = candidate.campaign
    now = timezone.now()
    interview = Interview.objects.create(
        workspace_id=campaign.workspace_id,
        kind=campaign.interview_kind,
        goal=(campaign.goal or campaign.name)[:300],
        scheduled_at=booking.starts_at,
        duration_minutes=int((booking.ends_at - booking.starts_at).total_seconds() // 60),
        status=InterviewStatus.PLANNED,
        created_by=campaign.created_by,
        created_at=now,
        updated_at=now,
    )
    interview.contacts.add(candidate.contact_id)
    interview.attendees.add(booking.member_id)
    return interview


def move_interview(booking: Booking, **kwargs: Any) -> None:
    Interview.objects.filter(candidates__booking=booking, status=InterviewStatus.PLANNED).update(
        scheduled_at=booking.starts_at, updated_at=timezone.now()
    )


def cancel_interview(booking: Booking) -> None:
    Interview.objects.filter(candidates__booking=booking, status=InterviewStatus.PLANNED).update(
        status=InterviewStatus.CANCELLED, updated_at=timezone.now()
    )
