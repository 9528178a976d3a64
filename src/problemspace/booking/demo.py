"""The demo's schedules: the PM's customer-interview calendar and her office hours.

Tokens are derived from the seed and the installation's secret key, so rebuilding the demo
keeps its public links working while another installation's demo links stay unguessable.
"""

from __future__ import annotations

import hashlib
from datetime import time

from django.conf import settings

from problemspace.booking.models import Availability, Purpose, Window
from problemspace.demo import story
from problemspace.workspaces.models import Member, Workspace

INTERVIEWS_TITLE = "Customer conversations with Priya"
OFFICE_HOURS_TITLE = "Product office hours"


def demo_token(seed: int, name: str) -> str:
    material = f"{settings.SECRET_KEY}:demo:{seed}:{name}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def build_availability(
    workspace: Workspace, members: dict[str, Member], *, seed: int
) -> Availability:
    """The PM's schedules; returns the interview one, which the demo campaign books."""
    pm = members[story.OWNER.email]
    interviews = Availability.objects.create(
        workspace=workspace,
        member=pm,
        purpose=Purpose.INTERVIEW,
        title=INTERVIEWS_TITLE,
        description="A 45-minute video call about how your team closes the books.",
        time_zone="America/New_York",
        slot_minutes=45,
        buffer_minutes=15,
        token=demo_token(seed, "interviews"),
    )
    office_hours = Availability.objects.create(
        workspace=workspace,
        member=pm,
        purpose=Purpose.OFFICE_HOURS,
        title=OFFICE_HOURS_TITLE,
        description=(
            "Bring a customer question, a deal you are unsure about, or a draft spec: "
            "we look at it through what customers told us."
        ),
        time_zone="America/New_York",
        slot_minutes=30,
        buffer_minutes=0,
        token=demo_token(seed, "office-hours"),
    )
    Window.objects.bulk_create(
        [
            *(
                Window(availability=interviews, weekday=day, starts=time(10), ends=time(16))
                for day in range(4)
            ),
            # Fridays, so they never overlap the interview windows.
            Window(availability=office_hours, weekday=4, starts=time(10), ends=time(12)),
        ]
    )
    return interviews
