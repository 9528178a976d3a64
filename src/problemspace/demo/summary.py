"""What is in the demo workspace, counted from the database (so it is true after re-runs too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min

from problemspace.customers.models import Account
from problemspace.demo import story
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.workspaces.models import Workspace


@dataclass(frozen=True)
class Summary:
    evidence: int
    relayed: int
    by_channel: list[tuple[str, int]]  # (label, count), most first
    accounts: int
    by_segment: list[tuple[str, int]]  # in the story's segment order
    contacts: int
    members: int
    first: datetime | None
    last: datetime | None

    @property
    def relayed_share(self) -> float:
        return self.relayed / self.evidence if self.evidence else 0.0


def summarise(workspace: Workspace) -> Summary:
    evidence = Evidence.objects.filter(workspace=workspace)
    labels = dict(Channel.choices)
    channels = evidence.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
    span = evidence.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    segments = dict(
        Account.objects.filter(workspace=workspace)
        .values_list("segment")
        .annotate(n=Count("id"))
        .values_list("segment", "n")
    )
    order = [s for s in story.SEGMENTS if s in segments] + sorted(
        set(segments) - set(story.SEGMENTS)
    )
    return Summary(
        evidence=evidence.count(),
        relayed=evidence.filter(provenance=Provenance.RELAYED).count(),
        by_channel=[(labels.get(row["channel"], row["channel"]), row["n"]) for row in channels],
        accounts=sum(segments.values()),
        by_segment=[(segment, segments[segment]) for segment in order],
        contacts=workspace.contacts.count(),
        members=workspace.members.count(),
        first=span["first"],
        last=span["last"],
    )
