"""“Who haven't we talked to?”: the contacts a campaign could invite, least heard-from first.

Candidates are contacts who consented to research, have an email, were not contacted in the
last N days and are not in the campaign yet, at accounts of the campaign's target segments.
They are led by the accounts, then the segments, that gave the team the least evidence in the
last six months, so each invitation goes where the team's picture is thinnest rather than to
the customers it already hears from most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.customers.queries import evidence_counts, list_contacts
from problemspace.evidence.models import Evidence
from problemspace.recruiting.models import Campaign

DEFAULT_QUIET_DAYS = 90
HEARD_WINDOW = timedelta(days=183)
MAX_PROSPECTS = 500


@dataclass(frozen=True)
class Prospect:
    contact: Contact
    # Evidence in the last six months from the contact's account, and from its segment.
    account_heard: int
    segment_heard: int


def targets(campaign: Campaign) -> list[str]:
    return [quota.segment for quota in campaign.quotas.all()]


def segment_counts(workspace_id: int, since: datetime) -> dict[str, int]:
    """Evidence per account segment since `since`, in one grouped query."""
    rows = (
        Evidence.objects.filter(workspace_id=workspace_id, occurred_at__gte=since)
        .exclude(account__isnull=True)
        .order_by()
        .values_list("account__segment")
        .annotate(n=Count("id"))
    )
    return {segment or "": n for segment, n in rows}


def prospects(
    campaign: Campaign,
    *,
    quiet_days: int = DEFAULT_QUIET_DAYS,
    today: date | None = None,
    now: datetime | None = None,
    limit: int = MAX_PROSPECTS,
) -> list[Prospect]:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cutoff = today - timedelta(days=quiet_days)
    contacts = (
        list_contacts(campaign.workspace, consent=True)
        .exclude(email__isnull=True)
        .exclude(email="")
        .exclude(last_contacted__gte=cutoff)
        .exclude(candidacies__campaign=campaign)
    )
    wanted = targets(campaign)
    if wanted:
        contacts = contacts.filter(account__segment__in=wanted)
    found = list(contacts[: limit * 4])
    accounts = {c.account_id: c.account for c in found if c.account is not None}
    since = now - HEARD_WINDOW
    by_account = evidence_counts(accounts.values(), since=since)
    by_segment = segment_counts(campaign.workspace_id, since)
    rows = [
        Prospect(
            contact=contact,
            account_heard=by_account.get(contact.account_id, 0) if contact.account_id else 0,
            segment_heard=by_segment.get(contact.account.segment if contact.account else "", 0),
        )
        for contact in found
    ]
    rows.sort(
        key=lambda p: (
            p.account_heard,
            p.segment_heard,
            p.contact.last_contacted or date.min,
            (p.contact.name or p.contact.email or "").casefold(),
            p.contact.pk,
        )
    )
    return rows[:limit]
