"""Who may see and change schedules and bookings (see workspaces/access.py for the rules).

Every member of the workspace may read schedules (colleagues need to find office hours);
only the member whose schedule or booking it is may change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.booking.models import Availability, Booking, Window
from problemspace.workspaces.models import Member, Role


def can_publish(member: Member) -> bool:
    """Contributors and up publish their own availability; viewers only read."""
    return member.can(Role.CONTRIBUTOR)


def require_publisher(member: Member) -> None:
    if not can_publish(member):
        raise PermissionDenied("Publishing availability needs the contributor role or higher.")


def get_availability_for_member(member: Member, pk: int, *, write: bool = False) -> Availability:
    availability = (
        Availability.objects.select_related("member__user")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if availability is None:
        raise Http404("No such schedule.")
    if write and (availability.member_id != member.pk or not can_publish(member)):
        raise PermissionDenied("Only the member whose schedule this is may change it.")
    return availability


def get_window_for_member(member: Member, pk: int) -> Window:
    """A window of the member's own schedules, to remove it."""
    window = (
        Window.objects.select_related("availability")
        .filter(availability__workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if window is None:
        raise Http404("No such window.")
    if window.availability.member_id != member.pk or not can_publish(member):
        raise PermissionDenied("Only the member whose schedule this is may change it.")
    return window


def get_booking_for_member(member: Member, pk: int, *, write: bool = False) -> Booking:
    booking = (
        Booking.objects.select_related("availability", "member__user", "workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    if write and booking.member_id != member.pk and not member.can(Role.EDITOR):
        raise PermissionDenied("Only the member who was booked, or an editor, may cancel this.")
    return booking
