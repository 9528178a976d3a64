"""Calendar invites (RFC 5545) for bookings, built with the icalendar library.

An invite is a METHOD:REQUEST; a moved booking sends another REQUEST with the same UID and a
higher SEQUENCE, which calendars apply as an update; a cancellation is a METHOD:CANCEL with
the same UID and a higher SEQUENCE, which removes the event. Times are written in UTC so no
time zone definition has to travel with the file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from problemspace import __version__
from problemspace.booking.models import Booking

PRODID = f"-//problemspace//booking {__version__}//EN"
UID_DOMAIN = "problemspace"


def event_uid(booking: Booking) -> str:
    return f"{booking.uid}@{UID_DOMAIN}"


def _address(email: str, name: str, *, organizer: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name or email)
    if not organizer:
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("ACCEPTED")
    return address


def invite(
    booking: Booking,
    *,
    organizer_email: str,
    organizer_name: str,
    summary: str,
    description: str,
    cancel: bool = False,
    now: datetime | None = None,
) -> bytes:
    """The .ics file for `booking`: a request, or (cancel=True) its cancellation."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", event_uid(booking))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    event.add("sequence", booking.sequence)
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer_email, organizer_name, organizer=True))
    event.add("attendee", _address(booking.booker_email, booking.booker_name, organizer=False))
    calendar.add_component(event)
    return calendar.to_ical()
