from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.interviews.models import Interview, Status
from problemspace.workspaces.models import Member, Workspace


def make_interview(
    workspace: Workspace,
    *,
    contacts: list[Contact] | None = None,
    attendees: list[Member] | None = None,
    scheduled_at: datetime | None = None,
    **fields: Any,
) -> Interview:
    fields.setdefault("goal", "How do AP teams close the month?")
    fields.setdefault("status", Status.HELD)
    interview = Interview.objects.create(
        workspace=workspace,
        scheduled_at=scheduled_at or timezone.now() - timedelta(days=2),
        **fields,
    )
    interview.contacts.set(contacts or [])
    interview.attendees.set(attendees or [])
    return interview
