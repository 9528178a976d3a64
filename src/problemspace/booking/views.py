"""Members' pages: their schedules (availability and office hours), and their bookings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from problemspace.booking import services
from problemspace.booking.access import (
    can_publish,
    get_availability_for_member,
    get_booking_for_member,
    get_window_for_member,
    require_publisher,
)
from problemspace.booking.emails import site_url
from problemspace.booking.forms import AvailabilityForm, WindowForm
from problemspace.booking.models import Availability, Booking, BookingStatus, Purpose
from problemspace.booking.schedules import ScheduleError, add_window, save_availability
from problemspace.booking.slots import zone_names
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member

PAST_SHOWN = 50


def public_url(availability: Availability) -> str:
    return site_url() + reverse("booking_public:book", args=[availability.token])


@login_required
@require_http_methods(["GET", "POST"])
def availability_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug)
    form = AvailabilityForm(initial={"time_zone": "Europe/Paris"})
    if request.method == "POST":
        require_publisher(member)
        form = AvailabilityForm(request.POST)
        if form.is_valid():
            try:
                availability = save_availability(member, form.settings())
            except ScheduleError as error:
                form.put(error)
            else:
                messages.success(request, "Schedule made. Add the windows when you are free.")
                return HttpResponseRedirect(
                    reverse("booking:availability", args=[slug, availability.pk])
                )
    mine = list(
        Availability.objects.filter(member=member).prefetch_related("windows").order_by("title")
    )
    office_hours = list(
        Availability.objects.filter(
            workspace_id=member.workspace_id, purpose=Purpose.OFFICE_HOURS, active=True
        )
        .exclude(member=member)
        .select_related("member__user")
        .order_by("title")
    )
    context = {
        "member": member,
        "active": "booking",
        "mine": [(a, public_url(a)) for a in mine],
        "office_hours": [(a, public_url(a)) for a in office_hours],
        "form": form,
        "can_publish": can_publish(member),
        "zones": zone_names(),
    }
    return TemplateResponse(
        request, "booking/availability_list.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def availability_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    availability = get_availability_for_member(member, pk, write=request.method == "POST")
    settings_form = AvailabilityForm(
        initial={
            "title": availability.title,
            "purpose": availability.purpose,
            "time_zone": availability.time_zone,
            "slot_minutes": availability.slot_minutes,
            "buffer_minutes": availability.buffer_minutes,
            "description": availability.description,
            "active": availability.active,
        },
        prefix="s",
    )
    window_form = WindowForm(prefix="w")
    if request.method == "POST":
        if "w-day" in request.POST:
            window_form = WindowForm(request.POST, prefix="w")
            if window_form.is_valid():
                try:
                    add_window(availability, window_form.spec())
                except ScheduleError as error:
                    window_form.put(error)
                else:
                    messages.success(request, "Window added.")
                    return HttpResponseRedirect(request.path)
        else:
            settings_form = AvailabilityForm(request.POST, prefix="s")
            if settings_form.is_valid():
                try:
                    save_availability(member, settings_form.settings(), availability)
                except ScheduleError as error:
                    settings_form.put(error)
                else:
                    messages.success(request, "Schedule saved.")
                    return HttpResponseRedirect(request.path)
    upcoming = Booking.objects.filter(
        availability=availability, status=BookingStatus.CONFIRMED, ends_at__gt=timezone.now()
    ).count()
    context = {
        "member": member,
        "active": "booking",
        "availability": availability,
        "windows": list(availability.windows.all()),
        "settings_form": settings_form,
        "window_form": window_form,
        "mine": availability.member_id == member.pk and can_publish(member),
        "public_url": public_url(availability),
        "upcoming": upcoming,
        "zones": zone_names(),
    }
    invalid = settings_form.errors or window_form.errors
    return TemplateResponse(
        request, "booking/availability_detail.html", context, status=400 if invalid else 200
    )


@login_required
@require_POST
def window_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    window = get_window_for_member(member, pk)
    availability_id = window.availability_id
    window.delete()
    messages.success(request, "Window removed. Bookings already made in it stand.")
    return HttpResponseRedirect(reverse("booking:availability", args=[slug, availability_id]))


@login_required
def booking_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    now = timezone.now()
    mine = Booking.objects.filter(member=member).select_related("availability")
    context = {
        "member": member,
        "active": "booking",
        "upcoming": list(
            mine.filter(status=BookingStatus.CONFIRMED, ends_at__gt=now).order_by("starts_at")
        ),
        "past": list(
            mine.exclude(status=BookingStatus.CONFIRMED, ends_at__gt=now).order_by("-starts_at")[
                :PAST_SHOWN
            ]
        ),
    }
    return TemplateResponse(request, "booking/booking_list.html", context)


@login_required
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    booking = get_booking_for_member(member, pk, write=True)
    if services.cancel(booking):
        messages.success(
            request, f"Cancelled; {booking.booker_name} was sent a cancellation for their calendar."
        )
    else:
        messages.warning(request, "That booking was already cancelled.")
    return HttpResponseRedirect(reverse("booking:bookings", args=[slug]))
