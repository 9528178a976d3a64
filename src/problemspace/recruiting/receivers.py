"""Candidates and their interviews follow their bookings: a moved booking moves the planned
interview; a cancelled one cancels it and puts the candidate back to screened in, free to
book another slot."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from problemspace.booking.models import Booking
from problemspace.booking.signals import booking_cancelled, booking_rescheduled
from problemspace.recruiting.booking_link import cancel_interview, move_interview
from problemspace.recruiting.models import Candidate, CandidateStatus


@receiver(booking_cancelled)
def _free_candidate(sender: Any, booking: Booking, **kwargs: Any) -> None:
    cancel_interview(booking)
    Candidate.objects.filter(booking=booking, status=CandidateStatus.BOOKED).update(
        status=CandidateStatus.SCREENED_IN, booking=None
    )


@receiver(booking_rescheduled)
def _move_interview(sender: Any, booking: Booking, **kwargs: Any) -> None:
    move_interview(booking)
