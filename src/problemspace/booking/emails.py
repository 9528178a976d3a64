"""The emails a booking sends: confirmation, move, cancellation and reminder, each to the
booker (in their time zone, with the links to reschedule or cancel) and to the member (in
theirs), each with the calendar file that puts it in, updates or removes it from a calendar."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from problemspace.booking import calendar
from problemspace.booking.models import Booking, Purpose
from problemspace.booking.slots import zone

logger = logging.getLogger(__name__)

MANAGE_SALT = "problemspace.booking.manage"


def manage_token(booking: Booking) -> str:
    """The secret in a booking's reschedule and cancel links: its UID, signed."""
    return signing.Signer(salt=MANAGE_SALT).sign(booking.uid.hex)


def uid_from_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def manage_url(booking: Booking) -> str:
    return site_url() + reverse("booking_public:manage", args=[manage_token(booking)])


def cancel_url(booking: Booking) -> str:
    return site_url() + reverse("booking_public:cancel", args=[manage_token(booking)])


def summary(booking: Booking) -> str:
    host = booking.member.display_name
    if booking.purpose == Purpose.OFFICE_HOURS:
        return f"Office hours: {booking.booker_name} with {host}"
    return f"Research interview: {booking.booker_name} with {host}"


def description(booking: Booking) -> str:
    lines = [
        (
            f"{booking.booker_name} booked {booking.member.display_name}'s office hours."
            if booking.purpose == Purpose.OFFICE_HOURS
            else f"A research conversation between {booking.booker_name} and "
            f"{booking.member.display_name}."
        ),
    ]
    if booking.note:
        lines += ["", f"Note from {booking.booker_name}: {booking.note}"]
    lines += [
        "",
        f"Reschedule: {manage_url(booking)}",
        f"Cancel: {cancel_url(booking)}",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Kind:
    subject: str
    heading: str
    lead: str
    cancel: bool = False


KINDS = {
    "confirmed": Kind("Booked: {summary}", "You're booked", "Your booking is confirmed."),
    "moved": Kind("Moved: {summary}", "Your booking moved", "Your booking has a new time."),
    "cancelled": Kind(
        "Cancelled: {summary}",
        "Booking cancelled",
        "This booking is cancelled; the slot is free again.",
        cancel=True,
    ),
    "reminder": Kind("Tomorrow: {summary}", "See you soon", "A reminder of your booking."),
}


def _when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%A %-d %B %Y, %H:%M} ({tz.key})"


def _attachment(ics: bytes, *, cancel: bool) -> MIMEBase:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if cancel else "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _send(booking: Booking, kind_name: str, *, to: str, tz: ZoneInfo, for_booker: bool) -> bool:
    kind = KINDS[kind_name]
    member = booking.member
    ics = calendar.invite(
        booking,
        organizer_email=member.user.email or settings.DEFAULT_FROM_EMAIL,
        organizer_name=member.display_name,
        summary=summary(booking),
        description=description(booking),
        cancel=kind.cancel,
    )
    other_email = member.user.email if for_booker else booking.booker_email
    context = {
        "booking": booking,
        "heading": kind.heading,
        "lead": kind.lead,
        "summary": summary(booking),
        "when": _when(booking.starts_at, tz),
        "minutes": int((booking.ends_at - booking.starts_at).total_seconds() // 60),
        "with_name": member.display_name if for_booker else booking.booker_name,
        "with_email": other_email,
        "manage_url": manage_url(booking) if not kind.cancel else "",
        "cancel_url": cancel_url(booking) if not kind.cancel else "",
        "site_url": site_url(),
        "for_booker": for_booker,
    }
    message = EmailMultiAlternatives(
        subject=kind.subject.format(summary=summary(booking)),
        body=render_to_string("booking/email/booking.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[other_email] if other_email else None,
    )
    message.attach_alternative(render_to_string("booking/email/booking.html", context), "text/html")
    message.attach(_attachment(ics, cancel=kind.cancel))
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the %s email for booking %s", kind_name, booking.pk)
        return False
    return True


def notify(booking: Booking, kind_name: str, *, member_too: bool = True) -> bool:
    """Email the booker (and the member) about `booking`; True when the booker's email left."""
    booker_tz = zone(booking.booker_time_zone) or ZoneInfo("UTC")
    delivered = _send(booking, kind_name, to=booking.booker_email, tz=booker_tz, for_booker=True)
    if member_too and booking.member.user.email:
        member_tz = zone(booking.availability.time_zone if booking.availability else "UTC")
        _send(
            booking,
            kind_name,
            to=booking.member.user.email,
            tz=member_tz or ZoneInfo("UTC"),
            for_booker=False,
        )
    return delivered
