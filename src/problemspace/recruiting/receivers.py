"""Candidates follow their bookings: a cancelled booking puts the candidate back to screened
in (free to book another slot)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from problemspace.booking.models import Booking
from problemspace.booking.signals import booking_cancelled
from problemspace.recruiting.models import Candidate, CandidateStatus


@receiver(booking_cancelled)
def _free_candidate(sender: Any, booking: Booking, **kwargs: Any) -> None:
    Candidate.objects.filter(booking=booking, status=CandidateStatus.BOOKED).update(
        status=CandidateStatus.SCREENED_IN, booking=None
    )
