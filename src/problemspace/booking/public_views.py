"""The public booking pages: no sign-in, reached by a schedule's or a booking's secret link.

/b/<token>/ lists the free slots of one schedule in the visitor's chosen time zone and books
one; /b/manage/<token>/ (the link in every booking email) moves or cancels a booking. The
same pages serve customers booking a research interview and colleagues booking office hours.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from problemspace.booking import services
from problemspace.booking.emails import manage_token
from problemspace.booking.models import Availability, Booking, Purpose
from problemspace.booking.schedules import open_slots
from problemspace.booking.slots import group_by_day, zone, zone_names
from problemspace.recruiting import booking_link
from problemspace.web.ratelimit import Limit, client_ip

# Generous for a person trying a few times, far too few for a script filling a calendar.
BOOKINGS_PER_IP = Limit("booking:public", capacity=10, per_seconds=60 * 60)
HONEYPOT = "website"


def _time_zone(request: HttpRequest, default: str) -> str:
    chosen = request.POST.get("time_zone") or request.GET.get("tz") or ""
    return chosen if zone(chosen) is not None else default


def _too_many(request: HttpRequest) -> TemplateResponse | None:
    decision = BOOKINGS_PER_IP.take(client_ip(request))
    if decision.allowed:
        return None
    response = TemplateResponse(
        request,
        "booking/public/limited.html",
        {"minutes": decision.retry_minutes},
        status=429,
    )
    response["Retry-After"] = str(int(decision.retry_after) + 1)
    return response


def _page(
    request: HttpRequest,
    availability: Availability,
    *,
    tz_name: str,
    values: dict[str, str],
    errors: dict[str, str],
    candidate_token: str,
    status: int = 200,
) -> TemplateResponse:
    tz = zone(tz_name)
    assert tz is not None
    context: dict[str, Any] = {
        "availability": availability,
        "host": availability.member.display_name,
        "days": group_by_day(open_slots(availability), tz),
        "tz_name": tz_name,
        "zones": zone_names(),
        "values": values,
        "errors": errors,
        "candidate_token": candidate_token,
        "honeypot": HONEYPOT,
    }
    return TemplateResponse(request, "booking/public/book.html", context, status=status)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, token: str) -> HttpResponse:
    availability = get_object_or_404(
        Availability.objects.select_related("member__user", "workspace"), token=token
    )
    if not availability.active:
        return TemplateResponse(
            request, "booking/public/closed.html", {"availability": availability}, status=410
        )
    tz_name = _time_zone(request, availability.time_zone)
    candidate_token = (request.POST.get("c") or request.GET.get("c") or "")[:200]
    candidate = None
    if availability.purpose == Purpose.INTERVIEW:
        candidate = booking_link.candidate_from_token(availability, candidate_token)
        if candidate is None:
            return TemplateResponse(
                request,
                "booking/public/invite_only.html",
                {"availability": availability},
                status=403,
            )
    values = booking_link.prefill(candidate) if candidate else {}
    if request.method == "GET":
        return _page(
            request,
            availability,
            tz_name=tz_name,
            values=values,
            errors={},
            candidate_token=candidate_token,
        )
    limited = _too_many(request)
    if limited is not None:
        return limited
    values = {
        "name": request.POST.get("name", "")[:300],
        "email": request.POST.get("email", "")[:300],
        "note": request.POST.get("note", "")[:3000],
        "slot": request.POST.get("slot", "")[:40],
    }
    if request.POST.get(HONEYPOT):
        # A field people never see was filled: a bot. It is told it worked and nothing is kept.
        return TemplateResponse(request, "booking/public/received.html", {})
    booker = services.Booker(
        name=values["name"], email=values["email"], time_zone=tz_name, note=values["note"]
    )
    try:
        booking = services.book(
            availability,
            values["slot"],
            booker,
            after=booking_link.on_booked(candidate) if candidate else None,
        )
    except services.SlotTaken:
        return _taken(request, availability, tz_name, candidate_token)
    except services.BookingError as error:
        return _page(
            request,
            availability,
            tz_name=tz_name,
            values=values,
            errors=error.errors,
            candidate_token=candidate_token,
            status=400,
        )
    url = reverse("booking_public:manage", args=[manage_token(booking)])
    # The zone goes along: without it the page's script would switch to the browser's zone,
    # and the reload would lose the word that the booking is made.
    return HttpResponseRedirect(f"{url}?{urlencode({'booked': 1, 'tz': tz_name})}")


def _taken(
    request: HttpRequest, availability: Availability, tz_name: str, candidate_token: str
) -> TemplateResponse:
    query = {"tz": tz_name}
    if candidate_token:
        query["c"] = candidate_token
    back = reverse("booking_public:book", args=[availability.token]) + "?" + urlencode(query)
    return TemplateResponse(request, "booking/public/taken.html", {"back": back}, status=409)


def _booking_or_404(token: str) -> Booking:
    booking = services.find_by_token(token[:200])
    if booking is None:
        raise Http404("No such booking.")
    return booking


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    tz_name = _time_zone(request, booking.booker_time_zone)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        limited = _too_many(request)
        if limited is not None:
            return limited
        try:
            booking = services.reschedule(booking, request.POST.get("slot", "")[:40])
        except services.SlotTaken:
            errors = {"slot": "That slot was just taken by someone else; choose another."}
            status = 409
        except services.BookingError as error:
            errors = error.errors
            status = 400
        else:
            url = reverse("booking_public:manage", args=[token])
            return HttpResponseRedirect(f"{url}?{urlencode({'moved': 1, 'tz': tz_name})}")
    tz = zone(tz_name)
    assert tz is not None
    movable = booking.is_confirmed and booking.availability is not None
    days = (
        group_by_day(open_slots(booking.availability, ignore=booking), tz)
        if movable and booking.availability
        else []
    )
    context = {
        "booking": booking,
        "token": token,
        "host": booking.member.display_name,
        "starts_local": booking.starts_at.astimezone(tz),
        "ends_local": booking.ends_at.astimezone(tz),
        "tz_name": tz_name,
        "zones": zone_names(),
        "days": days,
        "movable": movable,
        "errors": errors,
        "booked": request.GET.get("booked") == "1",
        "moved": request.GET.get("moved") == "1",
        "current_key": booking.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return TemplateResponse(request, "booking/public/manage.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    if request.method == "POST" and booking.is_confirmed:
        services.cancel(booking)
        booking.refresh_from_db()
        return TemplateResponse(request, "booking/public/cancelled.html", {"booking": booking})
    tz = zone(booking.booker_time_zone) or zone("UTC")
    context = {
        "booking": booking,
        "token": token,
        "host": booking.member.display_name,
        "starts_local": booking.starts_at.astimezone(tz),
        "tz_name": booking.booker_time_zone,
    }
    template = (
        "booking/public/cancel.html" if booking.is_confirmed else "booking/public/cancelled.html"
    )
    return TemplateResponse(request, template, context)
